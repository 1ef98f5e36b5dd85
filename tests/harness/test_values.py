"""Typing single values (spanner/values.py) and reading fixture YAML (spanner/yaml_source.py).

No database here: test_fixtures.py checks the same rules through fixture files and the emulator.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import yaml
from google.api_core.datetime_helpers import DatetimeWithNanoseconds
from google.cloud import spanner as spanner_client

from spanner.clock import start_of_day
from spanner.values import FLOAT32_MAX, ValueTypeError, convert
from spanner.yaml_source import TimestampText, load


def refusal(value: Any, spanner_type: str, allows_commit_timestamp: bool = False) -> str:
    with pytest.raises(ValueTypeError) as error:
        convert(value, spanner_type, allows_commit_timestamp)
    return str(error.value)


def yaml_value(text: str) -> Any:
    """One unquoted YAML value, read as fixture files are read."""
    return load(f"v: {text}\n")["v"]


# --- the loader ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["42", "-7", "0x1F", "1_000", "49.99", "-1.5e+3", ".nan", ".inf", "2026-01-31",
     "2026-01-31T09:00:00Z", "2026-01-31 09:00:00", "true", "null", "[1, 2.5]", "{a: 1}"],
)  # fmt: skip
def test_loader_reads_what_safe_load_reads(text: str) -> None:
    ours, theirs = yaml_value(text), yaml.safe_load(f"v: {text}\n")["v"]
    if isinstance(theirs, float) and math.isnan(theirs):
        assert math.isnan(ours)
    else:
        assert ours == theirs


@pytest.mark.parametrize(
    ("text", "source"),
    [("12345678901234567.89", "12345678901234567.89"), ("010", "010"), ("1.10", "1.10"),
     ("2026-01-31", "2026-01-31"), ("2026-01-31T09:00:00Z", "2026-01-31T09:00:00Z")],
)  # fmt: skip
def test_loader_keeps_the_text_numbers_and_timestamps_were_written_as(
    text: str, source: str
) -> None:
    assert yaml_value(text).source == source


@pytest.mark.parametrize(
    ("text", "problem"),
    [("2026-02-30", "day is out of range for month"),
     ("2026-13-01T00:00:00Z", "month must be in 1..12"),
     ("2026-01-01T25:00:00Z", "hour must be in 0..23")],
)  # fmt: skip
def test_loader_keeps_impossible_timestamps_as_text_with_the_reason(
    text: str, problem: str
) -> None:
    with pytest.raises(ValueError):
        yaml.safe_load(f"v: {text}\n")  # what PyYAML alone does: no file, no row
    value = yaml_value(text)
    assert isinstance(value, TimestampText) and value == text and value.problem == problem


def test_loader_keeps_nanoseconds_as_text() -> None:
    value = yaml_value("2026-01-31T09:00:00.123456789Z")
    assert isinstance(value, TimestampText) and value.problem is None


# --- plain Python values and text (Gherkin tables) still work --------------------------------

PLAIN = [
    ("hello", "STRING(MAX)", "hello"),
    (42, "STRING(10)", "42"),
    ("42", "INT64", 42),
    (42, "INT64", 42),
    (Decimal("42"), "INT64", 42),
    ("0.75", "FLOAT64", 0.75),
    (0.75, "FLOAT64", 0.75),
    (3, "FLOAT32", 3.0),
    ("true", "BOOL", True),
    (False, "BOOL", False),
    ("499.00", "NUMERIC", Decimal("499.00")),
    (Decimal("49.99"), "NUMERIC", Decimal("49.99")),
    (49.99, "NUMERIC", Decimal("49.99")),
    (7, "NUMERIC", Decimal(7)),
    ("1e3", "NUMERIC", Decimal(1000)),
    ("2026-01-31", "DATE", date(2026, 1, 31)),
    (date(2026, 1, 31), "DATE", date(2026, 1, 31)),
    ("2026-01-31T09:00:00Z", "TIMESTAMP", datetime(2026, 1, 31, 9, tzinfo=UTC)),
    (datetime(2026, 1, 31, 9), "TIMESTAMP", datetime(2026, 1, 31, 9, tzinfo=UTC)),
    (date(2026, 1, 31), "TIMESTAMP", start_of_day(date(2026, 1, 31))),
    ('{"plan": "pro"}', "JSON", {"plan": "pro"}),
    ({"plan": "pro"}, "JSON", {"plan": "pro"}),
    (["a", "b"], "ARRAY<STRING(MAX)>", ["a", "b"]),
    (["1", 2], "ARRAY<INT64>", [1, 2]),
    ("aGVsbG8=", "BYTES(MAX)", b"aGVsbG8="),
    (b"hello", "BYTES(5)", b"aGVsbG8="),
    ("0x68656c6c6f", "BYTES(5)", b"aGVsbG8="),  # hex, as testfixtures and check tables write it
    ("0X6869", "BYTES(MAX)", b"aGk="),
]


@pytest.mark.parametrize(("value", "spanner_type", "expected"), PLAIN)
def test_plain_values_and_text_are_typed(value: Any, spanner_type: str, expected: Any) -> None:
    typed = convert(value, spanner_type)
    assert typed == expected
    assert type(typed) is type(expected) or spanner_type == "JSON"


def test_hex_bytes_that_are_not_hex_name_the_reason() -> None:
    message = refusal("0x6g", "BYTES(MAX)")
    assert message.startswith("expected hex bytes after 0x, got '0x6g': non-hexadecimal number")


def test_yaml_values_come_out_as_plain_python_values() -> None:
    rows = load("- [42, 3.0, 49.99, 2026-01-31, 2026-01-31T09:00:00Z]\n")[0]
    assert type(convert(rows[0], "INT64")) is int
    assert type(convert(rows[1], "INT64")) is int
    assert type(convert(rows[1], "FLOAT64")) is float
    assert type(convert(rows[2], "NUMERIC")) is Decimal
    assert type(convert(rows[3], "DATE")) is date
    assert type(convert(rows[4], "TIMESTAMP")) is datetime


def test_relative_times_still_work() -> None:
    assert convert("COMMIT_TIMESTAMP", "TIMESTAMP", True) is spanner_client.COMMIT_TIMESTAMP
    now = convert("now-1h", "TIMESTAMP")
    assert abs(now - (datetime.now(UTC) - timedelta(hours=1))) < timedelta(seconds=5)


# --- dates and timestamps ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "spanner_type", "reason"),
    [("2026-02-30", "DATE", "day is out of range for month"),
     ("2026-13-01T00:00:00Z", "TIMESTAMP", "month must be in 1..12"),
     ("2026-02-30", "TIMESTAMP", "day is out of range for month")],
)  # fmt: skip
def test_impossible_dates_name_the_reason_whether_quoted_or_not(
    value: str, spanner_type: str, reason: str
) -> None:
    kind = "a date" if spanner_type == "DATE" else "a timestamp"
    for written in (yaml_value(value), value):
        assert f"expected {kind}, got '{value}': {reason}; accepted: " in refusal(
            written, spanner_type
        )


def test_timestamps_keep_nanoseconds() -> None:
    for value in (yaml_value("2026-01-31T09:00:00.123456789Z"), "2026-01-31T09:00:00.123456789Z"):
        typed = convert(value, "TIMESTAMP")
        assert isinstance(typed, DatetimeWithNanoseconds)
        assert typed.nanosecond == 123456789 and typed.tzinfo is not None
    assert "10 digits after the second; TIMESTAMP holds at most 9" in refusal(
        "2026-01-31T09:00:00.1234567891Z", "TIMESTAMP"
    )


def test_timestamps_keep_their_zone_and_stay_in_range() -> None:
    typed = convert(yaml_value("2026-01-31T09:00:00+01:00"), "TIMESTAMP")
    assert typed == datetime(2026, 1, 31, 8, tzinfo=UTC)
    assert typed.utcoffset() == timezone(timedelta(hours=1)).utcoffset(None)
    assert "before 0001-01-01 or after 9999-12-31" in refusal(
        "0001-01-01T00:00:00+01:00", "TIMESTAMP"
    )


def test_a_timestamp_is_no_date() -> None:
    for value in (yaml_value("2026-01-31T09:00:00Z"), "now"):
        assert "expected a date" in refusal(value, "DATE")


# --- numbers ----------------------------------------------------------------------------------


def test_unquoted_numbers_numeric_cannot_hold_exactly_ask_for_quotes() -> None:
    message = refusal(yaml_value("12345678901234567.89"), "NUMERIC")
    assert (
        "expected a decimal number, got 12345678901234567.89: YAML reads it unquoted as the float "
        '1.2345678901234568e+16: write it in quotes, e.g. "12345678901234567.89", so it is not '
        "rounded; accepted: a decimal number with at most 29 digits"
    ) in message
    assert convert("12345678901234567.89", "NUMERIC") == Decimal("12345678901234567.89")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("49.99", "49.99"), ("10", "10"), ("0.1", "0.1"), ("1.10", "1.10"), ("-0.5", "-0.5"),
     ("1.0e+3", "1000"), ("9999999999999.99", "9999999999999.99")],
)  # fmt: skip
def test_unquoted_numbers_a_float_holds_exactly_are_fine_in_numeric(
    text: str, expected: str
) -> None:
    assert convert(yaml_value(text), "NUMERIC") == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "reason"),
    [("0.1234567891", "10 digits after the point"),
     (Decimal("0.1234567891"), "10 digits after the point"),
     ("1" * 30, "30 digits before the point"),
     ("1e29", "30 digits before the point")],
)  # fmt: skip
def test_numeric_refuses_what_precision_38_scale_9_cannot_hold(value: Any, reason: str) -> None:
    message = refusal(value, "NUMERIC")
    assert f"{reason}; NUMERIC holds at most 29 digits before the point and 9 after" in message


def test_numeric_limits_themselves_are_fine() -> None:
    assert convert("-0.000000001", "NUMERIC") == Decimal("-0.000000001")
    assert convert("9" * 29 + ".999999999", "NUMERIC") == Decimal("9" * 29 + ".999999999")
    # trailing zeros are no digits: 1.5000000000 is 1.5, and Spanner gets at most 9 decimals
    assert convert("1.5000000000", "NUMERIC").as_tuple().exponent == -9
    assert str(convert("1E+3", "NUMERIC")) == "1000"


@pytest.mark.parametrize("text", [".nan", ".inf", "-.inf"])
def test_numeric_refuses_non_finite_numbers(text: str) -> None:
    for value in (yaml_value(text), text.replace(".nan", "NaN").replace(".inf", "Infinity")):
        assert "NUMERIC has no NaN or infinity" in refusal(value, "NUMERIC")


@pytest.mark.parametrize(
    ("text", "expected"), [("3.0", 3), ("-2.0", -2), ("1.0e+3", 1000), ("42", 42)]
)
def test_int64_takes_whole_yaml_floats(text: str, expected: int) -> None:
    typed = convert(yaml_value(text), "INT64")
    assert typed == expected and type(typed) is int


@pytest.mark.parametrize(
    ("value", "reason"),
    [(yaml_value("3.5"), "it has a fractional part"),
     (yaml_value(".nan"), "not a finite number"),
     (yaml_value("9007199254740993.0"),
      "YAML reads it unquoted as the float 9007199254740992.0: write it without the decimal "
      "point, e.g. 9007199254740993"),
     (yaml_value("9223372036854775808"),
      "outside the INT64 range -9223372036854775808 to 9223372036854775807"),
     ("-9223372036854775809", "outside the INT64 range"),
     (yaml_value("010"), "YAML reads an unquoted leading 0 as octal, 8 here"),
     (yaml_value("1:30"), "YAML reads it unquoted as the base-60 number 90"),
     ("1e3", None),
     (True, None)],
)  # fmt: skip
def test_int64_refusals(value: Any, reason: str | None) -> None:
    message = refusal(value, "INT64")
    assert message.startswith("expected a whole number, got ")
    assert reason is None or f": {reason}" in message
    assert "; accepted: a whole number from -9223372036854775808 to 9223372036854775807" in message


def test_int64_range_ends_are_fine() -> None:
    assert convert(yaml_value("9223372036854775807"), "INT64") == 2**63 - 1
    assert convert("-9223372036854775808", "INT64") == -(2**63)


@pytest.mark.parametrize("spanner_type", ["FLOAT64", "FLOAT32"])
@pytest.mark.parametrize(
    ("value", "check"),
    [(".nan", math.isnan), ("NaN", math.isnan), ("nan", math.isnan),
     (".inf", lambda x: x == math.inf), ("Infinity", lambda x: x == math.inf),
     ("-.inf", lambda x: x == -math.inf), ("-Infinity", lambda x: x == -math.inf)],
)  # fmt: skip
def test_floats_take_nan_and_infinity_deliberately(
    spanner_type: str, value: str, check: Any
) -> None:
    """Spanner keeps NaN and ±Infinity in FLOAT64 and FLOAT32 (test_fixtures.py round-trips
    them), so the fixtures take them: unquoted in YAML's spelling, or quoted."""
    assert check(convert(yaml_value(value), spanner_type))
    assert check(convert(value, spanner_type))


