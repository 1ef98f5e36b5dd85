"""Writing rows: every insert of the suite goes through here, in one transaction per call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.keyset import KeySet

from spanner.live_schema import Table
from spanner.transactions import run_in_transaction
from spanner.values import ValueTypeError


def insert_rows(transaction, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert rows (column -> Python value) inside an open read-write transaction: one
    mutation for each run of rows with the same columns."""
    batch: list[list[Any]] = []
    columns: list[str] = []
    for row in rows:
        if list(row) != columns:
            if batch:
                transaction.insert(table, columns, batch)
            columns, batch = list(row), []
        batch.append([row[column] for column in columns])
    if batch:
        transaction.insert(table, columns, batch)


def add_rows(database: Database, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows given as text or Python values, typed by the table's columns, in one commit.

    Every row is typed before anything is written; a problem names the row and the column.
    """
    problems = []
    typed_rows = []
    for number, row in enumerate(rows, start=1):
        try:
            typed_rows.append(table.typed_row(row))
        except (ValueTypeError, ValueError) as error:
            problems.append(f"row {number}: {error}")
    if problems:
        raise ValueError(f"cannot add rows to {table.name}: " + "; ".join(problems))
    run_in_transaction(database, insert_rows, table.name, typed_rows)


def replace_rows(database: Database, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Make `rows` the table's only rows, in one commit."""

    def work(transaction) -> None:
        transaction.delete(table, KeySet(all_=True))
        insert_rows(transaction, table, rows)

    run_in_transaction(database, work)
