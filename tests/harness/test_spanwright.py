"""A Spanwright scenario folder as it is: fixtures of two databases (testfixtures' RAW= and 0x
values), spalidate expected files in both shapes; seeded and checked on the emulator."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from google.cloud.spanner_v1.instance import Instance
from harness_testkit import unique_database_id

from base.timing import Timings
from spanner.baseline import Baseline
from spanner.clock import spanner_today
from spanner.databases import Databases, create_database
from spanner.emulator import Backend
from spanner.expected_state import ExpectedStateError, check_expected_state
from spanner.fixture_layout import FixtureLayout, FixtureLayoutError
from spanner.fixtures import FixtureError, load_seed
from spanner.live_schema import read_tables
from spanner.query import execute, query
from spanner.schema import schema_statements
from spanner.seeding import apply_seed
from spanner.service import SpannerService
from spanner.settings import SpannerSettings
from spanner.spanwright_import import main as import_main

DATA = Path(__file__).resolve().parent / "data" / "spanwright"
SCENARIOS = DATA / "scenarios"
ALIASES = {"primary": "users", "secondary": "billing"}
TIMEOUT = 0.3  # a failing check polls this long


@pytest.fixture(scope="module")
def dbs(instance: Instance) -> Iterator[Databases]:
    handles = {
        name: create_database(
            instance, unique_database_id(), schema_statements(name, DATA / "schema")
        )
        for name in ("users", "billing")
    }
    yield Databases(handles, {n: read_tables(d) for n, d in handles.items()}, ALIASES)
    for database in handles.values():
        database.drop()


def layout(root: Path) -> FixtureLayout:
    """A product layout whose own fixtures root is empty: the feature is found in SCENARIOS."""
    return FixtureLayout(root, "shop", scenarios=SCENARIOS)


def seed(dbs: Databases, fixtures: FixtureLayout, feature: str = "checkout") -> None:
    loaded = load_seed(fixtures.baseline(feature), dbs.schemas, dbs.aliases)
    apply_seed(dbs.handles, dbs.schemas, loaded)


def check(dbs: Databases, database: str, path: Path) -> None:
    name = dbs.name_of(database)
    check_expected_state(dbs[name], dbs.schemas[name], path, {}, TIMEOUT)


def test_a_scenario_folder_seeds_and_checks(tmp_path: Path, dbs: Databases) -> None:
    fixtures = layout(tmp_path)
    before = datetime.now(UTC)
    seed(dbs, fixtures)
    check(dbs, "primary", fixtures.expected("checkout", "expected-primary.yaml"))
    check(dbs, "secondary", fixtures.expected("checkout", "expected-secondary.yaml"))
    # the suite's own shape, anywhere under the folder, found by its name
    check(dbs, "users", fixtures.expected("checkout", "after-seeding.yaml"))

    users = query(dbs.users, "SELECT * FROM Users ORDER BY UserID", attach=False)
    assert [user["Avatar"] for user in users] == [b"\xca\xfe", b"\x00\xff"]
    first = users[0]
    assert before - timedelta(seconds=1) <= first["CreatedAt"] <= datetime.now(UTC)
    assert first["UpdatedAt"] >= first["CreatedAt"] - timedelta(seconds=1)  # commit timestamp
    days = query(dbs.billing, "SELECT Day FROM Analytics", attach=False)
    assert days == [{"Day": spanner_today()}]


def test_a_restore_gives_raw_now_the_time_of_the_restore(
    tmp_path: Path, dbs: Databases, emulator: Backend
) -> None:
    service = SpannerService(SpannerSettings(), Timings(), backend=emulator)
    baseline = Baseline(service, dbs, layout(tmp_path))
    baseline.seed_feature("checkout")
    sql = "SELECT CreatedAt, UpdatedAt FROM Users WHERE UserID = 'user-001'"
    first = query(dbs.users, sql, attach=False)[0]
    execute(dbs.users, "DELETE FROM Users WHERE UserID = @id", {"id": "user-002"})
    baseline.restore()  # before the next scenario
    check(dbs, "primary", layout(tmp_path).expected("checkout", "expected-primary.yaml"))
    second = query(dbs.users, sql, attach=False)[0]
    assert second["CreatedAt"] > first["CreatedAt"]
    assert second["UpdatedAt"] > first["UpdatedAt"]


def write_scenario(tmp_path: Path, replace: dict[str, tuple[str, str]]) -> Path:
    """A copy of the checkout scenario with text replaced: {relative path: (old, new)}."""
    folder = tmp_path / "scenarios" / "checkout"
    shutil.copytree(SCENARIOS / "checkout", folder)
    for relative, (old, new) in replace.items():
        path = folder / relative
        text = path.read_text()
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new))
    return folder


def test_a_value_that_differs_names_file_table_row_and_column(
    tmp_path: Path, dbs: Databases
) -> None:
    seed(dbs, layout(tmp_path))
    folder = write_scenario(
        tmp_path,
        {
            "expected-primary.yaml": ("Status: 1", "Status: 9"),
            "expected-secondary.yaml": ('Action: "logout"', 'Action: "signout"'),
        },
    )
    with pytest.raises(AssertionError) as primary:
        check(dbs, "primary", folder / "expected-primary.yaml")
    message = str(primary.value)
    assert "expected-primary.yaml, table Users" in message
    assert "row 1 not found; nearest row differs in Status: expected 9, actual 1" in message
    assert "Products" not in message  # the other table passed

    with pytest.raises(AssertionError) as secondary:
        check(dbs, "secondary", folder / "expected-secondary.yaml")
    message = str(secondary.value)
    assert "expected-secondary.yaml, table UserLogs" in message
    assert "row 1 (line 5) not found; nearest row differs in Action: expected 'signout'" in message
    assert "1 row(s) not expected (+)" in message


def test_a_count_that_differs_is_named(tmp_path: Path, dbs: Databases) -> None:
    seed(dbs, layout(tmp_path))
    folder = write_scenario(tmp_path, {"expected-primary.yaml": ("count: 2", "count: 3")})
    with pytest.raises(AssertionError, match=r"table Users: expected 3 row\(s\), found 2"):
        check(dbs, "primary", folder / "expected-primary.yaml")


def test_whole_rows_are_an_exact_set(tmp_path: Path, dbs: Databases) -> None:
    """The newer shape fails on a row the file does not list, and on a row missing."""
    seed(dbs, layout(tmp_path))
    dropped = """      - LogID: "log-002"
        UserID: "user-002"
        Action: "logout"
        Meta: null
        CreatedAt: "2024-01-02T00:00:00Z"
