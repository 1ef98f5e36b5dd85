"""The platform's sign-in records in Spanner (app/platform/sign_in_records.py), on the app
tests' users database: wrong passwords counted in a row, the lock and its length from
Spanner's clock, the count cleared by a right password, an unlock, and session activity."""

from __future__ import annotations

import uuid

import pytest
from google.cloud import spanner

from app.platform.db import Databases, query_one
from app.platform.sign_in_records import SpannerSignInRecords
from app.platform.unlock import unlock_sign_in
from app.saas.product import PRODUCT


@pytest.fixture()
def records(databases: Databases) -> SpannerSignInRecords:
    return SpannerSignInRecords(databases.users)


@pytest.fixture()
def name() -> str:
    return f"someone-{uuid.uuid4().hex[:8]}@example.org"


def _row(records: SpannerSignInRecords, name: str) -> dict | None:
    return query_one(
        records.database,
        "SELECT FailuresInARow, TIMESTAMP_DIFF(LockedUntil, LastFailureAt, SECOND) AS Seconds "
        "FROM SignInFailures WHERE LoginName = @name",
        {"name": name},
    )


def test_the_fifth_wrong_password_in_a_row_locks_for_the_lock_minutes(
    records: SpannerSignInRecords, name: str
) -> None:
    assert [records.failed(name, 5, 15) for _ in range(5)] == [False] * 4 + [True]
    assert records.locked(name)
    assert _row(records, name) == {"FailuresInARow": 0, "Seconds": 15 * 60}


def test_wrong_passwords_below_the_limit_lock_nothing_and_a_right_one_clears_them(
    records: SpannerSignInRecords, name: str
) -> None:
    for _ in range(4):
        records.failed(name, 5, 15)
    assert not records.locked(name)
    assert _row(records, name) == {"FailuresInARow": 4, "Seconds": None}
    records.succeeded(name)
    assert _row(records, name) is None


def test_a_lock_in_the_past_is_over_and_an_unlock_lifts_one(
    records: SpannerSignInRecords, name: str
) -> None:
    for _ in range(3):
        records.failed(name, 3, 15)
    assert records.unlock(name) and not records.locked(name)
    assert not records.unlock(name), "nothing left to unlock"
    records.failed(name, 1, 15)
    records.database.run_in_transaction(
        lambda txn: txn.execute_update(
            "UPDATE SignInFailures SET LockedUntil = TIMESTAMP_SUB(CURRENT_TIMESTAMP(), "
            "INTERVAL 1 SECOND) WHERE LoginName = @name",
            params={"name": name},
            param_types={"name": spanner.param_types.STRING},
        )
    )
    assert not records.locked(name)


def test_session_activity_is_kept_moved_and_forgotten(records: SpannerSignInRecords) -> None:
    old, new = uuid.uuid4().hex * 2, uuid.uuid4().hex * 2
    assert records.idle_seconds(old) is None
    records.seen(old)
    assert records.idle_seconds(old) == 0
    records.moved(old, new)
    assert records.idle_seconds(old) is None and records.idle_seconds(new) == 0
    records.forget(new)
    assert records.idle_seconds(new) is None


def test_an_operator_unlocks_an_account_with_the_platforms_call(
    databases: Databases, name: str
) -> None:
    records = SpannerSignInRecords(databases.users)
    for _ in range(5):
        records.failed(name, 5, 15)
    assert records.locked(name)
    assert unlock_sign_in(PRODUCT, databases, f"  {name.upper()} ")
    assert not records.locked(name) and _row(records, name) is None
    assert not unlock_sign_in(PRODUCT, databases, name)
