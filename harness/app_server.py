"""The reference app in app/, started as a subprocess on a free port and stopped at the end."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import tenacity

from harness import processes
from spanner.emulator import free_port

REPO_ROOT = Path(__file__).resolve().parent.parent


class AppStartError(RuntimeError):
    pass


@dataclass
class RunningApp:
    base_url: str
    log_path: Path | None = None
    _child: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def log_tail(self, lines: int = 60) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(the app under test is not run by the suite; no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path and self.log_path.exists() else 0

    def log_since(self, offset: int) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def stop(self) -> None:
        if self._child is not None:
            processes.stop(self._child)
            self._child = None


def external_app(base_url: str) -> RunningApp:
    return RunningApp(base_url.rstrip("/"))


def start_reference_app(env: dict[str, str], log_dir: Path, timeout: float) -> RunningApp:
    """Run `python -m app`; ready when GET /healthz answers 200."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = log_dir / "app.log"
    child_env = {**env, "APP_PUBLIC_URL": base_url}
    command = [sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(port)]
    child = processes.spawn(command, log_path, env=child_env, cwd=REPO_ROOT)
    app = RunningApp(base_url, log_path, child)
    try:
        _wait_healthy(base_url, child, timeout)
    except Exception as error:
        app.stop()
        raise AppStartError(
            f"the reference app did not become healthy within {timeout:g}s ({error}); "
            f"its log {log_path}:\n{app.log_tail(40)}"
        ) from None
    return app


def _wait_healthy(base_url: str, child: subprocess.Popen[bytes], timeout: float) -> None:
    class Exited(Exception):
        pass

    @tenacity.retry(
        retry=tenacity.retry_if_exception_type((httpx.HTTPError, AssertionError)),
        wait=tenacity.wait_exponential(multiplier=0.02, max=0.5),
        stop=tenacity.stop_after_delay(timeout),
        reraise=True,
    )
    def probe() -> None:
        if child.poll() is not None:
            raise Exited(f"it exited with code {child.returncode}")
        response = httpx.get(f"{base_url}/healthz", timeout=2)
        assert response.status_code == 200, f"/healthz answered {response.status_code}"

    probe()
