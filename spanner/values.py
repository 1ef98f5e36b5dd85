"""Turn fixture and table values into the Python values a Spanner column of a given type takes.

Values come from YAML fixtures (read with spanner/yaml_source.py, so unquoted numbers and
timestamps still carry the text they were written as), from Gherkin tables (text) or from Python
code. Nothing is rounded or cut silently: a value the column cannot hold as written is refused,
and every refusal says what was expected, what was given, why, and which forms the column takes
("expected a date, got '2026-02-30': day is out of range for month; accepted: today, ...").
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation, localcontext
from functools import partial
from typing import Any

from google.api_core.datetime_helpers import DatetimeWithNanoseconds
from google.cloud import spanner
from google.cloud.spanner_v1.data_types import JsonObject

from spanner.clock import parse_relative, start_of_day
from spanner.yaml_source import TimestampText, YamlDate, YamlDatetime, YamlFloat, source_of

COMMIT_TIMESTAMP_LITERAL = "COMMIT_TIMESTAMP"
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
FLOAT32_MAX = 3.4028234663852886e38  # the largest float32; Spanner refuses anything beyond
NUMERIC_WHOLE_DIGITS, NUMERIC_SCALE = 29, 9  # NUMERIC is precision 38, scale 9
_STRING = re.compile(r"^STRING\((\d+|MAX)\)$")
_BYTES = re.compile(r"^BYTES\((\d+|MAX)\)$")
_ARRAY = re.compile(r"^ARRAY<(.+)>$")
_WHOLE_TEXT = re.compile(r"[+-]?[0-9]+")
_NON_FINITE_TEXT = re.compile(r"([+-]?)\.?(nan|inf|infinity)", re.IGNORECASE)
_DATE_LIKE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_SECONDS_FRACTION = re.compile(r":[0-9]{2}\.([0-9]+)")
_NUMERIC_LIMITS = (
    f"NUMERIC holds at most {NUMERIC_WHOLE_DIGITS} digits before the point and "
    f"{NUMERIC_SCALE} after (precision 38, scale 9)"
)

FORMS = {
    "BOOL": "true or false",
    "INT64": f'a whole number from {INT64_MIN} to {INT64_MAX}: 42, -7, 3.0, "42"',
    "FLOAT64": 'a number: 0.75, -1.5e+3, 42, "1e-3", .nan, .inf, -.inf, "NaN", "Infinity"',
    "FLOAT32": (
        f"a number from -{FLOAT32_MAX} to {FLOAT32_MAX}: 0.75, -1.5e+3, 42, .nan, .inf, -.inf, "
        '"NaN", "Infinity"'
    ),
    "NUMERIC": (
        f"a decimal number with at most {NUMERIC_WHOLE_DIGITS} digits before the point and "
        f'{NUMERIC_SCALE} after: "499.00", 49.99, -3 (quote long numbers: YAML reads unquoted '
        "ones as floats)"
    ),
    "DATE": "today, today+30d, today-1w, 2026-01-31",
    "TIMESTAMP": (
        "now, now-1h, today, today+1d, 2026-01-31T09:00:00Z, "
        "2026-01-31T09:00:00.123456789+01:00 (without a zone: UTC)"
    ),
    "JSON": "a YAML mapping, list or scalar ({plan: pro}, [1, 2]) or JSON text ('{\"plan\": 1}')",
}


class ValueTypeError(ValueError):
    """A value cannot be a value of the column's type."""


class _Refused(Exception):
    """Raised by the converters; convert() turns it into a ValueTypeError naming the forms."""

    def __init__(self, what: str, reason: str | None = None, message: str | None = None):
        super().__init__(message or what)
        self.what, self.reason, self.message = what, reason, message

    def describe(self, value: Any, forms: str) -> str:
        if self.message:
            return f"{self.message}; accepted: {forms}"
        reason = f": {self.reason}" if self.reason else ""
        return f"expected {self.what}, got {shown(value)}{reason}; accepted: {forms}"


def convert(value: Any, spanner_type: str, allows_commit_timestamp: bool = False) -> Any:
    """Convert one value for a column of `spanner_type` (INFORMATION_SCHEMA spelling).

    Takes YAML values (spanner/yaml_source.py), text (Gherkin tables) and Python values.
    """
    if value is None:
        return None
    array = _ARRAY.match(spanner_type)
    if array:
        return _to_array(value, spanner_type, array.group(1))
    converter = _converter(spanner_type, allows_commit_timestamp)
    if converter is None:
        raise ValueTypeError(f"columns of type {spanner_type} are not supported in fixtures")
    try:
        return converter(value)
    except _Refused as refused:
        forms = accepted_forms(spanner_type, allows_commit_timestamp)
        raise ValueTypeError(refused.describe(value, forms)) from None


