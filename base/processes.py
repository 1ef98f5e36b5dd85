"""Child processes that never outlive the run.

Three layers, because each covers a way the runner can end:
- a normal end or an exception: the owner calls stop(), and atexit stops what is left;
- SIGTERM / SIGHUP: turned into SystemExit, so atexit runs;
- SIGKILL of the runner: the kernel sends the child SIGTERM (PR_SET_PDEATHSIG).
Each child leads its own process group, so stopping it stops its helpers too.

The death signal is set by util-linux's `setpriv --pdeathsig` (or, without it, by a tiny Python
launcher) in the child after it starts, never by a preexec_fn: Python code run between fork and
exec in a process where gRPC has started its threads makes gRPC's fork handlers abort the child.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from base.logs import tail

_children: set[subprocess.Popen[bytes]] = set()
_lock = threading.Lock()
_SETPRIV = shutil.which("setpriv")


def dying_with_parent(command: Sequence[str]) -> list[str]:
    """`command`, started so that it gets SIGTERM when this process dies."""
    if _SETPRIV:
        return [_SETPRIV, "--pdeathsig", "TERM", "--", *command]
    return [sys.executable, "-m", "base.pdeathsig", *command]


def spawn(
    command: Sequence[str],
    log_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start a child whose output goes to log_path and which dies with this process."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        child = subprocess.Popen(
            dying_with_parent(command),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
    with _lock:
        _children.add(child)
    return child


def describe_exit(child: subprocess.Popen[bytes], what: str, log_path: Path | None) -> str:
    """`the Spanner emulator exited with signal 9; the end of its log <path>: ...`"""
    code = child.poll()
    if code is None:
        how = "stopped answering"
    elif code < 0:
        how = f"exited with signal {-code} ({signal.Signals(-code).name})"
    else:
        how = f"exited with code {code}"
    if log_path is None:
        return f"{what} {how}"
    return f"{what} {how}; the end of its log {log_path}:\n{tail(log_path, 15)}"


def stop(child: subprocess.Popen[bytes], grace_seconds: float = 5.0) -> None:
    """Terminate the child's process group; kill it if it does not go within the grace time."""
    with _lock:
        _children.discard(child)
    if child.poll() is None:
        _signal_group(child, signal.SIGTERM)
        try:
            child.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.wait()
    # helpers left in the group after the leader exited
    _signal_group(child, signal.SIGKILL)


def _signal_group(child: subprocess.Popen[bytes], signum: int) -> None:
    try:
        os.killpg(child.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def stop_all() -> None:
    with _lock:
        children = list(_children)
    for child in children:
        stop(child)


_received: list[int] = []


def _interrupt_on_signal(signum: int, _frame: object) -> None:
    """Unwind like Ctrl-C: behave then aborts the run and still runs its clean-up."""
    _received.append(signum)
    raise KeyboardInterrupt(f"{signal.Signals(signum).name} received")


def _exit_code_of_signal() -> None:
    """Registered first, so it runs last: the process ends with 128 + the signal's number
    (130 after Ctrl-C, 143 after SIGTERM) once everything else has been cleaned up."""
    if _received:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(128 + _received[0])


def install_exit_handlers() -> None:
    """Make Ctrl-C, SIGTERM and SIGHUP unwind normally, so clean-up code and atexit run, and
    end the process with the signal's exit code."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(signum) in (signal.SIG_DFL, signal.default_int_handler, None):
                signal.signal(signum, _interrupt_on_signal)


atexit.register(_exit_code_of_signal)
atexit.register(stop_all)
