"""A product's app, started as a subprocess on a free port and stopped at the end.

The app is a reference app (`python -m <module> --host H --port P`) or a command in any
language. Every app takes the same environment (docs/app-contract.md): where Spanner is, one
APP_DATABASE_<NAME> per database with its id, the SMTP server to send mail to, its own public
URL, and the host and port to listen on. It is ready when GET <health path> answers 200.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from base import processes
from base.logs import tail
from base.ports import free_port
from base.timing import Timings


class AppStartError(RuntimeError):
    pass


@dataclass
class RunningApp:
    base_url: str
    log_path: Path | None = None
    _child: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    # run by harness/app_gate.py under coverage (SUITE_APP_COVERAGE): told of each scenario
    measured: bool = False

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

    def send_signal(self, signum: int) -> None:
        """To the app's process, when the suite runs it (else nothing)."""
        if self._child is not None and self._child.poll() is None:
            self._child.send_signal(signum)


def external_app(base_url: str) -> RunningApp:
    return RunningApp(base_url.rstrip("/"))


@dataclass
class PrestartedApp:
    """A reference app's process started ahead of its databases (harness/app_gate.py): it
    imports the app, then waits to be handed its environment and command line."""

    module: str
    log_path: Path
    child: subprocess.Popen[bytes]
    listener: socket.socket
    port: int  # where the app will listen: known now, so a browser can be made ready for it
    started: float = field(default_factory=time.perf_counter)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        """Stop the process if it was never handed over (a failed start); else nothing."""
        self.listener.close()
        processes.stop(self.child)

    def hand_over(self, env: Mapping[str, str], args: list[str], timeout: float) -> float:
        """Give the waiting process its environment and command line; the seconds its imports
        took. Waits (bounded, watching the child) until it has imported the app."""
        deadline = time.perf_counter() + timeout
        self.listener.settimeout(PROBE_INTERVAL)
        while True:
            try:
                connection, _ = self.listener.accept()
                break
            except TimeoutError:
                if self.child.poll() is not None:
                    raise _Exited(f"it exited with code {self.child.returncode}") from None
                if time.perf_counter() > deadline:
                    raise TimeoutError("it did not finish importing the app") from None
        self.listener.close()
        with connection:
            connection.settimeout(max(deadline - time.perf_counter(), PROBE_INTERVAL))
            imported = float(connection.makefile("rb").readline() or 0)
            connection.sendall(json.dumps({"env": dict(env), "args": args}).encode())
        return imported


def prestart_app(
    name: str,
    module: str,
    cwd: Path,
    log_dir: Path,
    own_code_later: bool = False,
    port: int | None = None,
) -> PrestartedApp:
    """Start `module`'s process now, to run it later with start_app(..., prestarted=...) on
    `port` (None: a free one); own_code_later: importing only what the app shares, none of its
    own package (its code may still change: a mutation run's next mutant)."""
    listener = socket.create_server((HOST, 0))
    address = f"{HOST}:{listener.getsockname()[1]}"
    log_path = log_dir / f"{name}-app.log"
    command = [sys.executable, str(APP_GATE), address, "-m", module]
    env = {**os.environ, OWN_CODE_LATER_ENV: "1"} if own_code_later else None
    try:
        child = processes.spawn(command, log_path, env=env, cwd=cwd)
    except BaseException:
        listener.close()
        raise
    return PrestartedApp(module, log_path, child, listener, port or free_port())


@dataclass(frozen=True)
class AppLaunch:
    """What it takes to start one app: a reference app (module) or a command."""

    name: str  # names its log file
    module: str | None  # run as `python -m <module>`; None: run `command`
    cwd: Path
    database_ids: Mapping[str, str]  # database name -> database id
    spanner_project: str
    spanner_instance: str
    emulator_host: str | None
    smtp_host: str
    smtp_port: int
    log_dir: Path
    timeout: float
    command: tuple[str, ...] = ()  # {host} and {port} in a word are filled in
    health_path: str = "/healthz"
    port: int | None = None  # None: a free port

    @property
    def what(self) -> str:
        """The app, for messages."""
        if self.module:
            return f"the reference app {self.module}"
        return f"the app command {' '.join(self.command)!r} (in {self.cwd})"


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


HOST = "127.0.0.1"
APP_GATE = Path(__file__).with_name("app_gate.py")
# a folder: the reference apps' lines run, by scenario (harness/app_coverage.py)
APP_COVERAGE_ENV = "SUITE_APP_COVERAGE"
# harness/app_gate.py reads it by name too (it imports nothing of the harness)
OWN_CODE_LATER_ENV = "SUITE_APP_GATE_OWN_CODE_LATER"


