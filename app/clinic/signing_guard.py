"""The limit on the signing form's password re-check (ProviderSigningGuard).

Each try is counted BEFORE the password is checked (``reserve``, one read-write transaction),
so tries sent at the same moment are counted too and cannot all slip under the limit. When
the count reaches the limit (5 by default, app/clinic/policy.py) and that try was wrong,
signing is locked for the provider (15 minutes by default); while it is locked every try,
even with the right password, is refused without checking it. A signature resets the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from google.cloud.spanner_v1.transaction import Transaction

from app.clinic.policy import policy
from app.platform.db import Databases, run_write, tx_query

_COLUMNS = ("ProviderID", "FailedAttempts", "LockedUntil")


@dataclass(frozen=True)
class GuardState:
    failed_attempts: int
    locked_until: datetime | None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def _read(txn: Transaction, provider_id: str) -> GuardState:
    rows = tx_query(
        txn,
        "SELECT FailedAttempts, LockedUntil FROM ProviderSigningGuard WHERE ProviderID = @provider",
        {"provider": provider_id},
    )
    return (
        GuardState(rows[0]["FailedAttempts"], rows[0]["LockedUntil"])
        if rows
        else GuardState(0, None)
    )


def _write(txn: Transaction, provider_id: str, state: GuardState) -> None:
    row = (provider_id, state.failed_attempts, state.locked_until)
    txn.insert_or_update("ProviderSigningGuard", columns=_COLUMNS, values=[row])


def reserve(databases: Databases, provider_id: str, now: datetime) -> bool:
    """Count a try; False when signing is locked (or the limit's tries are all under way)."""

    def work(txn: Transaction) -> bool:
        state = _read(txn, provider_id)
        if state.locked(now) or state.failed_attempts >= policy().signing_max_wrong_passwords:
            return False
        _write(txn, provider_id, GuardState(state.failed_attempts + 1, None))
        return True

    return run_write(databases.clinic, work)


def failed(databases: Databases, provider_id: str, now: datetime) -> datetime | None:
    """A counted try was wrong: when it is the limit's, signing is locked; the lock's end
    then, else None."""

    def work(txn: Transaction) -> datetime | None:
        state = _read(txn, provider_id)
        if state.locked(now) or state.failed_attempts < policy().signing_max_wrong_passwords:
            return None
        until = now + policy().signing_lock
        _write(txn, provider_id, GuardState(0, until))
        return until

    return run_write(databases.clinic, work)


def succeeded(databases: Databases, provider_id: str) -> None:
    """The right password: the count starts again."""
    run_write(databases.clinic, lambda txn: _write(txn, provider_id, GuardState(0, None)))
