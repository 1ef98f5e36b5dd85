"""Fixture files: typing against the live schema, load order, seeding, and bad-fixture messages."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from google.cloud import spanner as spanner_client
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.instance import Instance
from harness_testkit import SCHEMA_ROOT, unique_database_id, write_fixture

from spanner.clock import spanner_today
from spanner.databases import Databases, create_database
from spanner.fixtures import FixtureError, load_seed
from spanner.live_schema import Table, parents_first, read_tables
from spanner.query import query
from spanner.schema import schema_statements
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
    [
        ("!!binary aGVsbG8=", b"hello"),
        ("YWJjZA==", b"abcd"),
        ("0x00ff", b"\x00\xff"),  # testfixtures' hex: YAML reads it as a number
        ("'0xABCD'", b"\xab\xcd"),  # also base64 of other bytes: 0x means hex in fixtures
    ],
    ids=["binary-tag", "base64-text", "hex", "quoted-hex"],
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


# --- values YAML alone would get wrong, and what every refusal says ---------------------------


@pytest.fixture(scope="module")
def samples_db(instance: Instance) -> Iterator[Database]:
    """A database with data/schema/every_type/: one Samples column of every type."""
    database = create_database(
        instance, unique_database_id(), schema_statements("every_type", SCHEMA_ROOT)
    )
    yield database
    database.drop()


@pytest.fixture(scope="module")
def samples(samples_db: Database) -> dict[str, Table]:
    return read_tables(samples_db)


def seed_set(set_folder: Path, database: Database, tables: dict[str, Table]) -> None:
    """Read, check and write one set, as a feature's seed is."""
    seed = load_seed([set_folder], {"main": tables})
    apply_seed(Databases({"main": database}), {"main": tables}, seed)


def refused(set_folder: Path, database: Database, tables: dict[str, Table]) -> str:
    """The message of a set that must fail while typing, before anything is written."""
    with pytest.raises(FixtureError) as error:
        seed_set(set_folder, database, tables)
    return str(error.value)


def row_count(database: Database, table: str) -> int:
    return query(database, f"SELECT COUNT(*) AS n FROM {table}", attach=False)[0]["n"]


def test_impossible_dates_and_timestamps_are_named_with_every_other_problem(
    tmp_path: Path, typed_db: Database, tables: dict[str, Table]
) -> None:
    tenants = write_fixture(
        tmp_path,
        "bad",
        "Tenants",
        "- {TenantId: t1, Name: A}\n"
        "- {TenantId: t2, Name: B, Founded: 2026-02-30}\n"
        "- {TenantId: t3, Name: C, SeenAt: 2026-13-01T00:00:00Z}\n"
        "- {TenantId: t4, Name: D, Seats: lots}\n",
    )
    members = write_fixture(
        tmp_path, "bad", "Members", "- {TenantId: t1, MemberId: 1, Email: a@b.test}\n- x\n"
    )
    message = refused(tmp_path / "bad", typed_db, tables)
    assert (
        f"{tenants}, row 2, line 2, column Founded (DATE): expected a date, got '2026-02-30': "
        "day is out of range for month; accepted: today, today+30d, today-1w, 2026-01-31"
    ) in message
    assert (
        f"{tenants}, row 3, line 3, column SeenAt (TIMESTAMP): expected a timestamp, got "
        "'2026-13-01T00:00:00Z': month must be in 1..12; accepted: now, now-1h, today"
    ) in message
    assert f"{tenants}, row 4, line 4, column Seats (INT64): expected a whole number" in message
    assert f"{members}, row 2, line 2: expected a mapping" in message
    assert row_count(typed_db, "Tenants") == 0


