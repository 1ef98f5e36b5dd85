"""The emulator never outlives the run: stop(), SIGTERM of the runner, SIGKILL of the runner."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tenacity import Retrying, retry_if_result, stop_after_delay, wait_exponential

from spanner.emulator import find_emulator_binary, start_binary

RUNNER = """
import sys
from pathlib import Path

from base import processes
from spanner.emulator import find_emulator_binary, start_binary

processes.install_exit_handlers()  # as environment.py's before_all does
if sys.argv[2] == "python-launcher":
    processes._SETPRIV = None  # as on a machine without util-linux's setpriv
backend = start_binary(find_emulator_binary(None), Path(sys.argv[1]))
print(backend._child.pid, flush=True)
sys.stdin.read()
"""


def is_running(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting for its reaper."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state not in ("Z", "X")


def gone_within(pid: int, seconds: float) -> bool:
    retrying = Retrying(
        retry=retry_if_result(lambda running: running),
        wait=wait_exponential(multiplier=0.01, max=0.2),
        stop=stop_after_delay(seconds),
        retry_error_callback=lambda state: state.outcome.result(),
    )
    return not retrying(is_running, pid)


@pytest.fixture
def emulator_binary() -> Path:
    binary = find_emulator_binary(None)
    if binary is None:
        pytest.skip("no Cloud Spanner emulator (emulator_main) installed")
    return binary


def test_stop_leaves_no_emulator_process(emulator_binary: Path, tmp_path: Path) -> None:
    backend = start_binary(emulator_binary, tmp_path)
    pid = backend._child.pid
    assert is_running(pid)
    backend.stop()
    assert not is_running(pid)
    assert (tmp_path / "spanner-emulator.log").exists()


def start_runner(tmp_path: Path, launcher: str = "setpriv") -> tuple[subprocess.Popen[str], int]:
    script = tmp_path / "runner.py"
    script.write_text(RUNNER)
    runner = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path), launcher],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    ready, _, _ = select.select([runner.stdout], [], [], 30)
    if not ready:
        runner.kill()
        pytest.fail("the runner did not report an emulator pid within 30 s")
    pid = int(runner.stdout.readline())
    assert is_running(pid)
    return runner, pid


@pytest.mark.parametrize(
    ("signum", "exit_code"),
    [
        # SIGTERM becomes SystemExit(128 + 15), so atexit stops the emulator
        (signal.SIGTERM, 128 + signal.SIGTERM),
        # SIGKILL runs no Python at all: the kernel's parent-death signal must do it
        (signal.SIGKILL, -signal.SIGKILL),
    ],
    ids=["SIGTERM", "SIGKILL"],
)
@pytest.mark.parametrize("launcher", ["setpriv", "python-launcher"])
def test_emulator_dies_with_the_runner(
    emulator_binary: Path, tmp_path: Path, signum: signal.Signals, exit_code: int, launcher: str
) -> None:
    runner, pid = start_runner(tmp_path, launcher)
    try:
        runner.send_signal(signum)
        assert runner.wait(timeout=15) == exit_code
        assert gone_within(pid, 10), f"emulator {pid} outlived its runner ({signum.name})"
    finally:
        runner.kill()
        if is_running(pid):
            os.kill(pid, signal.SIGKILL)
