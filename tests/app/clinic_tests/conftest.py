"""The clinic's HTTP tests: each test module gets its own `clinic` and `audit` databases
(named by its DATABASE_PREFIX) seeded with the common fixtures, and a client of the app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from clinic_testkit import clinic_client, clinic_databases
from fastapi.testclient import TestClient
from google.cloud.spanner_v1.instance import Instance

from app.platform.db import Databases
from spanner.emulator import Backend


@pytest.fixture(scope="module")
def databases(
    request: pytest.FixtureRequest, emulator: Backend, spanner_instance: Instance
) -> Iterator[Databases]:
    with clinic_databases(emulator, spanner_instance, request.module.DATABASE_PREFIX) as dbs:
        yield dbs


@pytest.fixture()
def client(
    request: pytest.FixtureRequest,
    emulator: Backend,
    spanner_instance: Instance,
    databases: Databases,
) -> Iterator[TestClient]:
    prefix = request.module.DATABASE_PREFIX
    with clinic_client(emulator, spanner_instance, prefix, databases) as client:
        yield client