@pytest.mark.parametrize(
    ("balance", "got", "reason"),
    [
        ('"0.1234567891"', "'0.1234567891'", "10 digits after the point"),
        ("0.1234567891", "0.1234567891", "10 digits after the point"),
        ('"1234567890123456789012345678901"', "'1234567890123456789012345678901'", "31 digits "
         "before the point"),
    ],
    ids=["quoted", "unquoted", "too-many-whole-digits"],
)  # fmt: skip
def test_numeric_beyond_precision_38_scale_9_is_refused_while_typing(
    balance: str,
    got: str,
    reason: str,
    tmp_path: Path,
    typed_db: Database,
    tables: dict[str, Table],
) -> None:
    path = write_fixture(
        tmp_path,
        "bad",
        "Tenants",
        f"- {{TenantId: t0, Name: Z}}\n- {{TenantId: t1, Name: A, Balance: {balance}}}\n",
    )
    message = refused(tmp_path / "bad", typed_db, tables)
    assert (
        f"{path}, row 2, line 2, column Balance (NUMERIC): expected a decimal number, got {got}: "
        f"{reason}; NUMERIC holds at most 29 digits before the point and 9 after "
        "(precision 38, scale 9); accepted: a decimal number"
    ) in message
    assert row_count(typed_db, "Tenants") == 0


def test_unquoted_numbers_are_never_rounded_silently(
    tmp_path: Path, typed_db: Database, tables: dict[str, Table]
) -> None:
    path = write_fixture(
        tmp_path,
        "bad",
        "Tenants",
        "- {TenantId: t1, Name: A, Balance: 49.99}\n"
        "- {TenantId: t2, Name: B, Balance: 12345678901234567.89}\n"
        "- {TenantId: t3, Name: C, Seats: 3.5}\n"
        "- {TenantId: t4, Name: D, Seats: 9223372036854775808}\n"
        "- {TenantId: t5, Name: E, Seats: 9007199254740993.0}\n",
    )
    message = refused(tmp_path / "bad", typed_db, tables)
    assert (
        f"{path}, row 2, line 2, column Balance (NUMERIC): expected a decimal number, got "
        "12345678901234567.89: YAML reads it unquoted as the float 1.2345678901234568e+16: write "
        'it in quotes, e.g. "12345678901234567.89", so it is not rounded; accepted: a decimal '
        "number with at most 29 digits before the point and 9 after"
    ) in message
    int64_forms = "accepted: a whole number from -9223372036854775808 to 9223372036854775807"
    assert (
        f"{path}, row 3, line 3, column Seats (INT64): expected a whole number, got 3.5: it has "
        f"a fractional part; {int64_forms}"
    ) in message
    assert (
        f"{path}, row 4, line 4, column Seats (INT64): expected a whole number, got "
        "9223372036854775808: outside the INT64 range -9223372036854775808 to "
        f"9223372036854775807; {int64_forms}"
    ) in message
    assert (
        f"{path}, row 5, line 5, column Seats (INT64): expected a whole number, got "
        "9007199254740993.0: YAML reads it unquoted as the float 9007199254740992.0: write it "
        "without the decimal point, e.g. 9007199254740993"
    ) in message
    assert f"{path}, row 1" not in message
    assert row_count(typed_db, "Tenants") == 0


def test_unquoted_numbers_that_are_exact_are_stored_as_written(
    tmp_path: Path, typed_db: Database, tables: dict[str, Table]
) -> None:
    write_fixture(
        tmp_path,
        "good",
        "Tenants",
        "- {TenantId: t1, Name: A, Balance: 49.99, Seats: 3.0}\n"
        "- {TenantId: t2, Name: B, Balance: 10, Seats: 10}\n"
        '- {TenantId: t3, Name: C, Balance: "12345678901234567.89", Seats: 9223372036854775807}\n',
    )
    seed_set(tmp_path / "good", typed_db, tables)
    rows = query(typed_db, "SELECT Balance, Seats FROM Tenants ORDER BY TenantId", attach=False)
    assert rows == [
        {"Balance": Decimal("49.99"), "Seats": 3},
        {"Balance": Decimal("10"), "Seats": 10},
        {"Balance": Decimal("12345678901234567.89"), "Seats": 2**63 - 1},
    ]


NON_FINITE = [(".nan", "NaN"), (".inf", "Infinity"), ("-.inf", "-Infinity")]


