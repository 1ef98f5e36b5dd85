"""The SQL behind the clinic's security steps: the second factor's locks and block, the
signing form's limit, the provider's sessions and their last use (the platform's
SessionActivity, in the clinic's database). Every value is a query parameter."""

from __future__ import annotations

from datetime import datetime

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, execute, query


def _timestamp(params: dict[str, object], name: str, value: datetime | None) -> str:
    """The SQL for a timestamp that may be NULL (a NULL parameter has no type to infer)."""
    if value is None:
        return "NULL"
    params[name] = value
    return f"@{name}"


def set_second_factor_escalation(
    db: Database,
    provider_id: str,
    *,
    failed_attempts: int,
    locks_in_a_row: int,
    locked_until: datetime | None,
    blocked_at: datetime | None,
) -> int:
    """Writes where the provider's second factor stands, locks and block included; the rows
    changed."""
    params: dict[str, object] = {
        "failed": failed_attempts, "locks": locks_in_a_row, "provider_id": provider_id,
    }  # fmt: skip
    until = _timestamp(params, "locked_until", locked_until)
    blocked = _timestamp(params, "blocked_at", blocked_at)
    return execute(
        db,
        "UPDATE ProviderMfa SET FailedAttempts = @failed, LocksInARow = @locks, "  # noqa: S608
        f"LockedUntil = {until}, BlockedAt = {blocked} WHERE ProviderID = @provider_id",
        params,
    )


def second_factor_escalation(db: Database, provider_id: str) -> Row | None:
    rows = query(
        db,
        """
        SELECT FailedAttempts, LockedUntil, LocksInARow, BlockedAt
        FROM ProviderMfa WHERE ProviderID = @provider_id
        """,
        {"provider_id": provider_id},
    )
    return rows[0] if rows else None


def set_signing_guard(
    db: Database, provider_id: str, *, failed_attempts: int, locked_until: datetime | None
) -> None:
    """Writes the provider's count of wrong passwords at the signing form and its lock's end."""
    db.run_in_transaction(
        lambda txn: txn.insert_or_update(
            "ProviderSigningGuard",
            columns=("ProviderID", "FailedAttempts", "LockedUntil"),
            values=[(provider_id, failed_attempts, locked_until)],
        )
    )


def signing_guard(db: Database, provider_id: str) -> Row | None:
    """The provider's wrong passwords in a row at the signing form, and the lock's end."""
    rows = query(
        db,
        "SELECT FailedAttempts, LockedUntil FROM ProviderSigningGuard "
        "WHERE ProviderID = @provider_id",
        {"provider_id": provider_id},
    )
    return rows[0] if rows else None


def sessions_of(db: Database, provider_id: str) -> list[Row]:
    """The provider's sessions: their ids (SHA-256 of the cookie's token) and second factor."""
    return query(
        db,
        "SELECT SessionID, MfaVerifiedAt FROM ProviderSessions WHERE ProviderID = @provider_id "
        "ORDER BY CreatedAt",
        {"provider_id": provider_id},
    )


def set_sessions_idle(db: Database, provider_id: str, seconds: int) -> int:
    """Writes the provider's sessions as last used that many seconds ago, by Spanner's clock
    (the one the platform's idle timeout reads); the rows changed."""
    return execute(
        db,
        """
        UPDATE SessionActivity
        SET LastSeenAt = TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL @seconds SECOND)
        WHERE SessionID IN (
          SELECT SessionID FROM ProviderSessions WHERE ProviderID = @provider_id
        )
        """,
        {"seconds": seconds, "provider_id": provider_id},
    )


def end_signing_lock(db: Database, provider_id: str, ended_at: datetime) -> int:
    """Moves the end of the lock of signing the clinic wrote to `ended_at`, and nothing else:
    the count of wrong passwords stays as the clinic wrote it at the lock; the rows changed
    (0: the clinic holds no lock of signing for the provider)."""
    return execute(
        db,
        "UPDATE ProviderSigningGuard SET LockedUntil = @ended_at "
        "WHERE ProviderID = @provider_id AND LockedUntil IS NOT NULL",
        {"ended_at": ended_at, "provider_id": provider_id},
    )


def end_second_factor_lock(db: Database, provider_id: str, ended_at: datetime) -> int:
    """Moves the end of the lock of the second factor the clinic wrote to `ended_at`, and
    nothing else: the count of wrong codes and of locks stay as the clinic wrote them at the
    lock; the rows changed (0: the clinic holds no lock, or a block, of the second factor)."""
    return execute(
        db,
        "UPDATE ProviderMfa SET LockedUntil = @ended_at "
        "WHERE ProviderID = @provider_id AND LockedUntil IS NOT NULL AND BlockedAt IS NULL",
        {"ended_at": ended_at, "provider_id": provider_id},
    )
