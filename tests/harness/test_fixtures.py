"""Fixture files: typing against the live schema, load order, seeding, and bad-fixture messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from google.cloud import spanner as spanner_client
from google.cloud.spanner_v1.database import Database
from harness_testkit import write_fixture

from spanner.clock import spanner_today
from spanner.databases import Databases
from spanner.fixtures import FixtureError, load_seed
from spanner.live_schema import Table, parents_first
from spanner.query import query
from spanner.seeding import apply_seed

TENANTS = """\
- TenantId: t1
  Name: Acme
  Seats: 42
  Ratio: 0.75
  Active: true
  Balance: "499.00"
  Founded: 2024-02-29
  RenewsOn: today+30d
  CreatedAt: COMMIT_TIMESTAMP
  SeenAt: now-1h
  Settings: {plan: pro, limits: [1, 2]}
  Tags: [alpha, beta]
- TenantId: t2
  Name: Globex
  SeenAt: 2026-01-31T09:00:00Z
  Settings: '{"plan": "basic"}'
"""
MEMBERS = "- {TenantId: t1, MemberId: 1, Email: a@acme.test}\n"
COUPONS = "- {Code: WELCOME, TenantId: t1}\n- {Code: ORPHANLESS}\n"
AWARDS = "- {AwardId: 7, TenantId: t1, MemberId: 1}\n"


def write_valid_set(root: Path, set_name: str = "good") -> None:
    for table, text in [
        ("Tenants", TENANTS),
        ("Members", MEMBERS),
        ("Coupons", COUPONS),
        ("Awards", AWARDS),
    ]:
        write_fixture(root, set_name, table, text)


def test_every_column_type_is_typed_from_yaml(tmp_path: Path, tables: dict[str, Table]) -> None:
    write_valid_set(tmp_path)
    seed = load_seed([tmp_path / "good"], {"main": tables})
    acme, globex = (row.values for row in seed.tables("main")["Tenants"])
    assert acme["TenantId"] == "t1"
    assert acme["Seats"] == 42 and type(acme["Seats"]) is int
    assert acme["Ratio"] == 0.75
    assert acme["Active"] is True
    assert acme["Balance"] == Decimal("499.00")
    assert acme["Founded"] == date(2024, 2, 29)
    assert acme["RenewsOn"] == spanner_today() + timedelta(days=30)
    assert acme["CreatedAt"] is spanner_client.COMMIT_TIMESTAMP
    expected_seen = datetime.now(UTC) - timedelta(hours=1)
    assert abs(acme["SeenAt"] - expected_seen) < timedelta(seconds=1)
    assert acme["Settings"] == {"plan": "pro", "limits": [1, 2]}
    assert acme["Tags"] == ["alpha", "beta"]
    assert globex["SeenAt"] == datetime(2026, 1, 31, 9, tzinfo=UTC)
    assert globex["Settings"] == {"plan": "basic"}


def test_today_is_the_spanner_day_in_los_angeles() -> None:
    # 05:00 UTC on 1 March is still 28 February in Los Angeles
    assert spanner_today(datetime(2026, 3, 1, 5, tzinfo=UTC)) == date(2026, 2, 28)


def test_commit_timestamp_only_on_allowing_columns(
    tmp_path: Path, tables: dict[str, Table]
) -> None:
    path = write_fixture(
        tmp_path, "bad", "Tenants", "- {TenantId: t1, Name: A, SeenAt: COMMIT_TIMESTAMP}\n"
    )
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": tables})
    assert f"{path}, row 1, line 1, column SeenAt (TIMESTAMP): COMMIT_TIMESTAMP needs" in str(
        error.value
    )


def test_schema_knows_parents_and_foreign_keys(tables: dict[str, Table]) -> None:
    assert tables["Members"].parent == "Tenants"
    assert tables["Coupons"].foreign_keys == [("Tenants", ["TenantId"], ["TenantId"])]
    assert tables["Awards"].foreign_keys == [
        ("Members", ["TenantId", "MemberId"], ["TenantId", "MemberId"])
    ]
    assert tables["Tenants"].columns["CreatedAt"].allows_commit_timestamp
    assert not tables["Tenants"].columns["SeenAt"].allows_commit_timestamp


def test_parents_come_first(tables: dict[str, Table]) -> None:
    order = parents_first(tables)
    assert sorted(order) == ["Awards", "Coupons", "Members", "Tenants"]
    assert order.index("Tenants") < order.index("Members") < order.index("Awards")
    assert order.index("Tenants") < order.index("Coupons")


def test_seeding_writes_exactly_the_rows(
    tmp_path: Path, typed_db: Database, tables: dict[str, Table]
) -> None:
    write_valid_set(tmp_path)
    seed = load_seed([tmp_path / "good"], {"main": tables})
    before = datetime.now(UTC)
    apply_seed(Databases({"main": typed_db}), {"main": tables}, seed)

    rows = query(typed_db, "SELECT * FROM Tenants ORDER BY TenantId", attach=False)
    assert [row["TenantId"] for row in rows] == ["t1", "t2"]
    acme = rows[0]
    assert acme["Balance"] == Decimal("499") and acme["Active"] is True
    assert acme["Founded"] == date(2024, 2, 29)
    assert acme["Tags"] == ["alpha", "beta"]
    assert acme["Settings"] == {"plan": "pro", "limits": [1, 2]}
    assert before - timedelta(seconds=1) <= acme["CreatedAt"] <= datetime.now(UTC)
    assert rows[1]["Seats"] is None and rows[1]["CreatedAt"] is None
    counts = query(
        typed_db,
        "SELECT (SELECT COUNT(*) FROM Members) AS members, (SELECT COUNT(*) FROM Coupons) "
        "AS coupons, (SELECT COUNT(*) FROM Awards) AS awards",
        attach=False,
    )
    assert counts == [{"members": 1, "coupons": 2, "awards": 1}]


@pytest.mark.parametrize(
    ("yaml_value", "stored"),
    [("!!binary aGVsbG8=", b"hello"), ("YWJjZA==", b"abcd")],
    ids=["binary-tag", "base64-text"],
)
def test_bytes_fixture_round_trips(
    yaml_value: str,
    stored: bytes,
    tmp_path: Path,
    typed_db: Database,
    tables: dict[str, Table],
) -> None:
    write_fixture(
        tmp_path, "bytes", "Tenants", f"- {{TenantId: b1, Name: B, Logo: {yaml_value}}}\n"
    )
    seed = load_seed([tmp_path / "bytes"], {"main": tables})
    apply_seed(Databases({"main": typed_db}), {"main": tables}, seed)
    # TO_HEX shows what Spanner holds; the client hands bytes back still base64-encoded
    rows = query(typed_db, "SELECT TO_HEX(Logo) AS hex FROM Tenants", attach=False)
    assert rows == [{"hex": stored.hex()}]


def test_yml_files_are_read(tmp_path: Path, tables: dict[str, Table]) -> None:
    write_fixture(tmp_path, "legacy", "Tenants", "- {TenantId: y1, Name: Yml}\n", ".yml")
    seed = load_seed([tmp_path / "legacy"], {"main": tables})
    assert [row.values for row in seed.tables("main")["Tenants"]] == [
        {"TenantId": "y1", "Name": "Yml"}
    ]


BAD_CASES = {
    "unknown table": (
        "Nope",
        "- {X: 1}\n",
        "{file}: no table 'Nope' in database 'main'",
    ),
    "unknown column": (
        "Tenants",
        "- {TenantId: t1, Name: A}\n- {TenantId: t2, Name: B, Colour: red}\n",
        "{file}, row 2, line 2: unknown column 'Colour' in Tenants",
    ),
    "wrong type": (
        "Tenants",
        "- {TenantId: t1, Name: A, Seats: lots}\n",
        "{file}, row 1, line 1, column Seats (INT64): expected a whole number, got 'lots'",
    ),
    "missing NOT NULL": (
        "Tenants",
        "- {TenantId: t1, Name: A}\n- {TenantId: t2}\n",
        "{file}, row 2, line 2: missing NOT NULL column(s) Name of Tenants",
    ),
    "null in NOT NULL": (
        "Tenants",
        "- {TenantId: t1, Name: null}\n",
        "{file}, row 1, line 1, column Name: NOT NULL column given null",
    ),
    "duplicate key": (
        "Tenants",
        "- {TenantId: t1, Name: A}\n- {TenantId: t1, Name: B}\n",
        "{file}, row 2, line 2: duplicate key (TenantId='t1') in Tenants, first at {file}, row 1",
    ),
    "child without parent": (
        "Members",
        "- {TenantId: t9, MemberId: 1, Email: x@y.test}\n",
        "{file}, row 1, line 1: no row in Tenants (the parent of Members) with (TenantId='t9')",
    ),
    "foreign key target missing": (
        "Coupons",
        "- {Code: A}\n- {Code: B, TenantId: t9}\n",
        "{file}, row 2, line 2: no row in Tenants (foreign key of Coupons) with (TenantId='t9')",
    ),
    "YAML syntax error": (
        "Tenants",
        "- {TenantId: t1, Name: A}\n- TenantId: t2\n  Name: [unclosed\n",
        "{file}, line 4, column 1: YAML syntax error",
    ),
}


@pytest.mark.parametrize("case", BAD_CASES.values(), ids=BAD_CASES.keys())
def test_bad_fixture_is_named(
    case: tuple[str, str, str], tmp_path: Path, tables: dict[str, Table]
) -> None:
    table, text, expected = case
    path = write_fixture(tmp_path, "bad", table, text)
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": tables})
    assert expected.format(file=path) in str(error.value)


def test_every_problem_is_listed_at_once(tmp_path: Path, tables: dict[str, Table]) -> None:
    tenants = write_fixture(tmp_path, "bad", "Tenants", "- {TenantId: t1, Name: A, Seats: x}\n")
    members = write_fixture(tmp_path, "bad", "Members", "- {TenantId: t1, MemberId: 1}\n")
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": tables})
    assert f"{tenants}, row 1" in str(error.value)
    assert f"{members}, row 1" in str(error.value)


def test_relative_date_in_hours_is_a_named_fixture_error(
    tmp_path: Path, tables: dict[str, Table]
) -> None:
    path = write_fixture(
        tmp_path, "bad", "Tenants", "- {TenantId: t1, Name: A, Founded: today+3h}\n"
    )
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": tables})
    assert f"{path}, row 1, line 1, column Founded (DATE)" in str(error.value)
