"""Spanner access: one client and the product's databases, queries, retried writes, ping.

Every SQL value goes through query parameters; ``bind`` builds params and param_types.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from google.api_core.exceptions import Aborted, FailedPrecondition, GoogleAPICallError, NotFound
from google.auth.credentials import AnonymousCredentials
from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)

from app.platform.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
Row = dict[str, Any]

TRANSACTION_TIMEOUT_SECONDS = 30
HEALTH_TIMEOUT_SECONDS = 5


class Databases:
    """The product's databases by name (``dbs.users``, ``dbs["users"]``) on one client."""

    def __init__(self, client: spanner.Client, handles: Mapping[str, Database]) -> None:
        self.client = client
        self._handles = dict(handles)

    def __getattr__(self, name: str) -> Database:
        handles = self.__dict__.get("_handles", {})
        if name in handles:
            return handles[name]
        raise AttributeError(f"no database named {name!r}; the app has: {', '.join(handles)}")

    def __getitem__(self, name: str) -> Database:
        try:
            return self._handles[name]
        except KeyError:
            raise KeyError(
                f"no database named {name!r}; the app has: {', '.join(self._handles)}"
            ) from None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._handles)

    def close(self) -> None:
        self.client.close()


def connect(settings: Settings) -> Databases:
    """One client (anonymous on the emulator) and a handle on every configured database."""
    if settings.spanner_emulator_host:
        client = spanner.Client(
            project=settings.spanner_project,
            credentials=AnonymousCredentials(),
            client_options={"api_endpoint": settings.spanner_emulator_host},
            disable_builtin_metrics=True,
        )
    else:
        client = spanner.Client(project=settings.spanner_project)  # Application Default Creds
    instance = client.instance(settings.spanner_instance)
    return Databases(
        client, {name: instance.database(db_id) for name, db_id in settings.databases.items()}
    )


def _param_type(value: object) -> spanner.param_types.Type:
    # bool before int: bool is a subclass of int.
    if isinstance(value, bool):
        return spanner.param_types.BOOL
    if isinstance(value, int):
        return spanner.param_types.INT64
    if isinstance(value, str):
        return spanner.param_types.STRING
    if isinstance(value, Decimal):
        return spanner.param_types.NUMERIC
    if isinstance(value, datetime):
        return spanner.param_types.TIMESTAMP
    if isinstance(value, date):
        return spanner.param_types.DATE
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return spanner.param_types.Array(spanner.param_types.STRING)
    raise TypeError(f"no Spanner type for {type(value).__name__}; give one explicitly")


def bind(values: Mapping[str, object]) -> dict[str, Any]:
    """Keyword arguments ``params=`` and ``param_types=`` for execute_sql/execute_update."""
    return {
        "params": dict(values),
        "param_types": {name: _param_type(v) for name, v in values.items()},
    }


def query(database: Database, sql: str, values: Mapping[str, object] | None = None) -> list[Row]:
    """Run a read-only query in a single-use snapshot."""
    with database.snapshot() as snapshot:
        return snapshot.execute_sql(sql, **bind(values or {})).to_dict_list()


def query_one(
    database: Database, sql: str, values: Mapping[str, object] | None = None
) -> Row | None:
    rows = query(database, sql, values)
    return rows[0] if rows else None


def tx_query(txn: Transaction, sql: str, values: Mapping[str, object] | None = None) -> list[Row]:
    return txn.execute_sql(sql, **bind(values or {})).to_dict_list()


def tx_update(txn: Transaction, sql: str, values: Mapping[str, object] | None = None) -> int:
    return txn.execute_update(sql, **bind(values or {}))