def test_float64_keeps_nan_and_infinity(
    tmp_path: Path, typed_db: Database, tables: dict[str, Table]
) -> None:
    """Spanner keeps NaN and ±Infinity in FLOAT64, so the fixtures take them on purpose."""
    text = "".join(
        f"- {{TenantId: u{n}, Name: U, Ratio: {unquoted}}}\n"
        f'- {{TenantId: q{n}, Name: Q, Ratio: "{quoted}"}}\n'
        for n, (unquoted, quoted) in enumerate(NON_FINITE)
    )
    write_fixture(tmp_path, "good", "Tenants", text)
    seed_set(tmp_path / "good", typed_db, tables)
    rows = query(typed_db, "SELECT TenantId, Ratio FROM Tenants", attach=False)
    ratios = {row["TenantId"]: row["Ratio"] for row in rows}
    for prefix in "uq":
        assert math.isnan(ratios[f"{prefix}0"])
        assert ratios[f"{prefix}1"] == math.inf
        assert ratios[f"{prefix}2"] == -math.inf


def test_float32_keeps_nan_and_infinity_and_refuses_beyond_its_range(
    tmp_path: Path, samples_db: Database, samples: dict[str, Table]
) -> None:
    write_fixture(
        tmp_path,
        "good",
        "Samples",
        '- {Id: a, Ratio32: .nan}\n- {Id: b, Ratio32: "-Infinity"}\n- {Id: c, Ratio32: 0.5}\n'
        "- {Id: d, Ratio32: 3.4028234663852886e+38}\n",
    )
    seed_set(tmp_path / "good", samples_db, samples)
    rows = query(samples_db, "SELECT Ratio32 FROM Samples ORDER BY Id", attach=False)
    a, b, c, d = (row["Ratio32"] for row in rows)
    assert math.isnan(a) and b == -math.inf and c == 0.5 and d == 3.4028234663852886e38

    path = write_fixture(
        tmp_path, "bad", "Samples", '- {Id: e, Ratio32: 3.5e+38}\n- {Id: f, Ratio32: "-1e39"}\n'
    )
    message = refused(tmp_path / "bad", samples_db, samples)
    for row, got in [(1, "3.5e+38"), (2, "'-1e39'")]:
        assert (
            f"{path}, row {row}, line {row}, column Ratio32 (FLOAT32): expected a number, got "
            f"{got}: beyond the FLOAT32 range (±3.4028234663852886e+38); accepted: a number from"
        ) in message
    assert row_count(samples_db, "Samples") == 4  # the earlier seed, untouched


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", '"NaN"', '"Infinity"', '"-Infinity"'])
def test_numeric_refuses_nan_and_infinity(
    value: str, tmp_path: Path, tables: dict[str, Table]
) -> None:
    path = write_fixture(
        tmp_path, "bad", "Tenants", f"- {{TenantId: t1, Name: A, Balance: {value}}}\n"
    )
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": tables})
    assert f"{path}, row 1, line 1, column Balance (NUMERIC): expected a decimal number" in str(
        error.value
    )
    assert ": NUMERIC has no NaN or infinity; accepted: a decimal number" in str(error.value)


# --- a broken or refused parent does not make its children look orphaned --------------------


def test_a_broken_parent_file_makes_no_child_look_orphaned(
    tmp_path: Path, tables: dict[str, Table]
) -> None:
    tenants = write_fixture(
        tmp_path, "bad", "Tenants", "- {TenantId: t1, Name: A}\n- TenantId: t2\n  Name: [oops\n"
    )
    members = write_fixture(
        tmp_path,
        "bad",
        "Members",
        "- {TenantId: t1, MemberId: 1, Email: a@b.test}\n"
        "- {TenantId: t2, MemberId: 2, Email: b@b.test}\n",
    )
    write_fixture(tmp_path, "bad", "Coupons", "- {Code: A, TenantId: t2}\n")
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": tables})
    message = str(error.value)
    assert f"{tenants}, line 4, column 1: YAML syntax error" in message
    assert "no row in" not in message, message
    assert str(members) not in message


