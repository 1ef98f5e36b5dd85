"""Spanner access (app/platform/db.py): retried errors, parameter types, databases by name."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from google.api_core.exceptions import (
    Aborted,
    AlreadyExists,
    DeadlineExceeded,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    ServiceUnavailable,
)
from google.cloud.spanner_v1 import param_types

from app.platform import db
from app.platform.db import Databases, _retryable, bind, connect, ping, run_write
from app.platform.settings import Settings

# The errors as the client raises them under load (the request id is the client's addition).
ABORTS = [
    Aborted("Transaction was aborted."),
    Aborted(
        "Transaction 12 aborted due to active transaction 11. The emulator only supports one "
        "transaction at a time."
    ),
    NotFound("Transaction not found: 198, request_id = 1.920.1.0.446.1"),
    FailedPrecondition("Invalid transaction ID. Transaction ID must be >= 73"),
    FailedPrecondition(
        "Cannot read or query using a transaction after it has been committed or rolledback., "
        "request_id = 1.920.1.0.45.1"
    ),
    FailedPrecondition(
        "Cannot read or query using a transaction after it has been committed or rolled back."
    ),
    FailedPrecondition("Cannot commit a transaction after it has been rolled back."),
]
NOT_ABORTS = [
    NotFound("Database not found: test-users"),
    NotFound("Session not found: projects/p/instances/i/databases/d/sessions/s"),
    FailedPrecondition("Cannot read a column written with a commit timestamp"),
    FailedPrecondition(
        "Cannot use a transaction after it has been invalidated due to a constraint"
    ),
    AlreadyExists("Row [x] in table Tenants already exists"),
    InvalidArgument("Transaction not found"),  # the words, but not the kind
    ServiceUnavailable("connection reset"),  # a commit may have landed: never replayed
    DeadlineExceeded("Deadline exceeded"),
    ValueError("Transaction not found"),
    ValueError("domain error"),
]


@pytest.mark.parametrize("exc", ABORTS, ids=repr)
def test_every_kind_of_abort_is_retried(exc: Exception) -> None:
    assert _retryable(exc)


@pytest.mark.parametrize("exc", NOT_ABORTS, ids=repr)
def test_other_errors_are_not_retried(exc: Exception) -> None:
    assert not _retryable(exc)


class FlakyDatabase:
    """Stands in for a Database: each run_in_transaction raises the next error, then works."""

    def __init__(self, errors: list[Exception]) -> None:
        self.errors = list(errors)
        self.calls: list[dict[str, object]] = []

    def run_in_transaction(
        self, work: Callable[..., object], *args: object, **kw: object
    ) -> object:
        self.calls.append(kw)
        if self.errors:
            raise self.errors.pop(0)
        return work("txn", *args)


@pytest.fixture()
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "FIRST_BACKOFF_SECONDS", 0)


@pytest.mark.usefixtures("no_backoff")
def test_run_write_retries_each_kind_of_abort_in_one_loop(caplog: pytest.LogCaptureFixture) -> None:
    database = FlakyDatabase(ABORTS)
    with caplog.at_level(logging.INFO, logger="app.platform.db"):
        assert run_write(database, lambda txn, x: (txn, x), 7) == ("txn", 7)  # type: ignore[arg-type]
    assert len(database.calls) == len(ABORTS) + 1
    # the client's own retry loop is switched off: every abort comes back to run_write
    assert all(call == {"timeout_secs": 0} for call in database.calls)
    assert len([r for r in caplog.records if "aborted" in r.getMessage()]) == len(ABORTS)


@pytest.mark.usefixtures("no_backoff")
def test_run_write_gives_up_after_the_bounded_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "MAX_WRITE_ATTEMPTS", 3)
    database = FlakyDatabase([NotFound("Transaction not found: 1")] * 5)
    with pytest.raises(NotFound, match="Transaction not found"):
        run_write(database, lambda txn: None)  # type: ignore[arg-type]
    assert len(database.calls) == 3


@pytest.mark.usefixtures("no_backoff")
@pytest.mark.parametrize("exc", NOT_ABORTS, ids=repr)
def test_run_write_raises_other_errors_at_once(exc: Exception) -> None:
    database = FlakyDatabase([exc])
    with pytest.raises(type(exc)):
        run_write(database, lambda txn: None)  # type: ignore[arg-type]
    assert len(database.calls) == 1


def test_bind_types_every_value() -> None:
    bound = bind(
        {"s": "x", "i": 1, "b": True, "n": Decimal("1.00"), "d": date(2026, 1, 1),
         "t": datetime(2026, 1, 1, tzinfo=UTC)}
    )  # fmt: skip
    assert bound["params"]["s"] == "x"
    assert bound["param_types"] == {
        "s": param_types.STRING, "i": param_types.INT64, "b": param_types.BOOL,
        "n": param_types.NUMERIC, "d": param_types.DATE, "t": param_types.TIMESTAMP,
    }  # fmt: skip
    with pytest.raises(TypeError):
        bind({"none": None})


def test_databases_are_reached_by_name(databases: Databases) -> None:
    assert databases.names == ("users", "billing")
    assert databases.users is databases["users"]
    assert databases.billing.database_id == "app-billing"
    with pytest.raises(AttributeError, match="no database named 'primary'"):
        _ = databases.primary
    with pytest.raises(KeyError, match="users, billing"):
        databases["secondary"]


def test_ping_names_each_database(databases: Databases, settings: Settings) -> None:
    assert ping(databases) == {"users": True, "billing": True}
    missing = replace(settings, databases={**settings.databases, "billing": "no-such-db"})
    broken = connect(missing)
    try:
        assert ping(broken) == {"users": True, "billing": False}
    finally:
        broken.close()
