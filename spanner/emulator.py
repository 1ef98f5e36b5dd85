"""Where Spanner comes from: the emulator program, an emulator someone else runs, Docker, or Cloud.

`open_backend(settings)` picks and starts one and returns a Backend whose `emulator_host` is the
gRPC address to talk to (None for real Cloud Spanner) and whose `stop()` leaves nothing behind.
With `fault_injection` the emulator is started with --enable_fault_injection (it aborts commits
at random); only the backends the suite starts itself can be, the others are refused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from base import ports, processes
from base.logs import tail
from base.ports import wait_for_port
from spanner.settings import SpannerSettings

EMULATOR_RELATIVE_PATH = Path("bin/cloud_spanner_emulator/emulator_main")
USUAL_SDK_ROOTS = (
    Path("/usr/lib/google-cloud-sdk"),
    Path("/usr/share/google-cloud-sdk"),
    Path("/opt/google-cloud-sdk"),
    Path.home() / "google-cloud-sdk",
)
COMPOSE_FILE = Path(__file__).resolve().parent.parent / "docker-compose.yml"
COMPOSE_SERVICE = "spanner-emulator"
DOCKER_EMULATOR_HOST = "localhost:9010"
FAULT_INJECTION_FLAG = "--enable_fault_injection"
# docker-compose.yml passes this to the image's gateway_main as --enable_fault_injection=<value>
COMPOSE_FAULT_INJECTION_VARIABLE = "SPANNER_FAULT_INJECTION"


class BackendError(RuntimeError):
    """No emulator could be found, started or reached."""


@dataclass
class Backend:
    name: str
    emulator_host: str | None
    log_path: Path | None = None
    fault_injection: bool = False
    _child: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _compose: bool = False

    @property
    def is_emulator(self) -> bool:
        return self.emulator_host is not None

    @property
    def runs_a_child(self) -> bool:
        return self._child is not None

    def alive(self) -> bool:
        return self._child is None or self._child.poll() is None

    def death(self) -> str:
        if self._child is None:
            return f"the Spanner emulator ({self.name} backend) is gone"
        return processes.describe_exit(self._child, "the Spanner emulator", self.log_path)

    def stop(self) -> None:
        if self._child is not None:
            processes.stop(self._child)
            self._child = None
        if self._compose:
            subprocess.run(
                [*compose_command(), "-f", str(COMPOSE_FILE), "down"],
                capture_output=True,
                check=False,
            )
            self._compose = False


def find_emulator_binary(explicit: str | None) -> Path | None:
    """SPANNER_EMULATOR_BINARY, else the gcloud SDK's copy, else the usual install places."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise BackendError(f"setting spanner.emulator_binary: no file at {path}")
        return path
    gcloud = shutil.which("gcloud")
    # gcloud lives in <sdk root>/bin; asking `gcloud info` costs a second, so it comes last
    candidates = [Path(gcloud).resolve().parent.parent / EMULATOR_RELATIVE_PATH] if gcloud else []
    candidates.extend(root / EMULATOR_RELATIVE_PATH for root in USUAL_SDK_ROOTS)
    found = next((path for path in candidates if path.is_file()), None)
    if found or not gcloud:
        return found
    sdk_root = _gcloud_sdk_root()
    path = sdk_root / EMULATOR_RELATIVE_PATH if sdk_root else None
    return path if path and path.is_file() else None


