"""Read-write transactions that survive the emulator's one-writer-per-database rule.

The emulator runs one read-write transaction per database at a time and aborts the others. The
Python client reports that as Aborted, or as NotFound "Transaction not found", or as
FailedPrecondition "Invalid transaction ID" (at commit, on a multiplexed session) or
"Cannot read or query using a transaction after it has been committed or rolledback" (a read of
a transaction the emulator already rolled back). Database.run_in_transaction retries only
Aborted, and then after 2**n + U(0, 1) seconds; here every kind is retried, in one loop, with
jittered exponential backoff, bounded in attempts and in time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import tenacity
from google.api_core import exceptions as api_exceptions
from google.cloud.spanner_v1.database import Database

T = TypeVar("T")

# The words by which the server says it ended the transaction before it committed; each means
# nothing of the attempt was written, so the whole unit of work can run again.
_ABORT_MESSAGES: dict[type[api_exceptions.GoogleAPICallError], tuple[str, ...]] = {
    api_exceptions.NotFound: ("Transaction not found",),
    api_exceptions.FailedPrecondition: (
        "Invalid transaction ID",
        # the emulator's words are "committed or rolledback."; "rolled back" is matched too
        "Cannot read or query using a transaction after it has been committed or rolled",
        # the same at commit (in the emulator's strings; not seen under load so far)
        "Cannot commit a transaction after it has been rolled back",
    ),
}

MAX_ATTEMPTS = 30
FIRST_BACKOFF_SECONDS = 0.02
LONGEST_BACKOFF_SECONDS = 1.0


def is_transient_conflict(error: BaseException) -> bool:
    """Whether ``error`` is the abort of a read-write transaction, in any of its forms."""
    if isinstance(error, api_exceptions.Aborted):
        return True
    for kind, messages in _ABORT_MESSAGES.items():
        if isinstance(error, kind):
            text = str(error)
            return any(message in text for message in messages)
    return False


def run_in_transaction(
    database: Database, work: Callable[..., T], *args: Any, timeout: float = 30.0
) -> T:
    """Run ``work(transaction, *args)`` in a read-write transaction, retrying every abort.

    At most MAX_ATTEMPTS attempts, none started after ``timeout`` seconds; then the last error
    is raised. ``work`` may run several times, so it must only touch the database.
    """
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(is_transient_conflict),
        wait=tenacity.wait_random_exponential(
            multiplier=FIRST_BACKOFF_SECONDS, max=LONGEST_BACKOFF_SECONDS
        ),
        stop=tenacity.stop_after_attempt(MAX_ATTEMPTS) | tenacity.stop_before_delay(timeout),
        reraise=True,
    )
    # timeout_secs=0: the client's own loop hands every abort to the loop above at once.
    return retrying(database.run_in_transaction, work, *args, timeout_secs=0)