# Errors by which Spanner, and above all the emulator, says that it ended a read-write
# transaction before it committed. The emulator runs one read-write transaction per database at
# a time and aborts the others; the client reports that as Aborted, or - on a multiplexed
# session, or when the transaction was rolled back under a request still in flight - as one of
# these. Database.run_in_transaction retries none of them but Aborted. Each means nothing of
# the attempt was committed, so the whole unit of work can run again.
_ABORT_MESSAGES: dict[type[GoogleAPICallError], tuple[str, ...]] = {
    NotFound: ("Transaction not found",),
    FailedPrecondition: (
        "Invalid transaction ID",  # at commit, on a multiplexed session
        # the emulator's words are "committed or rolledback."; "rolled back" is matched too
        "Cannot read or query using a transaction after it has been committed or rolled",
        # the same at commit (in the emulator's strings; not seen under load so far)
        "Cannot commit a transaction after it has been rolled back",
    ),
}

MAX_WRITE_ATTEMPTS = 20
# Full jitter: attempt n waits a random time up to min(FIRST * 2**(n-1), LONGEST) seconds.
FIRST_BACKOFF_SECONDS = 0.05
LONGEST_BACKOFF_SECONDS = 2.0


def _retryable(exc: BaseException) -> bool:
    """Whether ``exc`` is an abort of a read-write transaction, in any of its forms."""
    if isinstance(exc, Aborted):
        return True
    for kind, messages in _ABORT_MESSAGES.items():
        if isinstance(exc, kind):
            text = str(exc)
            return any(message in text for message in messages)
    return False


def _log_retry(work: Callable[..., object]) -> Callable[[RetryCallState], None]:
    name = getattr(work, "__qualname__", repr(work))

    def log_it(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.info(
            "spanner write %s aborted (%s, attempt %d of %d); retrying in %.3fs: %s",
            name,
            type(exc).__name__,
            state.attempt_number,
            MAX_WRITE_ATTEMPTS,
            state.upcoming_sleep,
            str(exc).splitlines()[0] if exc else "",
        )

    return log_it


def run_write(database: Database, work: Callable[..., T], *args: Any) -> T:
    """Run ``work(transaction, *args)`` in a read-write transaction, retrying aborts.

    Every kind of abort (see ``_retryable``) is retried here, and only here: with jittered
    exponential backoff, in at most MAX_WRITE_ATTEMPTS attempts, none started after
    TRANSACTION_TIMEOUT_SECONDS; then the last error is raised. ``work`` may run several
    times, so it must only touch the database; any other exception it raises ends the
    transaction (rolled back) and reaches the caller at once.
    """
    retrying = Retrying(
        retry=retry_if_exception(_retryable),
        wait=wait_random_exponential(multiplier=FIRST_BACKOFF_SECONDS, max=LONGEST_BACKOFF_SECONDS),
        stop=stop_after_attempt(MAX_WRITE_ATTEMPTS)
        | stop_before_delay(TRANSACTION_TIMEOUT_SECONDS),
        before_sleep=_log_retry(work),
        reraise=True,
    )
    # timeout_secs=0: the client's own loop would retry Aborted alone, after 2**n + U(0, 1)
    # seconds, without a word; with a deadline already reached it hands every abort to us.
    return retrying(database.run_in_transaction, work, *args, timeout_secs=0)


def _select_one(database: Database) -> bool:
    with database.snapshot() as snapshot:
        return list(snapshot.execute_sql("SELECT 1", timeout=HEALTH_TIMEOUT_SECONDS)) == [[1]]


# The client retries an unreachable server for a long time, so health checks run on their
# own small pool and are abandoned after HEALTH_TIMEOUT_SECONDS.
_health_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")


def ping(databases: Databases) -> dict[str, bool]:
    """Whether each database answers SELECT 1 within HEALTH_TIMEOUT_SECONDS, by name."""
    futures = {name: _health_pool.submit(_select_one, databases[name]) for name in databases.names}
    done, _ = wait(futures.values(), timeout=HEALTH_TIMEOUT_SECONDS)
    result: dict[str, bool] = {}
    for name, future in futures.items():
        try:
            result[name] = future in done and future.result()
        except Exception:  # noqa: BLE001 - any failure means unhealthy
            log.warning("health check of the %s database failed", name, exc_info=True)
            result[name] = False
        if future not in done:
            log.warning("health check of the %s database timed out", name)
    return result
