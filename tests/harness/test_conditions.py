"""The notation of database checks (spanner/conditions.py): in Python and as SQL on the emulator."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from google.cloud.spanner_v1.data_types import JsonObject
from google.cloud.spanner_v1.database import Database

from spanner.assertions import assert_rows, count_rows, select_rows
from spanner.clock import spanner_today
from spanner.conditions import NotationError, parse_condition, where_clause
from spanner.live_schema import Table
from spanner.writes import add_rows

NOW = datetime.now(UTC)


def ago(**since: float) -> Callable[[], datetime]:
    """A moment before now, taken when the test runs (not when the module is collected)."""
    return lambda: datetime.now(UTC) - timedelta(**since)


@pytest.mark.parametrize(
    ("cell", "actual", "matches"),
    [
        ("> 5", 6, True),
        ("> 5", 5, False),
        (">= 5", Decimal("5.00"), True),
        ("< 1,000", 999, True),
        ("<= 2026-01-01", date(2026, 1, 1), True),
        ("<= 2026-01-01", date(2026, 1, 2), False),
        ("> 2026-01-01T00:00:00Z", datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC), True),
        ("< now", ago(seconds=1), True),
        ("> today-1d", spanner_today(), True),
        ("null", None, True),
        ("not null", None, False),
        ("not null", 0, True),
        ("<any>", None, True),
        ("like 'ACME%'", "ACME Ltd", True),
        ("like 'ACME%'", "acme Ltd", False),
        ("like 'A_ME'", "ACME", True),
        ("like 'O''Brien%'", "O'Brien & Co", True),
        ("like '100\\%'", "100%", True),
        ("like '100\\%'", "1000", False),
        ("within 5 minutes of now", ago(minutes=4), True),
        ("within 5 minutes of now", ago(minutes=6), False),
        (
            "within 5 seconds of 2026-01-01T00:00:00Z",
            datetime(2026, 1, 1, 0, 0, 4, tzinfo=UTC),
            True,
        ),
        (
            "within 5 seconds of 2026-01-01T00:00:00Z",
            datetime(2026, 1, 1, 0, 0, 6, tzinfo=UTC),
            False,
        ),
        ("within 2 days of 2026-01-10", date(2026, 1, 12), True),
        ("within 2 days of 2026-01-10", date(2026, 1, 13), False),
        ("= > 5", "> 5", True),
        ("<b>bold</b>", "<b>bold</b>", True),  # text after < that is no number or date: text
        ("like new", "like new", True),
        ("[a, b]", ["a", "b"], True),
        ("[a, b]", ["b", "a"], False),
        ('["a, b", c]', ["a, b", "c"], True),
        ("[1, 2]", [1, 2], True),
        ("[]", [], True),
        ("[x, null]", ["x", None], True),
        ('{"plan": "pro", "seats": 5}', JsonObject({"seats": 5, "plan": "pro"}), True),
        ('{"plan": "pro"}', JsonObject({"plan": "basic"}), False),
        ("[1, 2]", JsonObject([1, 2]), True),
        ("0x6869", b"hi", True),
        ("aGk=", b"hi", True),
        ("0x6869", b"ho", False),
        ("499", Decimal("499.00"), True),
        ("2026-01-31", date(2026, 1, 31), True),
        ("true", True, True),
    ],
)
def test_a_cell_in_the_notation_matches_what_it_says(cell: str, actual: Any, matches: bool):
    if callable(actual) and not isinstance(actual, type):
        actual = actual()
    assert parse_condition(cell).matches(actual) is matches


@pytest.mark.parametrize(
    ("cell", "actual", "complaint"),
    [
        ("like ACME%", "ACME", "write the pattern in single quotes: like 'ACME%'"),
        ("within 5 parsecs of now", NOW, "write within N seconds|minutes|hours|days|weeks"),
        (">", 5, "'>': > needs a value after it"),
        ("> 5", True, "> 5 cannot be compared with true (true/false)"),
        ("within 5 minutes of now", 5, "within compares dates and timestamps"),
        ("> 2026-01-01", 5, "> 2026-01-01 cannot be compared with 5 (a number)"),
        ("a, b", ["a", "b"], "write a list in brackets: [a, b]"),
        ("{plan: pro}", JsonObject({"plan": "pro"}), "is not JSON"),
    ],
)
def test_a_cell_the_notation_cannot_read_says_how_to_write_it(
    cell: str, actual: Any, complaint: str
):
    with pytest.raises(NotationError) as error:
        parse_condition(cell).matches(actual)
    assert complaint in str(error.value)


def test_a_table_check_names_the_row_and_column_of_a_cell_it_cannot_read() -> None:
    rows = [{"Name": "Acme", "Seats": 5}, {"Name": "Globex", "Seats": 1}]
    expected = [{"Name": "Acme", "Seats": "5"}, {"Name": "Acme", "Seats": "> 2026-01-01"}]
    with pytest.raises(NotationError) as error:
        assert_rows(lambda: rows, expected, "t", exact=False, timeout=0)
    assert str(error.value).startswith('expected row 2, column Seats, cell "> 2026-01-01": ')


def _seed(database: Database, table: Table) -> None:
    add_rows(
        database,
        table,
        [
            {
                "TenantId": "t1",
                "Name": "ACME Ltd",
                "Seats": "9",
                "Balance": "100.50",
                "Founded": "2025-12-31",
                "SeenAt": "now-1m",
                "Logo": "0x6869",
                "Active": "true",
                "Settings": '{"plan": "pro", "seats": 9}',
                "Tags": ["red", "blue"],
            },
            {
                "TenantId": "t2",
                "Name": "Globex",
                "Seats": "2",
                "Balance": "7",
                "Founded": "2026-02-01",
                "SeenAt": "now-1h",
                "Logo": "aGk=",
                "Active": "false",
            },
            {"TenantId": "t3", "Name": "Acme Inc"},
        ],
    )


@pytest.mark.parametrize(
    ("conditions", "tenants"),
    [
        ({"Seats": "> 5"}, {"t1"}),
        ({"Seats": "<= 9", "Name": "like 'ACME%'"}, {"t1"}),
        ({"Seats": "null"}, {"t3"}),
        ({"Seats": "not null"}, {"t1", "t2"}),
        ({"Balance": ">= 100.5"}, {"t1"}),
        ({"Balance": "7"}, {"t2"}),
        ({"Founded": "<= 2026-01-01"}, {"t1"}),
        ({"Founded": "within 1 days of 2026-02-02"}, {"t2"}),
        ({"SeenAt": "within 5 minutes of now"}, {"t1"}),
        ({"SeenAt": "< now-30m"}, {"t2"}),
        ({"Logo": "0x6869"}, {"t1", "t2"}),
        ({"Active": "false"}, {"t2"}),
        ({"Name": "= Globex"}, {"t2"}),
        ({"Settings": "not null"}, {"t1"}),
        ({"Tags": "null"}, {"t2", "t3"}),
        ({"Seats": 2}, {"t2"}),  # a typed value, e.g. remembered earlier
    ],
)
def test_conditions_become_sql_that_finds_the_rows_they_describe(
    typed_db: Database, tables: dict[str, Table], conditions: dict[str, Any], tenants: set[str]
):
    _seed(typed_db, tables["Tenants"])
    rows = select_rows(typed_db, tables["Tenants"], ["TenantId"], conditions)
    assert {row["TenantId"] for row in rows} == tenants
    assert count_rows(typed_db, tables["Tenants"], conditions) == len(tenants)


def test_every_value_of_a_condition_is_a_query_parameter(tables: dict[str, Table]) -> None:
    clause, params = where_clause(
        tables["Tenants"],
        {"Name": "like 'ACME%'", "Seats": "> 5", "SeenAt": "within 5 minutes of now"},
    )
    assert clause == (
        " WHERE `Name` LIKE @p0 AND `Seats` > @p1 AND `SeenAt` BETWEEN @p2_from AND @p2_to"
    )
    assert params["p0"] == "ACME%" and params["p1"] == 5
    assert params["p2_to"] - params["p2_from"] == timedelta(minutes=10)
    assert "ACME" not in clause and "5" not in clause


@pytest.mark.parametrize(
    ("conditions", "complaint"),
    [
        ({"Tags": "[a]"}, 'Tags is "[a]": Tags is ARRAY<STRING(MAX)>: a where condition can only'),
        ({"Seats": "like '1%'"}, "Seats is \"like '1%'\": like compares text, and Seats is INT64"),
        ({"Seats": "> 2026-01-01"}, 'Seats is "> 2026-01-01": expected a whole number'),
        ({"Name": "within 5 minutes of now"}, "within compares dates and timestamps"),
        ({"Seat": "1"}, "table Tenants has no column Seat"),
    ],
)
def test_a_condition_the_column_cannot_take_names_the_column(
    tables: dict[str, Table], conditions: dict[str, Any], complaint: str
):
    with pytest.raises(ValueError) as error:
        where_clause(tables["Tenants"], conditions)
    assert complaint in str(error.value)


def test_check_tables_read_every_spanner_type(typed_db: Database, tables: dict[str, Table]):
    _seed(typed_db, tables["Tenants"])
    columns = ["TenantId", "Balance", "Founded", "SeenAt", "Logo", "Settings", "Tags", "Active"]
    expected = [
        {
            "TenantId": "t1",
            "Balance": "100.5",
            "Founded": "2025-12-31",
            "SeenAt": "within 5 minutes of now",
            "Logo": base64.b64encode(b"hi").decode(),
            "Settings": '{"seats": 9, "plan": "pro"}',
            "Tags": "[red, blue]",
            "Active": "true",
        },
        {
            "TenantId": "t2",
            "Balance": "> 6.99",
            "Founded": "> today-3650d",
            "SeenAt": "< now-59m",
            "Logo": "0x6869",
            "Settings": "null",
            "Tags": "null",
            "Active": "false",
        },
        {"TenantId": "like 't_'", "Balance": "null", "Tags": "null"},
    ]
    assert_rows(
        lambda: select_rows(typed_db, tables["Tenants"], columns),
        expected,
        "Tenants",
        exact=True,
        timeout=0,
    )