@pytest.mark.parametrize(
    ("value", "spanner_type", "reason"),
    [(yaml_value("1.0e+400"), "FLOAT64", "beyond the FLOAT64 range"),
     ("1e400", "FLOAT64", "beyond the FLOAT64 range"),
     (10**400, "FLOAT64", "beyond the FLOAT64 range"),
     (yaml_value("3.5e+38"), "FLOAT32", "beyond the FLOAT32 range"),
     ("-1e39", "FLOAT32", "beyond the FLOAT32 range"),
     (3.4028235e38, "FLOAT32", "beyond the FLOAT32 range")],
)  # fmt: skip
def test_floats_refuse_what_their_type_cannot_hold(
    value: Any, spanner_type: str, reason: str
) -> None:
    assert f": {reason}" in refusal(value, spanner_type)


def test_float32_limit_itself_is_fine() -> None:
    assert convert(FLOAT32_MAX, "FLOAT32") == FLOAT32_MAX
    assert convert(-FLOAT32_MAX, "FLOAT32") == -FLOAT32_MAX


# --- text, JSON -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.10", "1.10"), ("010", "010"), ("2026-01-31", "2026-01-31"), ("2026-02-30", "2026-02-30"),
     ("1_000", "1_000"), ("12345678901234567.89", "12345678901234567.89")],
)  # fmt: skip
def test_unquoted_numbers_and_dates_in_string_columns_are_the_text_as_written(
    text: str, expected: str
) -> None:
    assert convert(yaml_value(text), "STRING(MAX)") == expected


def test_json_takes_yaml_dates_as_their_text_and_refuses_what_json_has_not() -> None:
    doc = load("v: {since: 2026-01-31, n: 010x, ratio: 0.5, 200: ok}\n")["v"]
    assert convert(doc, "JSON") == {"since": "2026-01-31", "n": "010x", "ratio": 0.5, "200": "ok"}
    assert "JSON has no NaN or infinity" in refusal(load("v: {x: .nan}")["v"], "JSON")
    assert "JSON has no NaN" in refusal('{"x": NaN}', "JSON")
