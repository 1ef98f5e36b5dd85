"""The notation of database checks: one way to say what a column's value must be.

The same words serve a where-clause (`where Seats is "> 5"`, run as SQL with every value a query
parameter) and a cell of a check table (compared in Python with the value read):

    active                       equal to the value (typed like the column: 499 = NUMERIC 499.00)
    > 5   >= 5   < 5   <= 5      compared with a number, a date (2026-01-01, today-1d) or a
                                 timestamp (2026-01-01T09:00:00Z, now-1h)
    null / not null              NULL / anything but NULL   (also <null>, <not null>)
    <any>                        anything, NULL included (a table cell only)
    like 'ACME%'                 SQL LIKE: % any text, _ one character
    within 5 minutes of now      a timestamp or date near another: seconds, minutes, hours, days
                                 or weeks; of now, today, 2026-01-01T00:00:00Z, ...
    = > 5                        exactly the text after "= " (for text that reads like notation)

Plain values in a table cell follow the column's type: ARRAY `[a, b]` (or JSON `["a", "b"]`),
JSON text (`{"plan": "pro"}`, compared as JSON), BYTES as base64 (`aGk=`) or hex (`0x6869`),
NUMERIC `499.00`, DATE `2026-01-31` or `today+30d`, TIMESTAMP `2026-01-31T09:00:00Z` or `now`,
BOOL `true`/`false`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from spanner.clock import parse_relative, start_of_day
from spanner.live_schema import Column, Table
from spanner.tables import show
from spanner.values import ValueTypeError, convert

ANY, EQUAL, NULL, NOT_NULL, LIKE, WITHIN = "any", "=", "null", "not null", "like", "within"
_ORDERING = re.compile(r"^(>=|<=|>|<)\s*(.*)$", re.DOTALL)
# what an ordering compares with: a number, a date or timestamp, or now/today with an offset;
# anything else after < or > is plain text ("<b>" stays text)
_COMPARABLE = re.compile(
    r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
    r"|\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|(?:now|today)(?:\s*[+-]\s*\d+\s*[smhdw])?",
    re.IGNORECASE,
)
_LIKE = re.compile(r"^like\s+'(.*)'$", re.IGNORECASE | re.DOTALL)
_WITHIN = re.compile(
    r"^within\s+(\d+)\s+(second|minute|hour|day|week)s?\s+of\s+(.+)$", re.IGNORECASE
)
# one item of [a, "b, c", 'd']: quoted (commas inside kept) or up to the next comma
_LIST_ITEM = re.compile(r"""\s*("[^"]*"|'[^']*'|[^,]*?)\s*,""")
_NULL_WORDS = ("null", "<null>")
_NOT_NULL_WORDS = ("not null", "<not null>")


class NotationError(ValueError):
    """A condition or cell that the notation does not read, or that the column cannot take."""


