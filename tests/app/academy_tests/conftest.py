"""The academy's HTTP tests: each test module gets its own academy database (named by its
DATABASE_ID), a course in it, and a client of the app on that database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from academy_testkit import academy_client, academy_databases, add_course
from fastapi.testclient import TestClient
from google.cloud.spanner_v1.instance import Instance

from app.platform.db import Databases
from spanner.emulator import Backend


@pytest.fixture(scope="module")
def databases(
    request: pytest.FixtureRequest, emulator: Backend, spanner_instance: Instance
) -> Iterator[Databases]:
    with academy_databases(emulator, spanner_instance, request.module.DATABASE_ID) as dbs:
        yield dbs


@pytest.fixture(scope="module")
def course_id(databases: Databases) -> str:
    return add_course(databases)


@pytest.fixture()
def client(
    request: pytest.FixtureRequest,
    emulator: Backend,
    spanner_instance: Instance,
    databases: Databases,
) -> Iterator[TestClient]:
    database_id = request.module.DATABASE_ID
    with academy_client(emulator, spanner_instance, database_id, databases) as client:
        yield client