def accepted_forms(spanner_type: str, allows_commit_timestamp: bool = False) -> str:
    """The values a column of `spanner_type` takes, as the error messages list them."""
    array = _ARRAY.match(spanner_type)
    if array:
        return f"a list ([a, b]); each item: {accepted_forms(array.group(1))}"
    string = _STRING.match(spanner_type)
    if string:
        return "text" if string.group(1) == "MAX" else f"text of at most {string[1]} characters"
    binary = _BYTES.match(spanner_type)
    if binary:
        limit = "" if binary.group(1) == "MAX" else f", at most {binary[1]} bytes"
        return f"base64 text (aGVsbG8=) or !!binary{limit}"
    forms = FORMS.get(spanner_type, spanner_type)
    if spanner_type == "TIMESTAMP" and allows_commit_timestamp:
        forms = f"{forms}, {COMMIT_TIMESTAMP_LITERAL}"
    return forms


def shown(value: Any) -> str:
    """A value as its message shows it: YAML numbers and timestamps as written, text quoted."""
    source = source_of(value)
    if isinstance(value, str):
        text = repr(str(value))
    elif source is not None:
        text = source
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _converter(spanner_type: str, allows_commit_timestamp: bool) -> Callable[[Any], Any] | None:
    string = _STRING.match(spanner_type)
    if string:
        return partial(_to_string, limit=_limit(string.group(1)))
    binary = _BYTES.match(spanner_type)
    if binary:
        return partial(_to_bytes, limit=_limit(binary.group(1)))
    if spanner_type == "TIMESTAMP":
        return partial(_to_timestamp, allows_commit_timestamp=allows_commit_timestamp)
    return _SCALARS.get(spanner_type)


def _limit(length: str) -> int | None:
    return None if length == "MAX" else int(length)