def listening_environment(port: int) -> dict[str, str]:
    """Where the app listens: APP_HOST and APP_PORT, and PORT as most frameworks read it."""
    return {"APP_HOST": HOST, "APP_PORT": str(port), "PORT": str(port)}


def app_argv(launch: AppLaunch, port: int, env: dict[str, str]) -> list[str]:
    """The command line: the reference app's, or the declared command with {host} and {port}
    filled in and its program found on the app's PATH (relative to its folder)."""
    if launch.module:
        return [sys.executable, "-m", launch.module, "--host", HOST, "--port", str(port)]
    if not launch.command:
        raise AppStartError(f"{launch.name}: no reference app module and no app command")
    words = [word.replace("{port}", str(port)).replace("{host}", HOST) for word in launch.command]
    program = words[0]
    if os.sep in program:
        found = launch.cwd / program if not Path(program).is_absolute() else Path(program)
        found_path = str(found) if os.access(found, os.X_OK) else None
    else:
        found_path = shutil.which(program, path=env.get("PATH"))
    if found_path is None:
        raise AppStartError(
            f"{launch.what}: cannot start it, {program!r} is not an executable program "
            f"(looked for it on PATH, or in {launch.cwd} for a relative path)"
        )
    return [found_path, *words[1:]]


def start_app(
    launch: AppLaunch, timings: Timings | None = None, prestarted: PrestartedApp | None = None
) -> RunningApp:
    """Run the app on its fixed port, else the one its prestart chose, else a free one; ready
    when GET <health path> answers 200.
    A reference app prestarted (prestart_app) is handed its launch instead of started anew."""
    port = launch.port or (prestarted.port if prestarted is not None else free_port())
    if launch.port and _answers(port):
        if prestarted is not None:
            prestarted.stop()
        raise AppStartError(f"{launch.what}: its port {port} is already taken by another program")
    base_url = f"http://{HOST}:{port}"
    log_path = launch.log_dir / f"{launch.name}-app.log"
    env = {**app_environment(launch, base_url), **listening_environment(port)}
    command = app_argv(launch, port, env)
    measuring = bool(os.environ.get(APP_COVERAGE_ENV))
    if prestarted is None and launch.module and measuring:
        # measured by scenario (harness/app_gate.py), which only the gate does
        prestarted = prestart_app(launch.name, launch.module, launch.cwd, launch.log_dir)
    if prestarted is not None and prestarted.module == launch.module:
        child, log_path = prestarted.child, prestarted.log_path
    else:
        if prestarted is not None:
            prestarted.stop()
            prestarted = None
        child = processes.spawn(command, log_path, env=env, cwd=launch.cwd)
    app = RunningApp(base_url, log_path, child, measured=measuring and prestarted is not None)
    try:
        if prestarted is not None:
            imported = prestarted.hand_over(env, command[3:], launch.timeout)
            if timings is not None:
                timings.record("app start: imports (ahead)", imported)
        _wait_healthy(base_url, launch.health_path, child, launch.timeout, timings)
    except Exception as error:
        app.stop()
        if prestarted is not None:
            prestarted.stop()
        raise AppStartError(
            f"{launch.what} did not become healthy (GET {launch.health_path} answering 200) "
            f"within {launch.timeout:g}s ({error}); its log {log_path}:\n{app.log_tail(40)}"
        ) from None
    return app


def _answers(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=1).close()
    except OSError:
        return False
    return True


# the name the callers of the reference apps know
start_reference_app = start_app


# The pause between health probes, spent waiting on the child's exit: the app's readiness (or
# its death) is seen within this much of the fact.
PROBE_INTERVAL = 0.01


class _Exited(Exception):
    pass


def _wait_healthy(
    base_url: str,
    health_path: str,
    child: subprocess.Popen[bytes],
    timeout: float,
    timings: Timings | None = None,
) -> None:
    """Probe GET <health path> on one client until it answers 200, the child exits, or
    `timeout` seconds pass; the time to its first answer and to 200 go to `timings`."""
    started = time.perf_counter()
    deadline = started + timeout
    listening = False
    last: Exception = TimeoutError("no answer yet")
    # the app is on loopback: no proxy from the environment may stand between
    with httpx.Client(timeout=2, trust_env=False) as client:
        while True:
            try:
                response = client.get(f"{base_url}{health_path}")
            except httpx.HTTPError as error:
                last = error
            else:
                if not listening and timings is not None:
                    timings.record("app start: listening", time.perf_counter() - started)
                listening = True
                if response.status_code == 200:
                    if timings is not None:
                        timings.record("app start: healthy", time.perf_counter() - started)
                    return
                last = AssertionError(f"{health_path} answered {response.status_code}")
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise last
            try:
                child.wait(timeout=min(PROBE_INTERVAL, remaining))
            except subprocess.TimeoutExpired:
                continue
            raise _Exited(f"it exited with code {child.returncode}")
