"""All the rows that belong to one owner, in every table of every database that has the
owner's key column: taken before an action and after it, to show that nothing else changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spanner.databases import Databases
from spanner.query import Row, query
from spanner.tables import render_table

Snapshot = dict[str, list[Row]]  # "database.Table" -> rows, in key order


def rows_of(databases: Databases, column: str, value: Any) -> Snapshot:
    """Every row whose `column` equals `value`, in every table that has that column."""
    snapshot: Snapshot = {}
    for name, database in databases.items():
        for table in databases.tables(name).values():
            if column not in table.columns:
                continue
            names = ", ".join(f"`{c}`" for c in table.columns)
            order = ", ".join(f"`{c}`" for c in table.primary_key)
            sql = (
                f"SELECT {names} FROM `{table.name}` "  # noqa: S608 - names from the schema
                f"WHERE `{column}` = @owner ORDER BY {order}"
            )
            snapshot[f"{name}.{table.name}"] = query(database, sql, {"owner": value}, attach=False)
    return snapshot


def changes(
    before: Snapshot, after: Snapshot, allowed: Mapping[str, set[str] | None] | None = None
) -> list[str]:
    """What differs between two snapshots, table by table, apart from what is `allowed`:
    table -> the columns that may change (None: the whole table may change)."""
    allowed = dict(allowed or {})
    found = []
    for table in sorted(set(before) | set(after)):
        if table in allowed and allowed[table] is None:
            continue
        skip = allowed.get(table) or set()
        old = [{c: v for c, v in row.items() if c not in skip} for row in before.get(table, [])]
        new = [{c: v for c, v in row.items() if c not in skip} for row in after.get(table, [])]
        if old != new:
            found.append(
                f"{table} changed:\nbefore:\n{render_table(old) if old else '(no rows)'}\n"
                f"after:\n{render_table(new) if new else '(no rows)'}"
            )
    return found
