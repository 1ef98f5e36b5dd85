"""The run's start, side by side: the services in a thread of their own, the browser in the
main thread (Playwright's sync API must be used from the thread that started it).

The services' thread starts Spanner, the mail sink and the first feature's product (its
databases and app) while the main thread starts Playwright and the browser; before_all then
waits for the thread. A failure on either side is raised only once both are done, so that
behave's clean-ups stop everything that was started, and names its cause.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import TypeVar

from harness.fault_injection import wants_faults

T = TypeVar("T")


class Background:
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


def first_feature_to_run(features: Iterable, config) -> object | None:
    """The first feature with a scenario this run selects (tags, names); None if none does."""
    for feature in features:
        if any(scenario.should_run(config) for scenario in feature.walk_scenarios()):
            return feature
    return None


def product_to_start_early(features: Iterable, config, product_of) -> object | None:
    """The product whose databases and app start with the run's services: the first running
    feature's, unless it runs on an emulator of its own (@spanner.fault_injection)."""
    feature = first_feature_to_run(features, config)
    if feature is None or wants_faults(feature.tags):
        return None
    return product_of(feature.tags, feature.filename)
