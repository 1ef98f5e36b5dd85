"""Database checks: how values are compared and how a mismatch reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from spanner.assertions import assert_absent, assert_rows, value_matches
from spanner.clock import spanner_today
from spanner.conditions import NotationError

ACTUAL = [
    {"Name": "Acme", "Plan": "pro", "Seats": 5},
    {"Name": "Globex", "Plan": "basic", "Seats": 1},
    {"Name": "Initech", "Plan": "pro", "Seats": 9},
]


def test_mismatch_shows_expected_and_actual_side_by_side() -> None:
    expected = [
        {"Name": "Acme", "Plan": "pro"},
        {"Name": "Globex", "Plan": "enterprise"},
        {"Name": "Initech", "Plan": "pro"},
    ]
    with pytest.raises(AssertionError) as error:
        assert_rows(lambda: ACTUAL, expected, "table Tenants", exact=True, timeout=0)
    lines = str(error.value).splitlines()
    assert lines[0] == "table Tenants: 1 expected row(s) not found (✗), 1 row(s) not expected (+)"
    header, *body = lines[1:]
    assert header.startswith("expected") and "actual" in header
    missing_line = next(line for line in body if "enterprise" in line)
    assert missing_line.startswith("✗ | Globex")
    assert "+ | Globex  | basic" in missing_line  # the extra row, on the right of the same line
    assert missing_line.index("✗") < missing_line.index("+")
    acme_line = next(line for line in body if line.startswith("  | Acme"))
    assert acme_line.count("Acme") == 2  # matched rows appear on both sides, unmarked
    assert "Seats" not in str(error.value)  # only the columns the expectation names


def test_extra_rows_pass_when_not_exact() -> None:
    rows = assert_rows(lambda: ACTUAL, [{"Name": "Acme"}], "t", exact=False, timeout=0)
    assert rows == ACTUAL


def test_extra_row_fails_when_exact() -> None:
    with pytest.raises(AssertionError, match=r"1 row\(s\) not expected \(\+\)"):
        assert_rows(lambda: ACTUAL, [{"Name": "Acme"}, {"Name": "Globex"}], "t", True, 0)


def test_check_waits_for_the_rows_to_appear() -> None:
    calls: list[int] = []

    def fetch() -> list[dict[str, Any]]:
        calls.append(1)
        return ACTUAL if len(calls) >= 3 else []

    assert_rows(fetch, [{"Name": "Acme"}], "t", exact=False, timeout=5)
    assert len(calls) == 3


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        ("499", Decimal("499.00"), True),
        ("499.01", Decimal("499.00"), False),
        ("1,250", 1250, True),
        ("null", None, True),
        ("NULL", None, True),
        ("null", "x", False),
        (None, None, True),
        ("<any>", None, True),
        ("<any>", 3, True),
        ("<not null>", 0, True),
        ("<not null>", None, False),
        ("today", spanner_today(), True),
        ("today+30d", spanner_today() + timedelta(days=30), True),
        ("today", spanner_today() - timedelta(days=1), False),
        ("2026-01-31", date(2026, 1, 31), True),
        ("2026-01-31T09:00:00Z", datetime(2026, 1, 31, 9, tzinfo=UTC), True),
        ("true", True, True),
        ("FALSE", False, True),
        ("false", True, False),
        (True, True, True),
        (True, 1, False),
        ("abc", 3, False),
        (5, "5", True),
    ],
)
def test_value_matches(expected: Any, actual: Any, matches: bool) -> None:
    assert value_matches(expected, actual) is matches


def test_non_boolean_word_does_not_match_a_bool() -> None:
    assert value_matches("yes", True) is False


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        ("> 4", 5, True),
        ("> 5", 5, False),
        ("not null", 0, True),
        ("like 'Glo%'", "Globex", True),
        ("<b>", "<b>", True),  # no number or date after <: plain text
        ("[1, 2]", [1, 2], True),
        ("0x6869", b"hi", True),
    ],
)
def test_value_matches_reads_the_notation(expected: Any, actual: Any, matches: bool) -> None:
    assert value_matches(expected, actual) is matches


def test_rows_that_should_not_be_there_are_marked_on_both_sides() -> None:
    with pytest.raises(AssertionError) as error:
        assert_absent(lambda: ACTUAL, [{"Plan": "pro", "Seats": "> 8"}], "table T", timeout=0)
    lines = str(error.value).splitlines()
    assert lines[0] == "table T: 1 row(s) that should not be there (✗) found (!)"
    assert lines[1].startswith("not expected") and "actual" in lines[1]
    assert any(line.startswith("✗ | pro  | > 8") for line in lines)
    [found] = [line for line in lines if "! |" in line]
    assert found.strip() == "! | pro   | 9     |"  # Initech's row, only the named columns


def test_absent_rows_pass_and_a_bad_cell_names_its_row() -> None:
    assert_absent(lambda: ACTUAL, [{"Name": "Hooli"}, {"Seats": "> 9"}], "t", timeout=0)
    with pytest.raises(NotationError, match=r'row 2, column Seats, cell "> 2026-01-01"'):
        assert_absent(lambda: ACTUAL, [{"Name": "Hooli"}, {"Seats": "> 2026-01-01"}], "t", 0)
