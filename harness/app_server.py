"""A product's reference app, started as a subprocess on a free port and stopped at the end.

Every reference app takes the same environment: where Spanner is, one APP_DATABASE_<NAME>
per database with its id, the SMTP server to send mail to and its own public URL. It is ready
when GET /healthz answers 200.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import tenacity

from base import processes
from base.logs import tail
from base.ports import free_port


class AppStartError(RuntimeError):
    pass


@dataclass
class RunningApp:
    base_url: str
    log_path: Path | None = None
    _child: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def log_tail(self, lines: int = 60) -> str:
        if self.log_path is None:
            return "(the app under test is not run by the suite; no log)"
        return tail(self.log_path, lines)

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path and self.log_path.exists() else 0

    def log_since(self, offset: int) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    @property
    def runs_a_child(self) -> bool:
        return self._child is not None

    def alive(self) -> bool:
        return self._child is None or self._child.poll() is None

    def death(self, what: str) -> str:
        if self._child is None:
            return f"{what} at {self.base_url} is gone"
        return processes.describe_exit(self._child, what, self.log_path)

    def stop(self) -> None:
        if self._child is not None:
            processes.stop(self._child)
            self._child = None


def external_app(base_url: str) -> RunningApp:
    return RunningApp(base_url.rstrip("/"))


@dataclass(frozen=True)
class AppLaunch:
    """What it takes to start one reference app."""

    name: str  # names its log file
    module: str  # run as `python -m <module>`
    cwd: Path
    database_ids: Mapping[str, str]  # database name -> database id
    spanner_project: str
    spanner_instance: str
    emulator_host: str | None
    smtp_host: str
    smtp_port: int
    log_dir: Path
    timeout: float


def app_environment(launch: AppLaunch, public_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "SPANNER_PROJECT": launch.spanner_project,
        "SPANNER_INSTANCE": launch.spanner_instance,
        "APP_SMTP_HOST": launch.smtp_host,
        "APP_SMTP_PORT": str(launch.smtp_port),
        "APP_PUBLIC_URL": public_url,
    }
    env.update({f"APP_DATABASE_{name.upper()}": id_ for name, id_ in launch.database_ids.items()})
    if launch.emulator_host:
        env["SPANNER_EMULATOR_HOST"] = launch.emulator_host
    else:
        env.pop("SPANNER_EMULATOR_HOST", None)
    return env


def start_reference_app(launch: AppLaunch) -> RunningApp:
    """Run `python -m <module>` on a free port; ready when GET /healthz answers 200."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = launch.log_dir / f"{launch.name}-app.log"
    command = [sys.executable, "-m", launch.module, "--host", "127.0.0.1", "--port", str(port)]
    env = app_environment(launch, base_url)
    child = processes.spawn(command, log_path, env=env, cwd=launch.cwd)
    app = RunningApp(base_url, log_path, child)
    try:
        _wait_healthy(base_url, child, launch.timeout)
    except Exception as error:
        app.stop()
        raise AppStartError(
            f"the reference app {launch.module} did not become healthy within "
            f"{launch.timeout:g}s ({error}); its log {log_path}:\n{app.log_tail(40)}"
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
        # the app is on loopback: no proxy from the environment may stand between
        response = httpx.get(f"{base_url}/healthz", timeout=2, trust_env=False)
        assert response.status_code == 200, f"/healthz answered {response.status_code}"

    probe()
