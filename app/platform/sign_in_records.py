"""What the platform keeps about sign-ins and sessions, whatever the product: wrong passwords
in a row and the lock they lead to (per login name), and when each session was last used.

By default they live in two tables of the product's accounts database (its first one), made
by each product's migration ``090_platform_sign_in.sql``; a product may plug in another store
through ``AppProduct.sign_in_records``. Every time is Spanner's own clock (CURRENT_TIMESTAMP),
so the app and the checks agree.
"""

from __future__ import annotations

from typing import Protocol

from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import Databases, query_one, run_write, tx_query, tx_update

# the longest email address is 254 characters; a longer login name is no account at all
MAX_LOGIN_NAME = 320


def login_name(email: str) -> str:
    """The key a sign-in is counted under: the email as the products look it up."""
    return email.strip().lower()


_UPDATE_FAILURES = """
UPDATE SignInFailures SET FailuresInARow = @count, LastFailureAt = CURRENT_TIMESTAMP(),
  LockedUntil = IF(@locks, TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL @minutes MINUTE),
                   LockedUntil)
WHERE LoginName = @name
"""
_INSERT_FAILURES = """
INSERT INTO SignInFailures (LoginName, FailuresInARow, LastFailureAt, LockedUntil)
VALUES (@name, @count, CURRENT_TIMESTAMP(),
        IF(@locks, TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL @minutes MINUTE), NULL))
"""


class SignInRecords(Protocol):
    def locked(self, name: str) -> bool:
        """Whether the login name is locked now."""
        ...

    def failed(self, name: str, limit: int, lock_minutes: int) -> bool:
        """Count one more wrong password; True when this one locks the login name."""
        ...

    def succeeded(self, name: str) -> None:
        """The right password: the count of wrong ones starts again from nothing."""
        ...

    def unlock(self, name: str) -> bool:
        """Lift a lock (an operator's decision); whether there was anything to lift."""
        ...

    def idle_seconds(self, session_id: str) -> int | None:
        """Seconds since the session was last used (None: no use recorded yet)."""
        ...

    def seen(self, session_id: str) -> None: ...

    def forget(self, session_id: str) -> None: ...

    def moved(self, old_session_id: str, new_session_id: str) -> None:
        """The session got a new id (renewed): its activity goes with it."""
        ...


class SpannerSignInRecords:
    """The tables SignInFailures and SessionActivity of one database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def locked(self, name: str) -> bool:
        row = query_one(
            self.database,
            "SELECT 1 AS Locked FROM SignInFailures "
            "WHERE LoginName = @name AND LockedUntil > CURRENT_TIMESTAMP()",
            {"name": name},
        )
        return row is not None

    def failed(self, name: str, limit: int, lock_minutes: int) -> bool:
        def work(txn: Transaction) -> bool:
            rows = tx_query(
                txn,
                "SELECT FailuresInARow FROM SignInFailures WHERE LoginName = @name",
                {"name": name},
            )
            count = (rows[0]["FailuresInARow"] if rows else 0) + 1
            locks = count >= limit
            values = {
                "name": name,
                "count": 0 if locks else count,
                "locks": locks,
                "minutes": lock_minutes,
            }
            tx_update(txn, _UPDATE_FAILURES if rows else _INSERT_FAILURES, values)
            return locks

        return run_write(self.database, work)

    def succeeded(self, name: str) -> None:
        self._delete("DELETE FROM SignInFailures WHERE LoginName = @name", name)

    def unlock(self, name: str) -> bool:
        return self._delete("DELETE FROM SignInFailures WHERE LoginName = @name", name) > 0

    def idle_seconds(self, session_id: str) -> int | None:
        row = query_one(
            self.database,
            "SELECT TIMESTAMP_DIFF(CURRENT_TIMESTAMP(), LastSeenAt, SECOND) AS Idle "
            "FROM SessionActivity WHERE SessionID = @sid",
            {"sid": session_id},
        )
        return None if row is None else int(row["Idle"])

    def seen(self, session_id: str) -> None:
        def work(txn: Transaction) -> None:
            txn.insert_or_update(
                "SessionActivity",
                columns=("SessionID", "LastSeenAt"),
                values=[(session_id, spanner.COMMIT_TIMESTAMP)],
            )

        run_write(self.database, work)

    def forget(self, session_id: str) -> None:
        self._delete("DELETE FROM SessionActivity WHERE SessionID = @name", session_id)

    def moved(self, old_session_id: str, new_session_id: str) -> None:
        def work(txn: Transaction) -> None:
            tx_update(
                txn, "DELETE FROM SessionActivity WHERE SessionID = @sid", {"sid": old_session_id}
            )
            txn.insert_or_update(
                "SessionActivity",
                columns=("SessionID", "LastSeenAt"),
                values=[(new_session_id, spanner.COMMIT_TIMESTAMP)],
            )

        run_write(self.database, work)

    def _delete(self, sql: str, name: str) -> int:
        return run_write(self.database, lambda txn: tx_update(txn, sql, {"name": name}))


def spanner_records(databases: Databases) -> SignInRecords:
    """The default: the tables in the product's first database."""
    return SpannerSignInRecords(databases[databases.names[0]])
