"""One call run in a thread that outlives it until released (the children it starts die
with the thread that started them: base/processes.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """One call run in a daemon thread; `result()` waits for it and raises what it raised.

    The thread then lives on until `release()`: a child started with a death signal
    (base/processes.py, PR_SET_PDEATHSIG) gets it when the thread that started it ends, not
    only when the process does, so the thread must outlive the children it started.
    """

    def __init__(self, name: str, work: Callable[[], T]) -> None:
        self._future: Future[T] = Future()
        self._released = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(work,), name=name, daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._future.set_result(work())
        except BaseException as error:  # handed to the waiting thread, raised there
            self._future.set_exception(error)
        self._released.wait()

    def release(self) -> None:
        """Let the thread end: call it once the children it started are stopped."""
        self._released.set()

    def result(self) -> T:
        return self._future.result()

    def error(self) -> BaseException | None:
        """Wait for the call to end; what it raised, if anything."""
        return self._future.exception()
