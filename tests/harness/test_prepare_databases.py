"""`python -m harness.prepare_databases`: a real subprocess on the shared emulator, as the
docker-compose.yml `databases` job runs it (external backend), each test on its own instance.

It must create every product's databases with their tables and common fixtures, leave them
(and what was written to them since) as they are on a second run, start a product afresh with
--reset or when one of its databases is missing, and fail clearly and in bounded time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.instance import Instance

from base.ports import free_port
from harness.products import Product
from products import PRODUCTS
from spanner.databases import connect
from spanner.emulator import Backend
from spanner.fixture_layout import FixtureLayout
from spanner.fixtures import load_seed
from spanner.live_schema import read_tables
from spanner.query import execute, query_value
from spanner.schema import schema_statements

REPO = Path(__file__).resolve().parents[2]
PROJECT = "prepare-tests"
RUN_TIMEOUT = 180.0  # creating five databases on a shared machine
PREFIX = "test-"


def fresh_instance_id() -> str:
    return f"prep-{uuid.uuid4().hex[:12]}"


def run_prepare(
    emulator_host: str, instance: str, *args: str, backend: str = "external"
) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SPANNER_", "APP_", "SUITE_"))
    }
    env.update(
        SPANNER_BACKEND=backend,
        SPANNER_EMULATOR_HOST=emulator_host,
        SPANNER_PROJECT=PROJECT,
        SPANNER_INSTANCE=instance,
    )
    return subprocess.run(
        [sys.executable, "-m", "harness.prepare_databases", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=RUN_TIMEOUT,
    )


def succeeded(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def instance_id(emulator: Backend):
    """A fresh instance id; the instance the CLI creates on it is deleted afterwards."""
    instance_id = fresh_instance_id()
    yield instance_id
    instance = connect(PROJECT, emulator.emulator_host).instance(instance_id)
    if instance.exists():
        instance.delete()


def instance_of(emulator: Backend, instance_id: str) -> Instance:
    return connect(PROJECT, emulator.emulator_host).instance(instance_id)


def database(emulator: Backend, instance_id: str, name: str) -> Database:
    return instance_of(emulator, instance_id).database(f"{PREFIX}{name}")


def expected_rows(product: Product, emulator: Backend, instance_id: str) -> dict[str, dict]:
    """Rows per database and table that the product's common fixtures hold."""
    handles = {name: database(emulator, instance_id, name) for name in product.databases}
    schemas = {name: read_tables(handle) for name, handle in handles.items()}
    common = FixtureLayout(product.fixtures_root, product.name).common()
    seed = load_seed([common] if common.is_dir() else [], schemas, product.aliases)
    return {name: {t: len(rows) for t, rows in seed.tables(name).items()} for name in handles}


def count_rows(handle: Database, table: str) -> int:
    # a table name is an identifier, not a value: it cannot be a query parameter
    return query_value(handle, f"SELECT COUNT(*) FROM {table}")


def check_prepared(product: Product, emulator: Backend, instance_id: str) -> None:
    """Every table of the schema exists, and holds exactly the common fixtures' rows."""
    rows = expected_rows(product, emulator, instance_id)
    assert any(any(tables.values()) for tables in rows.values()), (
        f"{product.name}: its common fixtures hold no rows, nothing would be checked"
    )
    for name in product.databases:
        handle = database(emulator, instance_id, name)
        tables = read_tables(handle)
        declared = {
            s.sql.split()[2].strip("`(")
            for s in schema_statements(name, product.schema_root)
            if s.sql.upper().startswith("CREATE TABLE")
        }
        assert declared and declared <= set(tables), (
            f"{PREFIX}{name}: tables {sorted(declared - set(tables))} of spanner/schema/{name} "
            "are missing"
        )
        for table in tables:
            assert count_rows(handle, table) == rows[name].get(table, 0), f"{name}.{table}"


def test_prepares_every_product_then_leaves_them_as_they_are(
    emulator: Backend, instance_id: str
) -> None:
    first = succeeded(run_prepare(emulator.emulator_host, instance_id))
    for product in PRODUCTS:
        ids = ", ".join(f"{PREFIX}{name}" for name in product.databases)
        assert f"{product.name}: created {ids} and seeded fixtures/common/{product.name}" in first
        check_prepared(product, emulator, instance_id)

    # what people do in the apps between two `docker compose up`: here, the plans are gone
    billing = database(emulator, instance_id, "billing")
    assert count_rows(billing, "Plans") > 0, "the saas common fixtures should hold plans"
    execute(billing, "DELETE FROM Plans WHERE TRUE")

    second = succeeded(run_prepare(emulator.emulator_host, instance_id))
    for product in PRODUCTS:
        ids = ", ".join(f"{PREFIX}{name}" for name in product.databases)
        assert f"{product.name}: {ids} exist; left as they are" in second, second
        assert f"{product.name}: created" not in second, second
    assert count_rows(billing, "Plans") == 0, "a second run must not seed again"
    academy = next(p for p in PRODUCTS if p.name == "academy")
    check_prepared(academy, emulator, instance_id)

    third = succeeded(
        run_prepare(emulator.emulator_host, instance_id, "--product", "saas", "--reset")
    )
    assert "saas: created test-users, test-billing" in third
    assert "academy" not in third and "clinic" not in third, third
    check_prepared(next(p for p in PRODUCTS if p.name == "saas"), emulator, instance_id)


def test_a_product_missing_one_database_is_prepared_afresh(
    emulator: Backend, instance_id: str
) -> None:
    succeeded(run_prepare(emulator.emulator_host, instance_id, "--product", "clinic"))
    database(emulator, instance_id, "audit").drop()

    again = succeeded(run_prepare(emulator.emulator_host, instance_id, "--product", "clinic"))
    assert "clinic: created test-clinic, test-audit" in again
    assert "test-audit had been missing" in again
    check_prepared(next(p for p in PRODUCTS if p.name == "clinic"), emulator, instance_id)


def test_an_emulator_that_does_not_answer_fails_within_the_wait() -> None:
    nobody = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = run_prepare(nobody, fresh_instance_id(), "--wait", "2")
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr
    assert nobody in result.stderr and "--wait" in result.stderr, result.stderr
    # one attempt can take the reachability bound (8 s) beyond the wait, plus start-up
    assert elapsed < 30, f"took {elapsed:.0f}s"


@pytest.mark.parametrize(
    ("args", "backend", "message"),
    [
        (("--product", "shop"), "external", "--product shop: unknown; declared:"),
        ((), "binary", "the databases would go with the emulator this program starts"),
        (("-D", "spanner.nonsense=1"), "external", "unknown setting spanner.nonsense"),
    ],
)
def test_a_wrong_request_is_refused_before_reaching_spanner(
    args: tuple[str, ...], backend: str, message: str
) -> None:
    result = run_prepare("127.0.0.1:1", fresh_instance_id(), *args, backend=backend)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
