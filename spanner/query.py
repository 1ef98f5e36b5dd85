"""Run SQL with every value as a query parameter; rows come back as dicts of Python values."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from google.cloud.spanner_v1 import Type
from google.cloud.spanner_v1.database import Database

from spanner.evidence import attach_query
from spanner.params import typed_params
from spanner.transactions import run_in_transaction

Row = dict[str, Any]


def query(
    database: Database,
    sql: str,
    params: Mapping[str, Any] | None = None,
    types: Mapping[str, Type] | None = None,
    attach: bool = True,
) -> list[Row]:
    values, param_types = typed_params(params, types)
    with database.snapshot() as snapshot:
        result = snapshot.execute_sql(sql, params=values or None, param_types=param_types or None)
        raw_rows = list(result)
        names = [field.name for field in result.fields]
    rows = [dict(zip(names, map(from_wire, raw), strict=True)) for raw in raw_rows]
    if attach:
        attach_query(database.database_id, sql, values, rows)
    return rows


def from_wire(value: Any) -> Any:
    """BYTES arrive base64-encoded from the client; give back the bytes themselves."""
    if isinstance(value, bytes):
        return base64.b64decode(value)
    if isinstance(value, list):
        return [from_wire(item) for item in value]
    return value


def query_value(database: Database, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    rows = query(database, sql, params)
    if len(rows) != 1 or len(rows[0]) != 1:
        raise ValueError(f"expected one row with one column, got {len(rows)} row(s): {sql}")
    return next(iter(rows[0].values()))


def execute(database: Database, sql: str, params: Mapping[str, Any] | None = None) -> int:
    """Run one DML statement in its own read-write transaction; return the row count."""
    values, param_types = typed_params(params)

    def work(transaction) -> int:
        return transaction.execute_update(
            sql, params=values or None, param_types=param_types or None
        )

    count = run_in_transaction(database, work)
    attach_query(database.database_id, sql, values, [{"rows affected": count}])
    return count
