"""Row templates in fixture files: `count` rows made from one `row` with `{n}` in its values."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness_testkit import write_fixture

from spanner.fixture_generator import GeneratorError, expand
from spanner.fixtures import FixtureError, load_seed
from spanner.live_schema import Table


def test_n_fills_every_string_with_its_format() -> None:
    rows = expand({"count": 3, "row": {"Id": "u-{n:02}", "Email": "u{n}@x.test", "Seats": 5}})
    assert rows == [
        {"Id": "u-01", "Email": "u1@x.test", "Seats": 5},
        {"Id": "u-02", "Email": "u2@x.test", "Seats": 5},
        {"Id": "u-03", "Email": "u3@x.test", "Seats": 5},
    ]


def test_start_and_lists() -> None:
    rows = expand({"count": 2, "start": 10, "row": {"Tags": ["t{n}", "all"]}})
    assert rows == [{"Tags": ["t10", "all"]}, {"Tags": ["t11", "all"]}]


def test_zero_rows() -> None:
    assert expand({"count": 0, "row": {"Id": "x"}}) == []


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ({"row": {"Id": "x"}}, "count: expected a whole number 0-10000, got None"),
        ({"count": "50", "row": {"Id": "x"}}, "count: expected a whole number"),
        ({"count": 10_001, "row": {"Id": "x"}}, "count: expected a whole number 0-10000"),
        ({"count": True, "row": {"Id": "x"}}, "count: expected a whole number"),
        ({"count": 2, "start": 1.5, "row": {"Id": "x"}}, "start: expected a whole number"),
        ({"count": 2}, "row: expected a mapping of column: value, got None"),
        ({"count": 2, "row": ["x"]}, "row: expected a mapping"),
        ({"count": 2, "rows": {"Id": "x"}}, "unknown key(s) rows in a row template"),
        ({"count": 2, "row": {"Id": "{n:q}"}}, "{n:q}: Unknown format code"),
    ],
)
def test_a_malformed_template_says_what_is_wrong(template: dict, message: str) -> None:
    with pytest.raises(GeneratorError) as error:
        expand(template)
    assert message in str(error.value)


def test_a_template_file_seeds_typed_rows(tmp_path: Path, tables: dict[str, Table]) -> None:
    write_fixture(tmp_path, "many", "Tenants", "- {TenantId: t1, Name: Acme}\n")
    write_fixture(
        tmp_path,
        "many",
        "Members",
        "# fifty\ncount: 50\nrow: {TenantId: t1, MemberId: '1{n:02}', Email: 'm{n}@x.test'}\n",
    )
    seed = load_seed([tmp_path / "many"], {"main": tables})
    members = seed.tables("main")["Members"]
    assert len(members) == 50
    assert members[0].values == {"TenantId": "t1", "MemberId": 101, "Email": "m1@x.test"}
    assert members[49].values["MemberId"] == 150
    assert members[49].where().endswith("Members.yaml, row 50, line 3")


def test_template_rows_are_checked_like_written_ones(
    tmp_path: Path, tables: dict[str, Table]
) -> None:
    write_fixture(tmp_path, "bad", "Tenants", "- {TenantId: t1, Name: Acme}\n")
    path = write_fixture(
        tmp_path, "bad", "Members", "count: 2\nrow: {TenantId: t1, MemberId: 7, Email: e}\n"
    )
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": tables})
    assert f"{path}, row 2, line 2: duplicate key (TenantId='t1', MemberId=7)" in str(error.value)


def test_a_bad_template_names_the_file(tmp_path: Path, tables: dict[str, Table]) -> None:
    path = write_fixture(tmp_path, "bad", "Tenants", "count: lots\nrow: {TenantId: 't{n}'}\n")
    with pytest.raises(FixtureError) as error:
        load_seed([tmp_path / "bad"], {"main": tables})
    assert f"{path}: count: expected a whole number 0-10000, got 'lots'" in str(error.value)
