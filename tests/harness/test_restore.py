"""A restore writes only what changed, and still gives back exactly the baseline: every kind of
change a scenario makes is seen (any column, any type, children, commit timestamps), at 10 and
at 10,000 rows, and an unchanged database costs one query."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.cloud.spanner_v1.database import Database
from harness_testkit import write_fixture

from base.timing import Timings
from spanner import baseline as baseline_module
from spanner import restore
from spanner.baseline import Baseline
from spanner.databases import Databases
from spanner.emulator import Backend
from spanner.fingerprint import table_prints
from spanner.fixture_layout import FixtureLayout
from spanner.live_schema import Table
from spanner.query import Row, execute, query
from spanner.service import SpannerService
from spanner.settings import SpannerSettings

TENANT = (
    "- {TenantId: t1, Name: Acme, Seats: 5, Ratio: 0.25, Active: true, Balance: '12.50',"
    " Founded: 2024-02-29, CreatedAt: '2024-01-01T00:00:00.123456Z', Logo: AAEC,"
    ' Settings: {"theme": "dark"}, Tags: [a, b]}\n'
    "- {TenantId: t2, Name: Globex}\n"
)
MEMBERS = "- {TenantId: t1, MemberId: 1, Email: a@x}\n- {TenantId: t1, MemberId: 2, Email: b@x}\n"
AWARDS = "- {AwardId: 1, TenantId: t1, MemberId: 1}\n"
COUPONS = "- {Code: C1, TenantId: t2}\n"
TABLES = ("Tenants", "Members", "Coupons", "Awards")


def make_baseline(root: Path, emulator: Backend, database: Database, tables: dict[str, Table]):
    service = SpannerService(SpannerSettings(), Timings(), backend=emulator)
    baseline = Baseline(
        service, Databases({"main": database}, {"main": tables}), FixtureLayout(root, "prod")
    )
    baseline.seed_feature("feature")
    return baseline


@pytest.fixture(params=["row by row", "whole"])
def small(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    emulator: Backend,
    typed_db: Database,
    tables: dict[str, Table],
):
    """The baseline of a few rows, restored row by row as a large one is, or written whole."""
    if request.param == "row by row":
        monkeypatch.setattr(restore, "WHOLE_WRITE_ROWS", 0)
    return small_baseline(tmp_path, emulator, typed_db, tables)


def small_baseline(
    root: Path, emulator: Backend, database: Database, tables: dict[str, Table]
) -> Baseline:
    for table, text in zip(TABLES, (TENANT, MEMBERS, COUPONS, AWARDS), strict=True):
        write_fixture(root, "feature", table, text)
    return make_baseline(root, emulator, database, tables)


@pytest.fixture
def large(tmp_path: Path, emulator: Backend, typed_db: Database, tables: dict[str, Table]):
    """10,000 rows: 4,000 tenants, 4,000 members, 1,000 coupons, 1,000 awards."""
    templates = {
        "Tenants": "count: 4000\nrow: {TenantId: 't{n:05}', Name: 'Tenant {n}', Seats: 3,"
        " Balance: '1.5', Tags: [x, 'n{n}'], Logo: AAEC, CreatedAt: '2024-01-01T00:00:00Z'}\n",
        "Members": "count: 4000\nrow: {TenantId: 't{n:05}', MemberId: 1, Email: 'm{n}@x'}\n",
        "Coupons": "count: 1000\nrow: {Code: 'C{n}', TenantId: 't{n:05}'}\n",
        "Awards": "count: 1000\nrow: {AwardId: '{n}', TenantId: 't{n:05}', MemberId: 1}\n",
    }
    for table, text in templates.items():
        write_fixture(tmp_path, "feature", table, text)
    return make_baseline(tmp_path, emulator, typed_db, tables)


def contents(database: Database, tables: dict[str, Table]) -> dict[str, list[Row]]:
    found = {}
    for name in TABLES:
        order = ", ".join(tables[name].primary_key)
        sql = f"SELECT * FROM {name} ORDER BY {order}"  # noqa: S608 - names from the test
        found[name] = query(database, sql, attach=False)
    return found


# each one a change a scenario might make, in the database's own SQL
CHANGES = {
    "insert": ["INSERT INTO Tenants (TenantId, Name) VALUES ('t9', 'New')"],
    "insert a child": ["INSERT INTO Members (TenantId, MemberId, Email) VALUES ('t1', 9, 'n@x')"],
    "delete": ["DELETE FROM Coupons WHERE TRUE"],
    "delete a parent and its children": [
        "DELETE FROM Awards WHERE TRUE",
        "DELETE FROM Tenants WHERE TenantId = 't1'",
    ],
    "update a child": ["UPDATE Members SET Email = 'c@x' WHERE MemberId = 2"],
    "commit timestamp": [
        "UPDATE Tenants SET CreatedAt = PENDING_COMMIT_TIMESTAMP() WHERE TenantId = 't1'"
    ],
    "NULL to a value": ["UPDATE Tenants SET Seats = 1 WHERE TenantId = 't2'"],
    "a value to NULL": ["UPDATE Tenants SET Seats = NULL WHERE TenantId = 't1'"],
    "bytes": ["UPDATE Tenants SET Logo = b'\\x00\\x01\\x03' WHERE TenantId = 't1'"],
    "array element": ["UPDATE Tenants SET Tags = ['a', NULL] WHERE TenantId = 't1'"],
    "json": ["""UPDATE Tenants SET Settings = JSON '{"theme": "light"}' WHERE TRUE"""],
    "numeric": ["UPDATE Tenants SET Balance = NUMERIC '12.500000001' WHERE TenantId = 't1'"],
    "float": ["UPDATE Tenants SET Ratio = 0.25000000000000006 WHERE TenantId = 't1'"],
    "timestamp nanosecond": [
        "UPDATE Tenants SET SeenAt = TIMESTAMP '2024-01-01T00:00:00.000000001Z' WHERE TRUE"
    ],
    "bool": ["UPDATE Tenants SET Active = false WHERE TenantId = 't1'"],
    "date": ["UPDATE Tenants SET Founded = DATE '2024-03-01' WHERE TenantId = 't1'"],
    "foreign key moved to a new row": [
        "INSERT INTO Tenants (TenantId, Name) VALUES ('t8', 'Other')",
        "UPDATE Coupons SET TenantId = 't8' WHERE Code = 'C1'",
    ],
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_is_seen_and_undone(
    small: Baseline, typed_db: Database, tables: dict[str, Table], change: str
) -> None:
    baseline = contents(typed_db, tables)
    prints = table_prints(typed_db, tables.values())
    for sql in CHANGES[change]:
        execute(typed_db, sql)
    assert table_prints(typed_db, tables.values()) != prints, "the fingerprint missed it"

    small.restore()

    report = small.last_restore["main"]  # empty after a fallback to writing everything whole
    assert report.changed_tables, "the restore saw no change"
    assert contents(typed_db, tables) == baseline
    assert table_prints(typed_db, tables.values()) == prints


def test_an_unchanged_database_costs_one_query(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    emulator: Backend,
    typed_db: Database,
    tables: dict[str, Table],
) -> None:
    monkeypatch.setattr(restore, "WHOLE_WRITE_ROWS", 0)
    baseline = small_baseline(tmp_path, emulator, typed_db, tables)
    baseline.restore()
    report = baseline.last_restore["main"]
    assert (report.queries, report.changed_tables, report.written) == (1, [], 0)


def test_a_small_database_is_written_whole_without_a_query(small: Baseline) -> None:
    small.restore()
    report = small.last_restore["main"]
    if restore.WHOLE_WRITE_ROWS:
        assert (report.queries, report.written) == (0, 6)
    else:
        assert (report.queries, report.written) == (1, 0)


def test_an_extra_set_comes_and_goes(
    small: Baseline, typed_db: Database, tables: dict[str, Table], tmp_path: Path
) -> None:
    baseline = contents(typed_db, tables)
    write_fixture(tmp_path, "extra", "Coupons", "- {Code: PROMO, TenantId: t1}\n")
    write_fixture(tmp_path, "extra", "Members", "- {TenantId: t2, MemberId: 1, Email: g@x}\n")
    small.restore(["extra"])
    assert len(contents(typed_db, tables)["Coupons"]) == 2
    execute(typed_db, "DELETE FROM Coupons WHERE Code = 'PROMO'")
    small.restore(["extra"])
    assert [row["Code"] for row in contents(typed_db, tables)["Coupons"]] == ["C1", "PROMO"]
    small.restore()
    assert small.last_restore["main"].changed_tables
    assert contents(typed_db, tables) == baseline


def test_rows_written_at_writing_take_each_restores_moment(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    emulator: Backend,
    typed_db: Database,
    tables: dict[str, Table],
) -> None:
    monkeypatch.setattr(restore, "WHOLE_WRITE_ROWS", 0)
    write_fixture(tmp_path, "feature", "Tenants", "- {TenantId: t1, Name: A, SeenAt: RAW=NOW()}\n")
    baseline = make_baseline(tmp_path, emulator, typed_db, tables)
    sql = "SELECT SeenAt FROM Tenants"
    first = query(typed_db, sql, attach=False)[0]["SeenAt"]
    baseline.restore()
    second = query(typed_db, sql, attach=False)[0]["SeenAt"]
    assert second > first
    assert baseline.last_restore["main"].changed_tables == ["Tenants"]


def test_ten_thousand_rows_come_back_exactly(
    large: Baseline, typed_db: Database, tables: dict[str, Table]
) -> None:
    baseline = contents(typed_db, tables)
    assert sum(len(rows) for rows in baseline.values()) == 10_000
    large.restore()
    assert large.last_restore["main"].queries == 1
    for sql in (
        "INSERT INTO Tenants (TenantId, Name) VALUES ('new', 'New')",
        "UPDATE Tenants SET Name = 'Renamed' WHERE TenantId = 't02000'",
        "UPDATE Members SET Email = 'z@x' WHERE TenantId = 't03000'",
        "DELETE FROM Awards WHERE AwardId = 7",
        "DELETE FROM Coupons WHERE Code = 'C7'",
        "UPDATE Tenants SET CreatedAt = PENDING_COMMIT_TIMESTAMP() WHERE TenantId = 't00001'",
    ):
        execute(typed_db, sql)

    large.restore()

    report = large.last_restore["main"]
    assert sorted(report.changed_tables) == ["Awards", "Coupons", "Members", "Tenants"]
    assert (report.deleted, report.written) == (1, 5)
    assert contents(typed_db, tables) == baseline


def test_seeding_the_feature_already_written_restores_it_from_what_was_read(
    small: Baseline, typed_db: Database, tables: dict[str, Table], monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = contents(typed_db, tables)
    for sql in CHANGES["delete a parent and its children"] + CHANGES["insert"]:
        execute(typed_db, sql)
    read_again = []
    monkeypatch.setattr(small, "load", lambda *args: read_again.append(args))

    small.seed_feature("feature")  # its next part, or a mutation run's next mutant

    assert read_again == [], "the fixture files were read again"
    assert small.last_restore["main"].changed_tables, "written whole, not restored"
    assert contents(typed_db, tables) == baseline


@pytest.mark.parametrize("emulator_alive", [True, False])
def test_a_failed_restore_is_written_whole_unless_the_emulator_is_gone(
    small: Baseline, monkeypatch: pytest.MonkeyPatch, emulator_alive: bool
) -> None:
    def fails(*_args, **_kwargs):
        raise RuntimeError("the restore was interrupted")

    written: list[str] = []
    monkeypatch.setattr(baseline_module, "restore_database", fails)
    monkeypatch.setattr(small.service.backend, "alive", lambda: emulator_alive)
    monkeypatch.setattr(small, "_write", lambda _seed, action: written.append(action))
    if emulator_alive:
        small.restore()
        assert written == ["reset databases"]
    else:  # writing to an emulator that is gone would wait on it (test_faults.py)
        with pytest.raises(RuntimeError, match="interrupted"):
            small.restore()
        assert written == []
