"""Scenario isolation: a restore puts back exactly the seed; a bad seed writes nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from google.cloud.spanner_v1.database import Database
from harness_testkit import write_fixture

from base.timing import Timings
from spanner.baseline import Baseline
from spanner.databases import Databases
from spanner.emulator import Backend
from spanner.fixture_layout import FixtureLayout
from spanner.fixtures import FixtureError
from spanner.live_schema import Table
from spanner.query import execute, query
from spanner.service import SpannerService
from spanner.settings import SpannerSettings

SEEDED = [("t1", "Acme"), ("t2", "Globex")]


@pytest.fixture
def suite(
    tmp_path: Path, emulator: Backend, typed_db: Database, tables: dict[str, Table]
) -> Baseline:
    """A product's baseline on the shared emulator (never stopped here), seeded from 'feature'."""
    write_fixture(tmp_path, "feature", "Tenants", "- {TenantId: t1, Name: Acme}\n")
    write_fixture(tmp_path, "common/prod", "Tenants", "- {TenantId: t2, Name: Globex}\n")
    write_fixture(tmp_path, "feature", "Members", "- {TenantId: t1, MemberId: 1, Email: a@x}\n")
    service = SpannerService(SpannerSettings(), Timings(), backend=emulator)
    suite = Baseline(
        service,
        Databases({"main": typed_db}, {"main": tables}),
        FixtureLayout(tmp_path, "prod"),
    )
    suite.seed_feature("feature")
    return suite


def tenants(database: Database) -> list[tuple[str, str]]:
    rows = query(database, "SELECT TenantId, Name FROM Tenants ORDER BY TenantId", attach=False)
    return [(row["TenantId"], row["Name"]) for row in rows]


def test_restore_undoes_what_a_scenario_did(suite: Baseline, typed_db: Database) -> None:
    assert tenants(typed_db) == SEEDED
    execute(
        typed_db,
        "INSERT INTO Tenants (TenantId, Name) VALUES (@id, @name)",
        {"id": "t3", "name": "New"},
    )
    execute(typed_db, "DELETE FROM Tenants WHERE TenantId = @id", {"id": "t2"})
    execute(typed_db, "UPDATE Members SET Email = @e WHERE TRUE", {"e": "changed@x"})
    assert tenants(typed_db) == [("t1", "Acme"), ("t3", "New")]

    started = time.perf_counter()
    suite.restore()
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(f"\nscenario restore took {elapsed_ms:.1f} ms")

    assert tenants(typed_db) == SEEDED
    assert query(typed_db, "SELECT Email FROM Members", attach=False) == [{"Email": "a@x"}]


def test_restore_with_an_extra_set_adds_its_rows(
    suite: Baseline, typed_db: Database, tmp_path: Path
) -> None:
    write_fixture(tmp_path, "extra", "Coupons", "- {Code: PROMO, TenantId: t1}\n")
    suite.restore(["extra"])
    assert tenants(typed_db) == SEEDED
    assert query(typed_db, "SELECT Code FROM Coupons", attach=False) == [{"Code": "PROMO"}]
    suite.restore()
    assert query(typed_db, "SELECT Code FROM Coupons", attach=False) == []


def test_bad_fixtures_write_nothing(suite: Baseline, typed_db: Database, tmp_path: Path) -> None:
    execute(typed_db, "INSERT INTO Tenants (TenantId, Name) VALUES ('t3', 'Kept')")
    write_fixture(tmp_path, "broken", "Tenants", "- {TenantId: t9, Name: Z}\n- {TenantId: t9}\n")
    with pytest.raises(FixtureError, match="missing NOT NULL"):
        suite.restore(["broken"])
    assert tenants(typed_db) == [*SEEDED, ("t3", "Kept")]


def test_unknown_extra_set_is_named(suite: Baseline, tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="no fixture set nosuchset"):
        suite.restore(["nosuchset"])
