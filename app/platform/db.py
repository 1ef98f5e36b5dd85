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

from google.api_core.exceptions import Aborted, FailedPrecondition, NotFound
from google.auth.credentials import AnonymousCredentials
from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction
from tenacity import (
    Retrying,
    before_sleep_log,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
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


def _retryable(exc: BaseException) -> bool:
    # The emulator runs one read-write transaction per database at a time and aborts the
    # others. The client may report that as NotFound "Transaction not found", or, on a
    # multiplexed session, as FailedPrecondition "Invalid transaction ID" at commit; in both
    # cases nothing was committed, and run_in_transaction does not retry them by itself.
    if isinstance(exc, Aborted):
        return True
    if isinstance(exc, NotFound):
        return "Transaction not found" in str(exc)
    return isinstance(exc, FailedPrecondition) and "Invalid transaction ID" in str(exc)


def run_write(database: Database, work: Callable[..., T], *args: Any) -> T:
    """Run ``work(transaction, *args)`` in a read-write transaction, retrying aborts.

    ``work`` may run several times, so it must only touch the database.
    """
    retrying = Retrying(
        retry=retry_if_exception(_retryable),
        wait=wait_random_exponential(multiplier=0.05, max=2),
        stop=stop_after_attempt(12) | stop_after_delay(60),
        before_sleep=before_sleep_log(log, logging.INFO),
        reraise=True,
    )
    return retrying(
        database.run_in_transaction, work, *args, timeout_secs=TRANSACTION_TIMEOUT_SECONDS
    )


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