"""
    folder = write_scenario(tmp_path, {"expected-secondary.yaml": (dropped, "")})
    with pytest.raises(AssertionError) as error:
        check(dbs, "secondary", folder / "expected-secondary.yaml")
    assert "table UserLogs: 1 row(s) not expected (+)" in str(error.value)


def test_a_whole_row_must_name_every_column(tmp_path: Path, dbs: Databases) -> None:
    seed(dbs, layout(tmp_path))
    folder = write_scenario(
        tmp_path, {"expected-secondary.yaml": ('        PageURL: "/test-page"\n', "")}
    )
    with pytest.raises(ExpectedStateError) as error:
        check(dbs, "secondary", folder / "expected-secondary.yaml")
    assert "expected-secondary.yaml, table Analytics, row 1 (line 17): missing column(s) " in str(
        error.value
    )
    assert "PageURL" in str(error.value)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("count: 2", "count: two", "table Users: count must be a whole number of rows"),
        ("Status: 1", "Stat: 1", "table Users, row 1: no column Stat in Users"),
        ("Status: 1", "Status: one", "table Users, row 1, column Status: expected a whole number"),
        (
            "    count: 2\n    columns:",
            "    count: 2\n    order_by: UserID\n    columns:",
            "unknown key(s) order_by",
        ),
    ],
    ids=["count", "column", "type", "key"],
)
def test_a_bad_spalidate_file_is_named(
    old: str, new: str, says: str, tmp_path: Path, dbs: Databases
) -> None:
    folder = write_scenario(tmp_path, {"expected-primary.yaml": (old, new)})
    with pytest.raises(ExpectedStateError, match="expected-primary.yaml") as error:
        check(dbs, "primary", folder / "expected-primary.yaml")
    assert says in str(error.value)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "RAW=NOW()",
            "RAW=GENERATE_UUID()",
            "Users.yml, row 1, line 2, column CreatedAt (TIMESTAMP): 'RAW=GENERATE_UUID()' is "
            "not allowed: the suite writes rows as mutations, not SQL, so a RAW= value may only "
            "be NOW(), CURRENT_TIMESTAMP(), CURRENT_DATE(), PENDING_COMMIT_TIMESTAMP()",
        ),
        (
            "CreatedAt: RAW=NOW()",
            "CreatedAt: RAW=PENDING_COMMIT_TIMESTAMP()",
            "column CreatedAt (TIMESTAMP): 'RAW=PENDING_COMMIT_TIMESTAMP()' needs a column "
            "with OPTIONS (allow_commit_timestamp=true)",
        ),
        (
            "CreatedAt: RAW=NOW()",
            "CreatedAt: RAW=CURRENT_DATE()",
            "'RAW=CURRENT_DATE()' gives a DATE; the column is TIMESTAMP",
        ),
        (
            "Avatar: 0xCAFE",
            "Avatar: 0xCAF",
            "Users.yml, row 1, line 2, column Avatar (BYTES(MAX)): '0xCAF' is no hexadecimal",
        ),
    ],
    ids=["unknown-function", "commit-timestamp", "date-into-timestamp", "odd-hex"],
)
def test_testfixtures_values_refused_name_file_and_row(
    old: str, new: str, says: str, tmp_path: Path, dbs: Databases
) -> None:
    write_scenario(tmp_path, {"fixtures/primary-db/Users.yml": (old, new)})
    fixtures = FixtureLayout(tmp_path / "none", "shop", scenarios=tmp_path / "scenarios")
    with pytest.raises(FixtureError) as error:
        load_seed(fixtures.baseline("checkout"), dbs.schemas, dbs.aliases)
    assert says in str(error.value)


def test_an_unknown_database_folder_is_named(tmp_path: Path, dbs: Databases) -> None:
    folder = write_scenario(tmp_path, {})
    (folder / "fixtures" / "primary-db").rename(folder / "fixtures" / "tertiary-db")
    with pytest.raises(FixtureError, match=r"tertiary-db: no database named 'tertiary-db'"):
        load_seed([folder], dbs.schemas, dbs.aliases)


def test_a_missing_expected_file_lists_the_files_there(tmp_path: Path) -> None:
    with pytest.raises(FixtureLayoutError) as error:
        layout(tmp_path).expected("checkout", "expected-tertiary.yaml")
    message = str(error.value)
    assert "no expected-state file 'expected-tertiary.yaml'" in message
    assert "checks/after-seeding.yaml, expected-primary.yaml, expected-secondary.yaml" in message


def test_the_conversion_command_makes_a_feature_folder(
    tmp_path: Path, dbs: Databases, capsys: pytest.CaptureFixture[str]
) -> None:
    feature = tmp_path / "fixtures" / "checkout"
    assert import_main([str(SCENARIOS / "checkout"), str(feature)]) == 0
    out = capsys.readouterr().out
    assert 'check with: Then the primary database matches "expected/expected-primary.yaml"' in out
    assert sorted(str(p.relative_to(feature)) for p in feature.rglob("*") if p.is_file()) == [
        "expected/expected-primary.yaml",
        "expected/expected-secondary.yaml",
        "primary/Products.yml",
        "primary/Users.yml",
        "secondary/Analytics.yml",
        "secondary/UserLogs.yml",
    ]
    fixtures = FixtureLayout(tmp_path / "fixtures", "shop")
    seed(dbs, fixtures)
    check(dbs, "secondary", fixtures.expected("checkout", "expected/expected-secondary.yaml"))
    # a second run would overwrite: it stops and says so
    assert import_main([str(SCENARIOS / "checkout"), str(feature)]) == 2
    assert "would overwrite" in capsys.readouterr().err


def test_a_database_folder_beside_fixtures_is_named(tmp_path: Path, dbs: Databases) -> None:
    folder = write_scenario(tmp_path, {})
    (folder / "primary").mkdir()
    with pytest.raises(FixtureError, match=r"primary: not read; in a Spanwright scenario folder"):
        load_seed([folder], dbs.schemas, dbs.aliases)


def test_a_product_whose_fixtures_are_the_scenarios_folder(tmp_path: Path, dbs: Databases) -> None:
    """A product's fixture folder pointed at a Spanwright project's scenarios/: each feature's
    folder is the scenario of its name, as it is."""
    fixtures = FixtureLayout(SCENARIOS, "shop")
    seed(dbs, fixtures)
    check(dbs, "primary", fixtures.expected("checkout", "expected-primary.yaml"))


@pytest.mark.parametrize("raw", ["RAW=CURRENT_TIMESTAMP()", "RAW=now( )"])
def test_raw_functions_are_read_in_any_case(raw: str, tmp_path: Path, dbs: Databases) -> None:
    write_scenario(tmp_path, {"fixtures/primary-db/Users.yml": ("RAW=NOW()", raw)})
    fixtures = FixtureLayout(tmp_path / "scenarios", "shop")
    before = datetime.now(UTC)
    seed(dbs, fixtures)
    created = query(
        dbs.users, "SELECT CreatedAt FROM Users WHERE UserID = 'user-001'", attach=False
    )
    assert before - timedelta(seconds=1) <= created[0]["CreatedAt"] <= datetime.now(UTC)


ROWS_SHAPE = """\
tables:
  Products:
    count: 2
    rows:
      - {ProductID: product-001}
      - {ProductID: product-002, Price: PRICE}
"""


def test_spalidate_rows_with_a_count(tmp_path: Path, dbs: Databases) -> None:
    """spalidate 1.1's `rows`: each row names some columns; the count is the table's."""
    seed(dbs, layout(tmp_path))
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(ROWS_SHAPE.replace("PRICE", "3000"))
    bad.write_text(ROWS_SHAPE.replace("PRICE", "2999"))
    check(dbs, "primary", good)
    with pytest.raises(AssertionError) as error:
        check(dbs, "primary", bad)
    assert "bad.yaml, table Products: 1 expected row(s) not found" in str(error.value)
    assert "row 2 (line 6) not found; nearest row differs in Price: expected 2999" in str(
        error.value
    )


def test_the_conversion_command_names_a_folder_that_is_no_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain").mkdir()
    assert import_main([str(tmp_path / "plain"), str(tmp_path / "out")]) == 2
    assert "plain: no fixtures/ folder; a Spanwright scenario holds" in capsys.readouterr().err
    assert import_main([str(tmp_path / "absent"), str(tmp_path / "out")]) == 2
    assert "absent: no such folder" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