@dataclass(frozen=True)
class Condition:
    """One parsed condition: an operator and what it compares with."""

    operator: str
    operand: Any = None
    tolerance: timedelta | None = None

    def matches(self, actual: Any) -> bool:
        """Whether a value read from Spanner meets the condition (compared in Python)."""
        if self.operator == ANY:
            return True
        if self.operator == NULL:
            return actual is None
        if self.operator == NOT_NULL:
            return actual is not None
        if actual is None:
            return self.operator == EQUAL and self.operand is None
        if self.operator == EQUAL:
            return equal(self.operand, actual)
        if self.operator == LIKE:
            if not isinstance(actual, str):
                raise NotationError(f"like compares text, and the value is {show(actual)}")
            return like_pattern(self.operand).fullmatch(actual) is not None
        if self.operator == WITHIN:
            anchor = self._anchor_like(actual)
            return abs(_as_moment(actual) - _as_moment(anchor)) <= self._tolerance_for(actual)
        operand = self._operand_like(actual)
        return _compare(self.operator, actual, operand)

    def sql(self, column: Column, name: str) -> tuple[str, dict[str, Any]]:
        """The condition as SQL on `column`; its values become parameters named `name...`."""
        quoted = f"`{column.name}`"
        if self.operator == ANY:
            return "TRUE", {}
        if self.operator == NULL or (self.operator == EQUAL and self.operand is None):
            return f"{quoted} IS NULL", {}
        if self.operator == NOT_NULL:
            return f"{quoted} IS NOT NULL", {}
        if column.spanner_type.startswith("ARRAY") or column.spanner_type == "JSON":
            raise NotationError(
                f"{column.name} is {column.spanner_type}: a where condition can only ask whether "
                "it is null or not null; check its value in a table instead"
            )
        if self.operator == LIKE:
            if not column.spanner_type.startswith("STRING"):
                raise NotationError(
                    f"like compares text, and {column.name} is {column.spanner_type}"
                )
            return f"{quoted} LIKE @{name}", {name: self.operand}
        if self.operator == WITHIN:
            if column.spanner_type not in ("TIMESTAMP", "DATE"):
                raise NotationError(
                    f"within compares dates and timestamps, and {column.name} is "
                    f"{column.spanner_type}"
                )
            anchor = parameter_value(column, self.operand)
            tolerance = self.tolerance or timedelta()
            if column.spanner_type == "DATE":
                tolerance = timedelta(days=tolerance.days)
            low, high = f"{name}_from", f"{name}_to"
            return (
                f"{quoted} BETWEEN @{low} AND @{high}",
                {low: anchor - tolerance, high: anchor + tolerance},
            )
        return f"{quoted} {self.operator} @{name}", {name: parameter_value(column, self.operand)}

    def _operand_like(self, actual: Any) -> Any:
        try:
            return coerce(self.operand, actual)
        except (ValueError, TypeError, KeyError, InvalidOperation):
            raise NotationError(
                f"{self.operator} {show(self.operand)} cannot be compared with "
                f"{show(actual)} ({_kind(actual)})"
            ) from None

    def _anchor_like(self, actual: Any) -> Any:
        if not isinstance(actual, date):
            raise NotationError(
                f"within compares dates and timestamps, and the value is {show(actual)}"
            )
        return self._operand_like(actual)

    def _tolerance_for(self, actual: Any) -> timedelta:
        tolerance = self.tolerance or timedelta()
        return tolerance if isinstance(actual, datetime) else timedelta(days=tolerance.days)


def parse_condition(value: Any) -> Condition:
    """Read one condition or table cell in the notation (see the module's docstring)."""
    if not isinstance(value, str):
        return Condition(EQUAL, value)
    text = value.strip()
    lowered = text.lower()
    if lowered == "<any>":
        return Condition(ANY)
    if lowered in _NULL_WORDS:
        return Condition(NULL)
    if lowered in _NOT_NULL_WORDS:
        return Condition(NOT_NULL)
    if text.startswith("= "):
        return Condition(EQUAL, text[2:])
    ordering = _ORDERING.match(text)
    if ordering and _COMPARABLE.fullmatch(ordering.group(2).strip()):
        operator, operand = ordering.groups()
        return Condition(operator, operand.strip())
    if ordering and not ordering.group(2).strip():
        raise NotationError(f"{text!r}: {text} needs a value after it, e.g. {text} 5")
    like = _LIKE.match(text)
    if like:  # as in SQL, '' inside the quotes is one quote: like 'O''Brien%'
        return Condition(LIKE, like.group(1).replace("''", "'"))
    if lowered.startswith("like ") and re.search(r"[%_]", text):
        raise NotationError(f"{text!r}: write the pattern in single quotes: like 'ACME%'")
    if re.match(r"within\s+\d", lowered):
        within = _WITHIN.match(text)
        if not within:
            raise NotationError(
                f"{text!r}: write within N seconds|minutes|hours|days|weeks of <a time>, "
                "e.g. within 5 minutes of now"
            )
        amount, unit, anchor = within.groups()
        tolerance = timedelta(**{f"{unit.lower()}s": int(amount)})
        return Condition(WITHIN, anchor.strip(), tolerance)
    return Condition(EQUAL, value)


