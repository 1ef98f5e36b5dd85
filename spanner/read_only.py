"""Read-only access to a database: snapshots and reads pass, every way of writing is refused.

In smoke mode the suite reads a production database and must never change it. The handles it
gives out are wrapped here, so that a step or helper that tries to write fails at once with a
message naming the database and what was tried, whatever the credentials would allow.
"""

from __future__ import annotations

from typing import Any

from google.cloud.spanner_v1.database import Database

# Database methods that write rows, change the schema or drop the database
WRITING_METHODS = frozenset(
    {
        "batch",
        "batch_write",
        "mutation_groups",
        "run_in_transaction",
        "execute_partitioned_dml",
        "update_ddl",
        "drop",
        "create",
        "restore",
    }
)


class WriteRefused(RuntimeError):
    """Something tried to write in a read-only run."""


def refuse(action: str, where: str) -> WriteRefused:
    return WriteRefused(
        f"refusing to {action} in {where}: this run is read only (run.mode=smoke opens "
        "read-only snapshots and writes nothing)"
    )


class ReadOnlyDatabase:
    """A Database that only reads: snapshot() and the attributes that describe it."""

    def __init__(self, database: Database) -> None:
        self._database = database

    @property
    def wrapped(self) -> Database:
        return self._database

    def snapshot(self, **kwargs: Any):
        return self._database.snapshot(**kwargs)

    def __getattr__(self, name: str) -> Any:
        if name in WRITING_METHODS:
            raise refuse(f"call {name}()", f"database {self._database.database_id!r}")
        return getattr(self._database, name)

    def __repr__(self) -> str:
        return f"ReadOnlyDatabase({self._database.database_id!r})"
