"""spanner/side_by_side.py: calls to the database server at once; the first error in order;
and a call stuck on a dead server never holds the process at its exit."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from spanner.side_by_side import side_by_side

REPO = Path(__file__).resolve().parents[2]


def test_each_result_by_its_key_all_at_once() -> None:
    both_running = threading.Barrier(2, timeout=10)

    def job(value: int) -> int:
        both_running.wait()  # each waits for the other: they run at the same time
        return value * 2

    assert side_by_side({"a": lambda: job(1), "b": lambda: job(2)}) == {"a": 2, "b": 4}


def test_the_first_error_in_order_once_every_job_has_ended() -> None:
    ended: list[str] = []

    def fails(name: str) -> None:
        ended.append(name)
        raise ValueError(name)

    def slow() -> str:
        ended.append("slow")
        return "done"

    with pytest.raises(ValueError, match="first"):
        side_by_side(
            {"ok": slow, "first": lambda: fails("first"), "second": lambda: fails("second")}
        )
    assert sorted(ended) == ["first", "second", "slow"]


# The watchdog's interrupt (here an alarm) ends the wait; the job still waiting on its server
# (here an event no one sets) must not keep the process from exiting.
STUCK = """
import signal, threading
from spanner.side_by_side import side_by_side

def interrupted(signum, frame):
    raise RuntimeError("the server died")

signal.signal(signal.SIGALRM, interrupted)
signal.alarm(1)
never = threading.Event()
side_by_side({"stuck": never.wait, "also stuck": never.wait})
"""


def test_a_job_stuck_on_a_dead_server_does_not_hold_the_process_at_exit() -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", STUCK], cwd=REPO, capture_output=True, text=True, timeout=30
    )
    seconds = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "RuntimeError: the server died" in done.stderr
    assert seconds < 10, f"the process took {seconds:.1f} s to exit after the interrupt"