def where_clause(table: Table, conditions: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """` WHERE ...` for column -> condition (notation text or a typed value), with parameters.

    Columns must be the table's; a condition the column cannot take names the column.
    """
    parts, params = [], {}
    for index, (name, value) in enumerate(conditions.items()):
        column = table.column(name)
        try:
            sql, values = parse_condition(value).sql(column, f"p{index}")
        except (NotationError, ValueTypeError) as error:
            raise NotationError(f'{name} is "{value}": {error}') from None
        parts.append(sql)
        params.update(values)
    return (f" WHERE {' AND '.join(parts)}" if parts else ""), params


def parameter_value(column: Column, operand: Any) -> Any:
    """A condition's value as the query parameter for `column` (typed like the column)."""
    if not isinstance(operand, str):
        return operand
    value = convert(operand, column.spanner_type)
    if column.spanner_type.startswith("BYTES"):
        return base64.b64decode(value)  # convert gives the write form; parameters take bytes
    return value


def like_pattern(pattern: str) -> re.Pattern[str]:
    """SQL LIKE as a regular expression: % any text, _ one character, \\ escapes."""
    parts, escaped = [], False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def equal(expected: Any, actual: Any) -> bool:
    """Whether an expected value (text as written, or typed) equals a value read."""
    if isinstance(actual, list):
        items = list_items(expected)
        return len(items) == len(actual) and all(
            parse_condition(item).matches(value) for item, value in zip(items, actual, strict=True)
        )
    if _is_json(actual):
        return _json_of(expected) == _json_value(actual)
    try:
        return coerce(expected, actual) == actual
    except (ValueError, TypeError, KeyError, InvalidOperation):
        return False


def coerce(expected: Any, actual: Any) -> Any:
    """`expected` as a value of `actual`'s type: the text "499" beside NUMERIC is Decimal(499)."""
    if isinstance(actual, bool):
        if isinstance(expected, str):
            return {"true": True, "false": False}[expected.strip().lower()]
        return expected
    if isinstance(actual, Decimal):
        return Decimal(str(expected).strip().replace(",", ""))
    if isinstance(actual, int):
        if isinstance(expected, bool):
            raise TypeError("a boolean is not a number")
        return int(str(expected).strip().replace(",", ""))
    if isinstance(actual, float):
        return float(str(expected).strip().replace(",", ""))
    if isinstance(actual, datetime):
        if isinstance(expected, datetime):
            return expected
        relative = parse_relative(str(expected))
        if isinstance(relative, datetime):
            return relative
        if isinstance(relative, date):
            return start_of_day(relative)
        moment = datetime.fromisoformat(str(expected).strip().replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if isinstance(actual, date):
        if isinstance(expected, date):
            return expected
        relative = parse_relative(str(expected))
        return relative if relative is not None else date.fromisoformat(str(expected).strip())
    if isinstance(actual, bytes):
        return bytes_of(expected)
    if isinstance(actual, str):
        return expected if isinstance(expected, str) else show(expected)
    return expected


def bytes_of(value: Any) -> bytes:
    """Bytes written as hex (`0x6869`) or base64 (`aGk=`)."""
    if isinstance(value, bytes):
        return value
    text = str(value).strip()
    try:
        if text[:2].lower() == "0x":
            return bytes.fromhex(text[2:])
        return base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        raise ValueError(f"{text!r} is neither hex (0x6869) nor base64 (aGk=)") from None


def list_items(value: Any) -> list[Any]:
    """An ARRAY written `[a, b]` (items as the item type reads them) or as JSON `["a", "b"]`."""
    if isinstance(value, list | tuple):
        return list(value)
    text = str(value).strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise NotationError(f"{text!r}: write a list in brackets: [a, b]")
    try:
        items = json.loads(text)
        if isinstance(items, list):
            return [item if item is None or isinstance(item, str) else str(item) for item in items]
    except json.JSONDecodeError:
        pass
    inner = text[1:-1].strip()
    if not inner:
        return []
    return [_unquoted(item.strip()) for item in _LIST_ITEM.findall(inner + ",")]


def _unquoted(item: str) -> str:
    if len(item) >= 2 and item[0] == item[-1] and item[0] in "'\"":
        return "= " + item[1:-1]
    return item


def _is_json(actual: Any) -> bool:
    return hasattr(actual, "serialize") and isinstance(actual, dict)


def _json_value(actual: Any) -> Any:
    text = actual.serialize()
    return None if text is None else json.loads(text)


def _json_of(expected: Any) -> Any:
    if not isinstance(expected, str):
        return expected
    try:
        return json.loads(expected)
    except json.JSONDecodeError as error:
        raise NotationError(f"{expected!r} is not JSON: {error}") from None


def _as_moment(value: date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _compare(operator: str, actual: Any, operand: Any) -> bool:
    if isinstance(actual, bool) or _is_json(actual) or isinstance(actual, list | bytes):
        raise NotationError(f"{operator} cannot compare {_kind(actual)} values")
    if operator == ">":
        return actual > operand
    if operator == ">=":
        return actual >= operand
    if operator == "<":
        return actual < operand
    return actual <= operand


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, datetime):
        return "a timestamp"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, bytes):
        return "bytes"
    if isinstance(value, list):
        return "a list"
    if _is_json(value):
        return "JSON"
    return "text"