def test_refused_parent_rows_count_as_parents_but_real_orphans_are_reported(
    tmp_path: Path, tables: dict[str, Table]
) -> None:
    tenants = write_fixture(
        tmp_path, "bad", "Tenants", "- {TenantId: t1, Name: A, Founded: 2026-02-30}\n"
    )
    members = write_fixture(
        tmp_path,
        "bad",
        "Members",
        "- {TenantId: t1, MemberId: 1, Email: a@b.test}\n"
        "- {TenantId: t9, MemberId: 2, Email: b@b.test}\n"
        "- {TenantId: t1, MemberId: 3, Email: c@b.test, Colour: red}\n",
    )
    awards = write_fixture(
        tmp_path,
        "bad",
        "Awards",
        "- {AwardId: 1, TenantId: t1, MemberId: 1}\n"
        "- {AwardId: 2, TenantId: t1, MemberId: 3}\n"
        "- {AwardId: 3, TenantId: t1, MemberId: 4}\n",
    )
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": tables})
    message = str(error.value)
    assert f"{tenants}, row 1, line 1, column Founded (DATE)" in message
    assert f"{members}, row 3, line 3: unknown column 'Colour'" in message
    # t9 is in no Tenants row, refused or not: a real orphan
    assert (
        f"{members}, row 2, line 2: no row in Tenants (the parent of Members) with (TenantId='t9')"
    ) in message
    # t1 is the key of the refused Tenants row, member 3 of a refused Members row: not orphans
    assert f"{members}, row 1" not in message
    assert f"{awards}, row 1" not in message and f"{awards}, row 2" not in message
    # member 4 is in no Members row at all
    assert (
        f"{awards}, row 3, line 3: no row in Members (foreign key of Awards) with "
        "(TenantId='t1', MemberId=4)"
    ) in message


def test_a_parent_row_without_a_readable_key_hides_missing_parent_reports(
    tmp_path: Path, tables: dict[str, Table]
) -> None:
    write_fixture(tmp_path, "bad", "Tenants", "- {TenantId: [t1], Name: A}\n")
    write_fixture(tmp_path, "bad", "Coupons", "- {Code: A, TenantId: t1}\n")
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": tables})
    assert "column TenantId (STRING(36)): expected text" in str(error.value)
    assert "no row in" not in str(error.value)


# --- every type says which forms it takes -----------------------------------------------------

