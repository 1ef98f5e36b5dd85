"""Read-write transactions that survive the emulator's one-writer-per-database rule.

The emulator aborts a read-write transaction when another one is running on the same database;
the Python client sometimes reports that as NotFound "Transaction not found" (or, at commit,
FailedPrecondition "Invalid transaction ID"), which Database.run_in_transaction does not retry.
All are retried here, with jittered backoff.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import tenacity
from google.api_core import exceptions as api_exceptions
from google.cloud.spanner_v1.database import Database

T = TypeVar("T")


def is_transient_conflict(error: BaseException) -> bool:
    if isinstance(error, api_exceptions.Aborted):
        return True
    if isinstance(error, api_exceptions.NotFound):
        return "Transaction not found" in str(error)
    # on a multiplexed session the same abort can surface at commit as this
    return isinstance(error, api_exceptions.FailedPrecondition) and (
        "Invalid transaction ID" in str(error)
    )


def run_in_transaction(
    database: Database, work: Callable[..., T], *args: Any, timeout: float = 30.0
) -> T:
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(is_transient_conflict),
        wait=tenacity.wait_random_exponential(multiplier=0.01, max=0.5),
        stop=tenacity.stop_after_delay(timeout),
        reraise=True,
    )
    return retrying(database.run_in_transaction, work, *args)
