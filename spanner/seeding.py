"""Put databases into exactly the state a Seed describes: delete every row, insert the seed.

One commit per database, so a database is never left half-seeded; should a later database
fail, every database touched is emptied again and the error is raised. testfixtures' RAW=NOW()
and friends (spanner/testfixtures_values.py) take the moment of each writing, so a restore
before a scenario gives them the restore's time, as a fresh seed would.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.keyset import KeySet

from spanner.clock import utc_now
from spanner.fixtures import FixtureRow, Seed
from spanner.live_schema import Table, parents_first
from spanner.testfixtures_values import at_writing
from spanner.transactions import run_in_transaction
from spanner.writes import insert_rows


class SeedingError(RuntimeError):
    """Spanner refused the seed; the databases were emptied."""


def replace_contents(
    database: Database,
    tables: Mapping[str, Table],
    rows: Mapping[str, list[FixtureRow]],
    moment: datetime | None = None,
) -> None:
    """`moment`: the time RAW=NOW() and friends stand for (default: now)."""
    order = parents_first(dict(tables))
    moment = moment or utc_now()

    def work(transaction) -> None:
        for name in reversed(order):
            transaction.delete(name, KeySet(all_=True))
        for name in order:
            values = (at_writing(row.values, moment) for row in rows.get(name, []))
            insert_rows(transaction, name, values)

    run_in_transaction(database, work)


def apply_seed(
    databases: Mapping[str, Database], schemas: Mapping[str, Mapping[str, Table]], seed: Seed
) -> None:
    """Seed each named database; `databases` maps a database name to its handle."""
    done: list[str] = []
    moment = utc_now()  # one moment for every database's RAW=NOW()
    for name, database in databases.items():
        try:
            replace_contents(database, schemas[name], seed.tables(name), moment)
        except Exception as error:
            for other in [*done, name]:
                replace_contents(databases[other], schemas[other], {})
            raise SeedingError(
                f"seeding database {name!r} failed, all databases were emptied: {error}"
            ) from error
        done.append(name)