INT64_FORMS = "a whole number from -9223372036854775808 to 9223372036854775807: 42, -7"
NUMERIC_FORMS = "a decimal number with at most 29 digits before the point and 9 after"
TIMESTAMP_FORMS = "now, now-1h, today, today+1d, 2026-01-31T09:00:00Z"
# column: (written value, what the message says after "column Col (TYPE): ", accepted forms)
EVERY_TYPE = {
    "STRING length": (
        "Label",
        "toolong",
        "expected text, got 'toolong': 7 characters, longer than STRING(5)",
        "text of at most 5 characters",
    ),
    "STRING from a YAML boolean": (
        "Label",
        "yes",
        "expected text, got true: YAML reads unquoted true, false, yes, no, on and off as "
        "booleans: quote it",
        "text of at most 5 characters",
    ),
    "BYTES base64": (
        "Blob",
        '"not base64!"',
        "expected base64 text, got 'not base64!'",
        "base64 text (aGVsbG8=) or !!binary, at most 4 bytes",
    ),
    "BYTES length": (
        "Blob",
        "aGVsbG8=",
        "expected at most 4 bytes, got 'aGVsbG8=': 5 bytes, longer than BYTES(4)",
        "base64 text (aGVsbG8=) or !!binary, at most 4 bytes",
    ),
    "BOOL": ("Flag", "maybe", "expected true or false, got 'maybe'", "true or false"),
    "INT64": ("Quantity", "lots", "expected a whole number, got 'lots'", INT64_FORMS),
    "INT64 fraction": (
        "Quantity",
        "2.5",
        "expected a whole number, got 2.5: it has a fractional part",
        INT64_FORMS,
    ),
    "FLOAT64": (
        "Ratio",
        "lots",
        "expected a number, got 'lots'",
        'a number: 0.75, -1.5e+3, 42, "1e-3", .nan, .inf, -.inf, "NaN", "Infinity"',
    ),
    "FLOAT32": (
        "Ratio32",
        "1.0e+39",
        "expected a number, got 1.0e+39: beyond the FLOAT32 range",
        "a number from -3.4028234663852886e+38 to 3.4028234663852886e+38",
    ),
    "NUMERIC": ("Amount", "lots", "expected a decimal number, got 'lots'", NUMERIC_FORMS),
    "NUMERIC rounded": (
        "Amount",
        "12345678901234567.89",
        "expected a decimal number, got 12345678901234567.89: YAML reads it unquoted as the float",
        NUMERIC_FORMS,
    ),
    "DATE": (
        "Day",
        "2026-02-30",
        "expected a date, got '2026-02-30': day is out of range for month",
        "today, today+30d, today-1w, 2026-01-31",
    ),
    "DATE from a timestamp": (
        "Day",
        "2026-01-31T09:00:00Z",
        "expected a date, got 2026-01-31T09:00:00Z: that is a timestamp, not a date",
        "today, today+30d, today-1w, 2026-01-31",
    ),
    "TIMESTAMP": (
        "SeenAt",
        "2026-13-01T00:00:00Z",
        "expected a timestamp, got '2026-13-01T00:00:00Z': month must be in 1..12",
        TIMESTAMP_FORMS,
    ),
    "TIMESTAMP text": ("SeenAt", "soon", "expected a timestamp, got 'soon'", TIMESTAMP_FORMS),
    "COMMIT_TIMESTAMP not allowed": (
        "SeenAt",
        "COMMIT_TIMESTAMP",
        "COMMIT_TIMESTAMP needs a column with OPTIONS (allow_commit_timestamp=true)",
        TIMESTAMP_FORMS + ", 2026-01-31T09:00:00.123456789+01:00 (without a zone: UTC)",
    ),
    "TIMESTAMP with COMMIT_TIMESTAMP": (
        "CommittedAt",
        "soon",
        "expected a timestamp, got 'soon'",
        "(without a zone: UTC), COMMIT_TIMESTAMP",
    ),
    "JSON text": (
        "Doc",
        "'{bad'",
        "expected JSON, got '{bad': Expecting property name",
        "a YAML mapping, list or scalar ({plan: pro}, [1, 2]) or JSON text",
    ),
    "JSON NaN": (
        "Doc",
        "{x: .nan}",
        "expected JSON, got {'x': nan}: .nan: JSON has no NaN or infinity",
        "a YAML mapping, list or scalar",
    ),
    "ARRAY not a list": (
        "Quantities",
        "5",
        "expected a list, got 5",
        f"a list ([a, b]); each item: {INT64_FORMS}",
    ),
    "ARRAY<INT64> item": (
        "Quantities",
        "[1, x]",
        "item 2 of the list: expected a whole number, got 'x'",
        INT64_FORMS,
    ),
    "ARRAY<DATE> item": (
        "Days",
        "[2026-01-31, 2026-02-30]",
        "item 2 of the list: expected a date, got '2026-02-30': day is out of range for month",
        "today, today+30d",
    ),
    "ARRAY<NUMERIC> item": (
        "Amounts",
        "[1.5, 0.1234567891]",
        "item 2 of the list: expected a decimal number, got 0.1234567891: 10 digits after",
        NUMERIC_FORMS,
    ),
    "ARRAY<STRING> item": (
        "Labels",
        "[abc, abcd]",
        "item 2 of the list: expected text, got 'abcd': 4 characters, longer than STRING(3)",
        "text of at most 3 characters",
    ),
}


@pytest.mark.parametrize("case", EVERY_TYPE.values(), ids=EVERY_TYPE.keys())
def test_every_type_names_file_row_line_column_and_the_accepted_forms(
    case: tuple[str, str, str, str],
    tmp_path: Path,
    samples_db: Database,
    samples: dict[str, Table],
) -> None:
    column, written, says, forms = case
    spanner_type = samples["Samples"].columns[column].spanner_type
    path = write_fixture(
        tmp_path, "bad", "Samples", f"- {{Id: a}}\n- {{Id: b, {column}: {written}}}\n"
    )
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": samples})
    message = str(error.value)
    assert f"{path}, row 2, line 2, column {column} ({spanner_type}): {says}" in message
    line = next(line for line in message.splitlines() if f"column {column} " in line)
    assert "; accepted: " in line and forms in line.split("; accepted: ", 1)[1], line