def _to_array(value: Any, spanner_type: str, item_type: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise ValueTypeError(
            f"expected a list, got {shown(value)}; accepted: {accepted_forms(spanner_type)}"
        )
    items = []
    for number, item in enumerate(value, start=1):
        try:
            items.append(convert(item, item_type))
        except ValueTypeError as error:
            raise ValueTypeError(f"item {number} of the list: {error}") from None
    return items


def _to_string(value: Any, limit: int | None) -> str:
    if isinstance(value, bool):
        raise _Refused(
            "text", "YAML reads unquoted true, false, yes, no, on and off as booleans: quote it"
        )
    source = source_of(value)
    if source is not None:  # an unquoted number or date: the text as written, not as YAML read it
        text = source
    elif isinstance(value, str | int | float | Decimal):
        text = str(value)
    else:
        raise _Refused("text")
    if limit is not None and len(text) > limit:
        raise _Refused("text", f"{len(text)} characters, longer than STRING({limit})")
    return text


def _to_bytes(value: Any, limit: int | None) -> bytes:
    """The Spanner client sends bytes as they are, and Spanner reads them as base64."""
    if isinstance(value, bytes):
        raw = value
    elif isinstance(value, str) and value.strip()[:2].lower() == "0x":
        try:
            raw = bytes.fromhex(value.strip()[2:])
        except ValueError as error:
            raise _Refused("hex bytes after 0x", str(error)) from None
    elif isinstance(value, str):
        try:
            raw = base64.b64decode(re.sub(r"\s+", "", value), validate=True)
        except binascii.Error as error:
            raise _Refused("base64 text", str(error)) from None
    else:
        raise _Refused("base64 text or !!binary")
    if limit is not None and len(raw) > limit:
        raise _Refused(f"at most {limit} bytes", f"{len(raw)} bytes, longer than BYTES({limit})")
    return base64.b64encode(raw)


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _Refused("true or false")


def _to_int(value: Any) -> int:
    what = "a whole number"
    if isinstance(value, bool):
        raise _Refused(what)
    if isinstance(value, int):
        _check_yaml_number(value, what)
        number = int(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _Refused(what, "not a finite number")
        _check_yaml_number(value, what)
        exact = _written_decimal(value)
        if exact != exact.to_integral_value():
            raise _Refused(what, "it has a fractional part")
        _check_unquoted_float(value, what, f"write it without the decimal point, e.g. {int(exact)}")
        number = int(exact)
    elif isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise _Refused(what)
        number = int(value)
    elif isinstance(value, str) and _WHOLE_TEXT.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise _Refused(what)
    if not INT64_MIN <= number <= INT64_MAX:
        raise _Refused(what, f"outside the INT64 range {INT64_MIN} to {INT64_MAX}")
    return number


def _to_float(value: Any, single: bool = False) -> float:
    what = "a number"
    kind = "FLOAT32" if single else "FLOAT64"
    overflow = f"beyond the {kind} range" + (f" (±{FLOAT32_MAX})" if single else "")
    if isinstance(value, bool):
        raise _Refused(what)
    if isinstance(value, int):
        _check_yaml_number(value, what)
        try:
            number = float(value)
        except OverflowError:
            raise _Refused(what, overflow) from None
    elif isinstance(value, float):
        _check_yaml_number(value, what)
        number = float(value)
        source = source_of(value)
        if math.isinf(number) and source is not None and not _NON_FINITE_TEXT.fullmatch(source):
            raise _Refused(what, overflow)  # YAML read 1.0e+400 as infinity
    elif isinstance(value, Decimal):
        number = _float_from_text(str(value), what, overflow)
    elif isinstance(value, str):
        number = _float_from_text(value.strip(), what, overflow)
    else:
        raise _Refused(what)
    if single and math.isfinite(number) and abs(number) > FLOAT32_MAX:
        raise _Refused(what, overflow)
    return number


def _float_from_text(text: str, what: str, overflow: str) -> float:
    special = _NON_FINITE_TEXT.fullmatch(text)
    if special:
        sign, name = special.groups()
        if name.lower() == "nan":
            return math.nan
        return -math.inf if sign == "-" else math.inf
    try:
        number = float(text)
    except ValueError:
        raise _Refused(what) from None
    if math.isinf(number):
        raise _Refused(what, overflow)
    return number


def _to_numeric(value: Any) -> Decimal:
    what = "a decimal number"
    not_finite = "NUMERIC has no NaN or infinity"
    if isinstance(value, bool):
        raise _Refused(what)
    if isinstance(value, int):
        _check_yaml_number(value, what)
        number = Decimal(int(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _Refused(what, not_finite)
        _check_yaml_number(value, what)
        written = _written_decimal(value)
        _check_unquoted_float(
            value, what, f'write it in quotes, e.g. "{source_of(value)}", so it is not rounded'
        )
        number = written
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise _Refused(what) from None
    else:
        raise _Refused(what)
    if not number.is_finite():
        raise _Refused(what, not_finite)
    return _within_numeric(number, what)


def _within_numeric(number: Decimal, what: str) -> Decimal:
    if number.is_zero():
        return Decimal(0)
    whole_digits = number.adjusted() + 1
    if whole_digits > NUMERIC_WHOLE_DIGITS:
        raise _Refused(what, f"{whole_digits} digits before the point; {_NUMERIC_LIMITS}")
    with localcontext() as context:
        context.prec = 80
        exponent = int(number.as_tuple().exponent)  # an int: the number is finite
        if exponent > 0:  # 1E+3 -> 1000, so Spanner gets plain digits
            return number.quantize(Decimal(1))
        if exponent < -NUMERIC_SCALE:
            held = number.quantize(Decimal(1).scaleb(-NUMERIC_SCALE))
            if held != number:
                decimals = -number.normalize().as_tuple().exponent
                raise _Refused(what, f"{decimals} digits after the point; {_NUMERIC_LIMITS}")
            return held  # only trailing zeros went
    return number


def _written_decimal(value: float) -> Decimal:
    """The number a float stands for: as written in YAML, else its shortest repr (0.1)."""
    source = source_of(value)
    if source is not None:
        try:
            return Decimal(source.replace("_", "").strip())
        except InvalidOperation:
            pass  # base 60 (1:30.5), refused by _check_yaml_number
    return Decimal(repr(float(value)))


def _check_unquoted_float(value: float, what: str, advice: str) -> None:
    """Refuse an unquoted YAML number whose float is not the number written (more digits than a
    float holds: 12345678901234567.89 reads as 12345678901234568)."""
    if not isinstance(value, YamlFloat):
        return
    if Decimal(repr(float(value))) != _written_decimal(value):
        raise _Refused(what, f"YAML reads it unquoted as the float {float(value)!r}: {advice}")


def _check_yaml_number(value: int | float, what: str) -> None:
    """YAML 1.1 reads an unquoted 010 as octal (8) and 1:30 as base 60 (90): refuse both."""
    source = source_of(value)
    if source is None:
        return
    digits = source.replace("_", "").lstrip("+-")
    if ":" in digits:
        raise _Refused(
            what, f"YAML reads it unquoted as the base-60 number {value!r}: write it in decimal"
        )
    if isinstance(value, int) and len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
        raise _Refused(
            what,
            f"YAML reads an unquoted leading 0 as octal, {int(value)} here: write it without the "
            "leading zero",
        )


def _to_date(value: Any) -> date:
    what = "a date"
    if isinstance(value, TimestampText) and value.problem:
        raise _Refused(what, value.problem)
    if isinstance(value, datetime):
        raise _Refused(what, "that is a timestamp, not a date")
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        relative = _relative(text, what)
        if isinstance(relative, datetime):
            raise _Refused(what, "now is a timestamp: use today")
        if isinstance(relative, date):
            return relative
        try:
            return date.fromisoformat(text)
        except ValueError as error:
            if _DATE_LIKE.fullmatch(text):
                raise _Refused(what, str(error)) from None
            if _DATE_LIKE.match(text):
                raise _Refused(what, "that is a timestamp, not a date") from None
    raise _Refused(what)


def _to_timestamp(value: Any, allows_commit_timestamp: bool) -> Any:
    what = "a timestamp"
    if isinstance(value, str) and value.strip() == COMMIT_TIMESTAMP_LITERAL:
        if not allows_commit_timestamp:
            raise _Refused(
                what,
                message="COMMIT_TIMESTAMP needs a column with OPTIONS "
                "(allow_commit_timestamp=true)",
            )
        return spanner.COMMIT_TIMESTAMP
    if isinstance(value, TimestampText) and value.problem:
        raise _Refused(what, value.problem)
    if isinstance(value, YamlDatetime):
        moment: datetime = datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            value.tzinfo,
        )
    elif isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return start_of_day(date(value.year, value.month, value.day))
    elif isinstance(value, str):
        relative = _relative(value.strip(), what)
        if isinstance(relative, datetime):
            return relative
        if isinstance(relative, date):
            return start_of_day(relative)
        moment = _timestamp_from_text(value.strip(), what)
    else:
        raise _Refused(what)
    if moment.tzinfo is None:
        moment = _with_zone(moment, UTC)
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise _Refused(what, "before 0001-01-01 or after 9999-12-31 in UTC") from None
    return moment


def _timestamp_from_text(text: str, what: str) -> datetime:
    nanosecond = None
    fraction = _SECONDS_FRACTION.search(text)
    if fraction and len(fraction.group(1)) > 6:  # Python's datetime stops at microseconds
        digits = fraction.group(1)
        if len(digits) > 9:
            raise _Refused(
                what,
                f"{len(digits)} digits after the second; TIMESTAMP holds at most 9 (nanoseconds)",
            )
        nanosecond = int(digits.ljust(9, "0"))
        text = text[: fraction.start(1)] + digits[:6] + text[fraction.end(1) :]
    try:
        moment = datetime.fromisoformat(re.sub(r"[Zz]$", "+00:00", text))
    except ValueError as error:
        raise _Refused(what, str(error) if _DATE_LIKE.match(text) else None) from None
    if nanosecond is not None:
        moment = _with_zone(moment, moment.tzinfo, nanosecond)
    return moment


def _with_zone(moment: datetime, zone: Any, nanosecond: int | None = None) -> datetime:
    if nanosecond is None and isinstance(moment, DatetimeWithNanoseconds):
        nanosecond = moment.nanosecond
    if nanosecond:
        return DatetimeWithNanoseconds(*moment.timetuple()[:6], nanosecond=nanosecond, tzinfo=zone)
    return moment.replace(tzinfo=zone)


def _relative(text: str, what: str) -> datetime | date | None:
    try:
        return parse_relative(text)
    except ValueError as error:  # today+3h
        raise _Refused(what, str(error).removeprefix(f"{text!r}: ")) from None


def _to_json(value: Any) -> JsonObject:
    what = "JSON"
    if isinstance(value, str) and source_of(value) is None:
        try:
            value = json.loads(value, parse_constant=_no_json_constant)
        except json.JSONDecodeError as error:
            raise _Refused(what, str(error)) from None
    return JsonObject(_plain_json(value, what))


def _no_json_constant(name: str) -> Any:
    raise _Refused("JSON", f"JSON has no {name}")


def _plain_json(value: Any, what: str) -> Any:
    """YAML values as plain JSON values: numbers stay numbers, dates become their text."""
    if value is None or isinstance(value, bool):
        return value
    source = source_of(value)
    if isinstance(value, YamlDate | YamlDatetime | TimestampText):
        return source
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        _check_yaml_number(value, what)
        return int(value)
    if isinstance(value, float | Decimal):
        if isinstance(value, float):
            _check_yaml_number(value, what)
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        if not finite:
            raise _Refused(what, f"{shown(value)}: JSON has no NaN or infinity")
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain_json(item, what) for item in value]
    if isinstance(value, dict):
        return {_json_key(key, what): _plain_json(item, what) for key, item in value.items()}
    raise _Refused(what, f"{shown(value)} has no JSON form")


def _json_key(key: Any, what: str) -> str:
    if isinstance(key, str):
        return str(key)
    if isinstance(key, int) and not isinstance(key, bool):
        return source_of(key) or str(key)
    raise _Refused(what, f"the key {shown(key)} is not text: quote it")


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "INT64": _to_int,
    "FLOAT64": _to_float,
    "FLOAT32": partial(_to_float, single=True),
    "BOOL": _to_bool,
    "NUMERIC": _to_numeric,
    "DATE": _to_date,
    "JSON": _to_json,
}
