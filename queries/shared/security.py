"""The SQL behind the generic security steps (steps/shared/security.py), for any product: the
platform's own tables in the product's accounts database (its first one; see
spanner/schema/<database>/090_platform_sign_in.sql), and every table of every database."""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.databases import Databases
from spanner.query import Row, execute, query

Snapshot = dict[str, list[Row]]  # "database.Table" -> every row, in key order


def lock_of(db: Database, email: str) -> Row | None:
    """The login name's failures in a row and its lock: LockSeconds is how long the lock
    runs from the last failure, Remaining how much of it is left now (None: no lock)."""
    rows = query(
        db,
        """
        SELECT FailuresInARow, LockedUntil, LastFailureAt,
               TIMESTAMP_DIFF(LockedUntil, LastFailureAt, SECOND) AS LockSeconds,
               TIMESTAMP_DIFF(LockedUntil, CURRENT_TIMESTAMP(), SECOND) AS Remaining
        FROM SignInFailures WHERE LoginName = @name
        """,
        {"name": email.strip().lower()},
    )
    return rows[0] if rows else None


def move_lock_back(db: Database, email: str, minutes: int) -> int:
    """As if ``minutes`` had passed since the lock was set: both its times moved back."""
    return execute(
        db,
        """
        UPDATE SignInFailures
        SET LockedUntil = TIMESTAMP_SUB(LockedUntil, INTERVAL @minutes MINUTE),
            LastFailureAt = TIMESTAMP_SUB(LastFailureAt, INTERVAL @minutes MINUTE)
        WHERE LoginName = @name AND LockedUntil IS NOT NULL
        """,
        {"name": email.strip().lower(), "minutes": minutes},
    )


def sessions_in_use(db: Database) -> int:
    """Sessions the platform has seen in use (one SessionActivity row each)."""
    return int(query(db, "SELECT COUNT(*) AS n FROM SessionActivity")[0]["n"])


def everything(databases: Databases) -> Snapshot:
    """Every row of every table of the product's databases."""
    snapshot: Snapshot = {}
    for name, database in databases.items():
        for table in databases.tables(name).values():
            columns = ", ".join(f"`{c}`" for c in table.columns)
            order = ", ".join(f"`{c}`" for c in table.primary_key)
            sql = f"SELECT {columns} FROM `{table.name}` ORDER BY {order}"  # noqa: S608 - schema names
            snapshot[f"{name}.{table.name}"] = query(database, sql, attach=False)
    return snapshot
