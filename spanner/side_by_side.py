"""Several calls to the database server at once, each on a daemon thread of its own.

Daemon threads, not a ThreadPoolExecutor: Python joins an executor's threads when it exits, and
a call to a Spanner server that died can go on for up to an hour inside the client (a commit is
retried on UNAVAILABLE with a deadline of 3600 s). The run's watchdog (harness/watchdog.py)
interrupts the wait here when the emulator dies; the thread left calling it must then not hold
the process at its exit (tests/harness/test_faults.py ends a run within 20 s of the kill).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def side_by_side(jobs: Mapping[K, Callable[[], T]]) -> dict[K, T]:
    """Each job's result by its key, all run at once; the first error in the jobs' order is
    raised once every job has ended."""
    if len(jobs) < 2:
        return {key: job() for key, job in jobs.items()}
    results: dict[K, T] = {}
    errors: dict[K, BaseException] = {}

    def run(key: K, job: Callable[[], T]) -> None:
        try:
            results[key] = job()
        except BaseException as error:  # noqa: BLE001 - handed to the caller below
            errors[key] = error

    threads = [
        threading.Thread(target=run, args=(key, job), daemon=True, name=f"side-by-side {key}")
        for key, job in jobs.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for key in jobs:
        if key in errors:
            raise errors[key]
    return {key: results[key] for key in jobs}
