"""Put databases into exactly the state a Seed describes: delete every row, insert the seed.

One commit per database, so a database is never left half-seeded; should a later database
fail, every database touched is emptied again and the error is raised.
"""

from __future__ import annotations

from collections.abc import Mapping

from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.keyset import KeySet

from spanner.databases import Databases
from spanner.fixtures import FixtureRow, Seed
from spanner.live_schema import Table, parents_first
from spanner.transactions import run_in_transaction
from spanner.values import ValueTypeError, convert


class SeedingError(RuntimeError):
    """Spanner refused the seed; the databases were emptied."""


def replace_contents(
    database: Database, tables: Mapping[str, Table], rows: Mapping[str, list[FixtureRow]]
) -> None:
    order = parents_first(dict(tables))

    def work(transaction) -> None:
        for name in reversed(order):
            transaction.delete(name, KeySet(all_=True))
        for name in order:
            for row in rows.get(name, []):
                columns = list(row.values)
                transaction.insert(name, columns, [[row.values[c] for c in columns]])

    run_in_transaction(database, work)


def apply_seed(
    databases: Databases, schemas: Mapping[str, Mapping[str, Table]], seed: Seed
) -> None:
    done: list[str] = []
    for name, database in databases.items():
        try:
            replace_contents(database, schemas[name], seed.tables(name))
        except Exception as error:
            for other in [*done, name]:
                replace_contents(databases[other], schemas[other], {})
            raise SeedingError(
                f"seeding database {name!r} failed, all databases were emptied: {error}"
            ) from error
        done.append(name)


def insert_rows(database: Database, table: Table, rows: list[dict]) -> None:
    """Insert rows given as text or Python values, typed by the table's columns, in one commit."""
    problems = []
    typed_rows = []
    for number, row in enumerate(rows, start=1):
        try:
            typed_rows.append(
                {
                    name: convert(
                        value,
                        _column(table, name).spanner_type,
                        _column(table, name).allows_commit_timestamp,
                    )
                    for name, value in row.items()
                }
            )
        except (ValueTypeError, KeyError) as error:
            problems.append(f"row {number}: {error}")
    if problems:
        raise ValueError(f"cannot add rows to {table.name}: " + "; ".join(problems))

    def work(transaction) -> None:
        for row in typed_rows:
            columns = list(row)
            transaction.insert(table.name, columns, [[row[c] for c in columns]])

    run_in_transaction(database, work)


def _column(table: Table, name: str):
    if name not in table.columns:
        raise KeyError(f"no column {name!r} in {table.name} (columns: {', '.join(table.columns)})")
    return table.columns[name]
