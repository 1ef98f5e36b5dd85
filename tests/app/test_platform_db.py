"""Spanner access (app/platform/db.py): retried errors, parameter types, databases by name."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from google.api_core.exceptions import Aborted, AlreadyExists, FailedPrecondition, NotFound
from google.cloud.spanner_v1 import param_types

from app.platform.db import Databases, _retryable, bind, connect, ping
from app.platform.settings import Settings


@pytest.mark.parametrize(
    "exc",
    [
        Aborted("Transaction was aborted."),
        NotFound("Transaction not found"),
        FailedPrecondition("Invalid transaction ID. Transaction ID must be >= 73"),
    ],
)
def test_concurrency_errors_are_retried(exc: Exception) -> None:
    assert _retryable(exc)


@pytest.mark.parametrize(
    "exc",
    [
        NotFound("Database not found: test-users"),
        FailedPrecondition("Cannot read a column written with a commit timestamp"),
        AlreadyExists("Row [x] in table Tenants already exists"),
        ValueError("domain error"),
    ],
)
def test_other_errors_are_not_retried(exc: Exception) -> None:
    assert not _retryable(exc)


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
