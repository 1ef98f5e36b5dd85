"""Fingerprints of what tables hold, computed by Spanner: one 64-bit digest per row, and per
table the row count with the XOR of its rows' digests.

A row's digest is FARM_FINGERPRINT of FORMAT('%T', STRUCT(every column)): %T writes each value
as a literal of its type (NULL, b"…" bytes, JSON '…', NUMERIC "…", timestamps to the
nanosecond, arrays with their NULLs), so a change of any value in any column changes the text.
The emulator has no TO_JSON_STRING for most types, hence %T. Rows are unique by their primary
key, which is part of the text, so no two rows cancel each other in the XOR.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from google.cloud.spanner_v1 import param_types
from google.cloud.spanner_v1.database import Database

from spanner.live_schema import Table

Key = tuple[Any, ...]
TablePrint = tuple[int, int]  # (rows, XOR of the rows' digests; 0 for no rows)
DIGEST = "_row_digest_"


def row_digest_sql(table: Table) -> str:
    columns = ", ".join(f"`{name}`" for name in table.columns)
    return f"FARM_FINGERPRINT(FORMAT('%T', STRUCT({columns})))"


def table_print(digests: Iterable[int]) -> TablePrint:
    count, combined = 0, 0
    for digest in digests:
        count, combined = count + 1, combined ^ digest
    return count, combined


def table_prints(
    database: Database, tables: Iterable[Table], counted_only: Collection[str] = ()
) -> dict[str, TablePrint]:
    """Every table's print, in one query; the tables `counted_only` get 0 for their digest (a
    table that should be empty needs no more than its count)."""
    tables = list(tables)
    if not tables:
        return {}
    parts, params = [], {}
    for number, table in enumerate(tables):
        params[f"t{number}"] = table.name
        digest = "0" if table.name in counted_only else f"BIT_XOR({row_digest_sql(table)})"
        parts.append(
            f"SELECT @t{number} AS name, COUNT(*) AS row_count, "  # noqa: S608 - schema names
            f"IFNULL({digest}, 0) AS digest FROM `{table.name}`"
        )
    types = {name: param_types.STRING for name in params}
    with database.snapshot() as snapshot:
        rows = snapshot.execute_sql(" UNION ALL ".join(parts), params=params, param_types=types)
        return {name: (count, digest) for name, count, digest in rows}


def row_digests(database: Database, table: Table) -> dict[Key, tuple[Key, int]]:
    """Each row's digest, by its normalised key (key_of), with the key as Spanner gave it."""
    keys = ", ".join(f"`{name}`" for name in table.primary_key)
    sql = f"SELECT {keys}, {row_digest_sql(table)} AS {DIGEST} FROM `{table.name}`"  # noqa: S608
    width = len(table.primary_key)
    with database.snapshot() as snapshot:
        found = {}
        for row in snapshot.execute_sql(sql):
            key = tuple(row[:width])
            found[key_of(key)] = (key, row[width])
        return found


def key_of(values: Iterable[Any]) -> Key:
    """A primary key as a dict key that is equal for a fixture's value and Spanner's."""
    return tuple(_key_part(value) for value in values)


def _key_part(value: Any) -> Any:
    if isinstance(value, datetime):
        nanos = getattr(value, "nanosecond", 0) or value.microsecond * 1000
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
        return ("timestamp", moment.replace(microsecond=0, tzinfo=None).isoformat(), nanos)
    return value


def key_values(row: Mapping[str, Any], table: Table) -> Key:
    return tuple(row[name] for name in table.primary_key)
