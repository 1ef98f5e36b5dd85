"""The suite's read-write transactions (spanner/transactions.py): every abort retried, no other.

The emulator runs one read-write transaction per database at a time and aborts the others;
the client reports that in several forms, which must all be retried, while errors that are
not aborts must reach the caller at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

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
from google.cloud.spanner_v1.database import Database

from spanner import transactions
from spanner.transactions import is_transient_conflict, run_in_transaction

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
    NotFound("Database not found: projects/p/instances/i/databases/test-users"),
    NotFound("Table not found: Nope"),
    FailedPrecondition("Cannot read a column written with a commit timestamp"),
    FailedPrecondition(
        "Cannot use a transaction after it has been invalidated due to a constraint"
    ),
    AlreadyExists("Row [x] in table Tenants already exists"),
    InvalidArgument("Transaction not found"),  # the words, but not the kind
    ServiceUnavailable("connection reset"),  # a commit may have landed: never replayed
    DeadlineExceeded("Deadline exceeded"),
    ValueError("Transaction not found"),
    KeyError("Tenants"),
]


@pytest.mark.parametrize("error", ABORTS, ids=repr)
def test_every_kind_of_abort_is_a_transient_conflict(error: Exception) -> None:
    assert is_transient_conflict(error)


@pytest.mark.parametrize("error", NOT_ABORTS, ids=repr)
def test_other_errors_are_not(error: Exception) -> None:
    assert not is_transient_conflict(error)


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
    monkeypatch.setattr(transactions, "FIRST_BACKOFF_SECONDS", 0)


@pytest.mark.usefixtures("no_backoff")
def test_each_kind_of_abort_is_retried_in_one_loop() -> None:
    database = FlakyDatabase(ABORTS)
    assert run_in_transaction(database, lambda txn, x: (txn, x), 7) == ("txn", 7)  # type: ignore[arg-type]
    assert len(database.calls) == len(ABORTS) + 1
    # the client's own retry loop is switched off: every abort comes back here
    assert all(call == {"timeout_secs": 0} for call in database.calls)


@pytest.mark.usefixtures("no_backoff")
def test_retrying_ends_after_the_bounded_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transactions, "MAX_ATTEMPTS", 3)
    database = FlakyDatabase([Aborted("Transaction was aborted.")] * 5)
    with pytest.raises(Aborted):
        run_in_transaction(database, lambda txn: None)  # type: ignore[arg-type]
    assert len(database.calls) == 3


@pytest.mark.usefixtures("no_backoff")
def test_retrying_ends_after_the_timeout() -> None:
    database = FlakyDatabase([NotFound("Transaction not found: 1")] * 5)
    with pytest.raises(NotFound):
        run_in_transaction(database, lambda txn: None, timeout=0)  # type: ignore[arg-type]
    assert len(database.calls) == 1


@pytest.mark.usefixtures("no_backoff")
@pytest.mark.parametrize("error", NOT_ABORTS, ids=repr)
def test_other_errors_reach_the_caller_at_once(error: Exception) -> None:
    database = FlakyDatabase([error])
    with pytest.raises(type(error)):
        run_in_transaction(database, lambda txn: None)  # type: ignore[arg-type]
    assert len(database.calls) == 1


def test_simultaneous_writers_on_the_emulator_all_land(typed_db: Database) -> None:
    """On the real emulator, which lets one read-write transaction run at a time."""
    writers = 20
    barrier = threading.Barrier(writers, timeout=30)
    errors: list[BaseException] = []

    def write(number: int) -> None:
        def work(transaction) -> None:  # a read first, as most units of work do
            transaction.execute_sql("SELECT COUNT(*) FROM Tenants").one()
            transaction.insert("Tenants", columns=("TenantId", "Name"),
                               values=[(f"t{number}", f"Tenant {number}")])  # fmt: skip

        try:
            barrier.wait()
            run_in_transaction(typed_db, work)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors[:3]
    with typed_db.snapshot() as snapshot:
        assert list(snapshot.execute_sql("SELECT COUNT(*) FROM Tenants")) == [[writers]]