def _gcloud_sdk_root() -> Path | None:
    try:
        result = subprocess.run(
            ["gcloud", "info", "--format=value(installation.sdk_root)"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    root = result.stdout.strip()
    return Path(root) if result.returncode == 0 and root else None


def emulator_command(binary: Path, port: int, fault_injection: bool = False) -> list[str]:
    """emulator_main's command line: on 127.0.0.1:port, aborting commits at random if asked."""
    command = [str(binary), "--host_port", f"127.0.0.1:{port}"]
    return [*command, FAULT_INJECTION_FLAG] if fault_injection else command


def start_binary(
    binary: Path, log_dir: Path, timeout: float = 10.0, fault_injection: bool = False
) -> Backend:
    """Start emulator_main on a free loopback port and wait until it accepts connections."""
    log_path = log_dir / "spanner-emulator.log"
    for _attempt in range(3):  # a free port can be taken between probe and bind
        port = ports.free_port()
        child = processes.spawn(emulator_command(binary, port, fault_injection), log_path)
        if wait_for_port("127.0.0.1", port, timeout, alive=child):
            return Backend("binary", f"127.0.0.1:{port}", log_path, fault_injection, _child=child)
        hung = child.poll() is None
        processes.stop(child)
        if hung:
            raise BackendError(
                f"the Spanner emulator {binary} did not listen on 127.0.0.1:{port} within "
                f"{timeout:g}s; its log {log_path}:\n{tail(log_path)}"
            )
    raise BackendError(
        f"the Spanner emulator {binary} did not start; its log {log_path}:\n{tail(log_path)}"
    )


def compose_command() -> list[str]:
    """`docker compose` (v2) where the plugin answers, else the older `docker-compose`."""
    try:
        if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
            return ["docker", "compose"]
    except OSError:
        pass
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    raise BackendError("spanner.backend=docker needs `docker compose` or `docker-compose`")


def compose_environment(fault_injection: bool) -> dict[str, str]:
    """The environment `docker compose up` runs in: the fault-injection flag's value, always
    set (Go's flag parser takes true or false, not every spelling the suite accepts)."""
    value = "true" if fault_injection else "false"
    return {**os.environ, COMPOSE_FAULT_INJECTION_VARIABLE: value}


def start_docker(log_dir: Path, timeout: float = 120.0, fault_injection: bool = False) -> Backend:
    log_path = log_dir / "docker-compose.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [*compose_command(), "-f", str(COMPOSE_FILE), "up", "-d", COMPOSE_SERVICE]
    with open(log_path, "ab") as log:
        result = subprocess.run(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
            env=compose_environment(fault_injection),
        )
    backend = Backend("docker", DOCKER_EMULATOR_HOST, log_path, fault_injection, _compose=True)
    if result.returncode != 0 or not wait_for_port("localhost", 9010, timeout):
        backend.stop()
        raise BackendError(
            f"`{' '.join(command)}` did not give a running emulator:\n{tail(log_path)}"
        )
    return backend


def docker_engine_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def choose_backend(settings: SpannerSettings) -> str:
    """Resolve `auto` to a concrete backend name, or explain how to get an emulator."""
    if settings.backend != "auto":
        return settings.backend
    if settings.emulator_host:
        return "external"
    if find_emulator_binary(settings.emulator_binary):
        return "binary"
    if docker_engine_answers():
        return "docker"
    raise BackendError(
        "no Spanner emulator found. Any one of these works:\n"
        "  - install the emulator: apt-get install google-cloud-cli-spanner-emulator\n"
        "    (or `gcloud components install cloud-spanner-emulator`),\n"
        "    or point SPANNER_EMULATOR_BINARY at emulator_main;\n"
        "  - run one yourself and set SPANNER_EMULATOR_HOST=host:port;\n"
        "  - start Docker, so `docker compose` can run the emulator image;\n"
        "  - use real Cloud Spanner with -D spanner.backend=cloud."
    )


def check_fault_injection(backend: str, settings: SpannerSettings) -> None:
    """Refuse faults on a Spanner the suite does not start: it cannot pass the flag there."""
    if not settings.fault_injection or backend in ("binary", "docker"):
        return
    where = {
        "external": "an emulator someone else started (SPANNER_EMULATOR_HOST)",
        "cloud": "Cloud Spanner",
    }.get(backend, f"the {backend} backend")
    raise BackendError(
        f"setting spanner.fault_injection=true: the suite cannot start {where} with "
        f"{FAULT_INJECTION_FLAG}; use spanner.backend=binary or docker, or set "
        "spanner.fault_injection=false"
    )


def open_backend(settings: SpannerSettings) -> Backend:
    log_dir = settings.log_dir
    name = choose_backend(settings)
    check_fault_injection(name, settings)
    if name == "external":
        if not settings.emulator_host:
            raise BackendError(
                "spanner.backend=external needs SPANNER_EMULATOR_HOST (host:port of the emulator)"
            )
        return Backend("external", settings.emulator_host)
    if name == "binary":
        binary = find_emulator_binary(settings.emulator_binary)
        if binary is None:
            raise BackendError(
                "spanner.backend=binary: emulator_main not found; set SPANNER_EMULATOR_BINARY "
                "or install google-cloud-cli-spanner-emulator"
            )
        return start_binary(binary, log_dir, fault_injection=settings.fault_injection)
    if name == "docker":
        return start_docker(log_dir, fault_injection=settings.fault_injection)
    return Backend("cloud", None)
