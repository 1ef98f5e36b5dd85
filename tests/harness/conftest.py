"""The harness tests' instance on the shared emulator (tests/conftest.py), and fresh databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.instance import Instance
from harness_testkit import INSTANCE, PROJECT, SCHEMA_ROOT, unique_database_id

from spanner.databases import connect, create_database, ensure_instance
from spanner.emulator import Backend
from spanner.live_schema import Table, read_tables
from spanner.schema import schema_statements


@pytest.fixture(scope="session")
def instance(emulator: Backend) -> Instance:
    client = connect(PROJECT, emulator.emulator_host)
    return ensure_instance(client, INSTANCE, emulator=True)


@pytest.fixture
def typed_db(instance: Instance) -> Iterator[Database]:
    """A fresh database with the test schema in data/schema/typed/."""
    database = create_database(
        instance, unique_database_id(), schema_statements("typed", SCHEMA_ROOT)
    )
    yield database
    database.drop()


@pytest.fixture
def tables(typed_db: Database) -> dict[str, Table]:
    return read_tables(typed_db)
