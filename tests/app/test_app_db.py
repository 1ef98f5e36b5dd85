"""Which Spanner errors the read-write transaction helper retries (app/db.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from google.api_core.exceptions import Aborted, AlreadyExists, FailedPrecondition, NotFound
from google.cloud.spanner_v1 import param_types

from app.db import _retryable, bind


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
        NotFound("Database not found: test-primary"),
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
