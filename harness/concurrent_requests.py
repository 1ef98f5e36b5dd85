"""Many writers sending their request at the same moment, each as its own browser would.

Each writer has an HTTP client of its own (its own cookies, like a browser profile). First it
gets ready at its own pace: it opens the form, signs in, whatever its request needs. Then every
writer waits at one barrier, and all are released together to send their request. Nothing is
staggered: a writer that is not ready within the time given breaks the barrier, and the run
says which writer and why.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

# A writer: given its own client, gets ready and returns the request to send at the moment.
Writer = Callable[[httpx.Client], Callable[[], httpx.Response]]


class WritersNotReleased(AssertionError):  # noqa: N818 - the name says what happened
    """A writer could not get ready, so the writers were never released together: the
    scenario fails with the reason (a sign-in answered 500, say)."""


@dataclass(frozen=True)
class Outcome:
    """What one writer's request got: its answer (or the error instead), and how long it took."""

    writer: int
    response: httpx.Response | None
    error: BaseException | None
    seconds: float

    @property
    def status(self) -> int | None:
        return self.response.status_code if self.response is not None else None

    def describe(self) -> str:
        if self.response is None:
            return f"writer {self.writer}: no answer ({type(self.error).__name__}: {self.error})"
        return f"writer {self.writer}: {self.response.status_code} in {self.seconds:.2f}s"


@dataclass(frozen=True)
class Burst:
    """The outcomes of writers released together, in the writers' order."""

    outcomes: tuple[Outcome, ...]
    seconds: float  # the longest request, from the release to its answer

    def statuses(self) -> Counter[int | None]:
        return Counter(outcome.status for outcome in self.outcomes)

    def unanswered(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.response is None]

    def server_errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is not None and o.status >= 500]

    def report(self) -> str:
        """The summary, then one line per writer."""
        return "\n".join([self.summary(), *(outcome.describe() for outcome in self.outcomes)])

    def summary(self) -> str:
        counted = sorted(self.statuses().items(), key=lambda item: str(item[0]))
        statuses = ", ".join(f"{n} answered {status or 'nothing'}" for status, n in counted)
        return (
            f"{len(self.outcomes)} requests released together, answered within "
            f"{self.seconds:.2f}s: {statuses}"
        )


def _run_writer(
    index: int,
    writer: Writer,
    client: httpx.Client,
    barrier: threading.Barrier,
    ready_errors: dict[int, BaseException],
    outcomes: dict[int, Outcome],
) -> None:
    try:
        send = writer(client)
    except BaseException as error:  # noqa: BLE001 - reported by release_together
        ready_errors[index] = error
        barrier.abort()
        return
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        return
    started = time.perf_counter()
    try:
        response: httpx.Response | None = send()
        error: BaseException | None = None
    except Exception as failure:  # noqa: BLE001 - an unanswered request is an outcome
        response, error = None, failure
    outcomes[index] = Outcome(index, response, error, time.perf_counter() - started)


def release_together(
    writers: Sequence[Writer],
    base_url: str,
    ready_timeout: float = 60.0,
    request_timeout: float = 60.0,
    on_release: Callable[[], None] | None = None,
) -> Burst:
    """Get every writer ready, release them together, and wait for every answer.

    ``ready_timeout`` bounds how long the writers may take to get ready, ``request_timeout``
    each request; an answer that does not come is an Outcome with its error. ``on_release``
    runs once, when every writer is ready and none is released yet.
    """
    if not writers:
        raise ValueError("release_together needs at least one writer")
    barrier = threading.Barrier(len(writers), action=on_release, timeout=ready_timeout)
    ready_errors: dict[int, BaseException] = {}
    outcomes: dict[int, Outcome] = {}
    clients = [
        httpx.Client(base_url=base_url, timeout=request_timeout, trust_env=False) for _ in writers
    ]
    threads = [
        threading.Thread(
            target=_run_writer,
            args=(index, writer, clients[index], barrier, ready_errors, outcomes),
            name=f"writer-{index}",
            daemon=True,
        )
        for index, writer in enumerate(writers)
    ]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + ready_timeout + request_timeout + 5
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
    finally:
        for client in clients:
            client.close()
    if ready_errors:
        index, error = min(ready_errors.items())
        raise WritersNotReleased(
            f"{len(ready_errors)} of {len(writers)} writers could not get ready, so none was "
            f"released; writer {index}: {type(error).__name__}: {error}"
        ) from error
    if barrier.broken and not outcomes:
        raise WritersNotReleased(
            f"the {len(writers)} writers were not all ready within {ready_timeout:g}s"
        )
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        raise WritersNotReleased(
            f"{', '.join(stuck)} still running {ready_timeout + request_timeout + 5:g}s after "
            "the writers started"
        )
    missing = [index for index in range(len(writers)) if index not in outcomes]
    if missing:
        raise WritersNotReleased(f"writers {missing} were not released with the others")
    ordered = tuple(outcomes[index] for index in range(len(writers)))
    return Burst(ordered, max(outcome.seconds for outcome in ordered))
