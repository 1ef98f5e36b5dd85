"""Turn fixture and table values into the Python values a Spanner column of a given type takes."""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from google.cloud import spanner
from google.cloud.spanner_v1.data_types import JsonObject

from spanner.clock import parse_relative, start_of_day

COMMIT_TIMESTAMP_LITERAL = "COMMIT_TIMESTAMP"
_STRING = re.compile(r"^STRING\((\d+|MAX)\)$")
_BYTES = re.compile(r"^BYTES\((\d+|MAX)\)$")
_ARRAY = re.compile(r"^ARRAY<(.+)>$")


class ValueTypeError(ValueError):
    """A value cannot be a value of the column's type."""


def convert(value: Any, spanner_type: str, allows_commit_timestamp: bool = False) -> Any:
    """Convert one value for a column of `spanner_type` (INFORMATION_SCHEMA spelling)."""
    if value is None:
        return None
    array = _ARRAY.match(spanner_type)
    if array:
        if not isinstance(value, list):
            raise ValueTypeError(f"expected a list for {spanner_type}, got {value!r}")
        return [convert(item, array.group(1)) for item in value]
    string = _STRING.match(spanner_type)
    if string:
        return _to_string(value, string.group(1))
    if _BYTES.match(spanner_type):
        return _to_bytes(value)
    converter = _SCALARS.get(spanner_type)
    if converter is None:
        raise ValueTypeError(f"columns of type {spanner_type} are not supported in fixtures")
    if spanner_type == "TIMESTAMP":
        return _to_timestamp(value, allows_commit_timestamp)
    return converter(value)


def _to_string(value: Any, length: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueTypeError(f"expected text, got {value!r}")
    text = str(value)
    if length != "MAX" and len(text) > int(length):
        raise ValueTypeError(f"text of {len(text)} characters is longer than STRING({length})")
    return text


def _to_bytes(value: Any) -> bytes:
    """The Spanner client sends bytes as they are, and Spanner reads them as base64."""
    if isinstance(value, bytes):
        return base64.b64encode(value)
    if isinstance(value, str):
        try:
            return base64.b64encode(base64.b64decode(value, validate=True))
        except binascii.Error:
            raise ValueTypeError(
                f"expected base64 text or !!binary for BYTES, got {value!r}"
            ) from None
    raise ValueTypeError(f"expected bytes, got {value!r}")


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueTypeError(f"expected a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)
    raise ValueTypeError(f"expected a whole number, got {value!r}")


def _to_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueTypeError(f"expected a number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueTypeError(f"expected a number, got {value!r}") from None


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueTypeError(f"expected true or false, got {value!r}")


def _to_numeric(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueTypeError(f"expected a decimal number, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueTypeError(f"expected a decimal number, got {value!r}") from None
    if not number.is_finite():
        raise ValueTypeError(f"expected a finite decimal number, got {value!r}")
    return number


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise ValueTypeError(f"expected a date, got the timestamp {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        relative = _relative(value)
        if isinstance(relative, date) and not isinstance(relative, datetime):
            return relative
        if relative is not None:
            raise ValueTypeError(f"expected a date (today, today+30d, 2026-01-31), got {value!r}")
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueTypeError(f"expected a date (today, today+30d, 2026-01-31), got {value!r}")


def _to_timestamp(value: Any, allows_commit_timestamp: bool) -> Any:
    if isinstance(value, str) and value.strip() == COMMIT_TIMESTAMP_LITERAL:
        if not allows_commit_timestamp:
            raise ValueTypeError(
                "COMMIT_TIMESTAMP needs a column with OPTIONS (allow_commit_timestamp=true)"
            )
        return spanner.COMMIT_TIMESTAMP
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return start_of_day(value)
    if isinstance(value, str):
        relative = _relative(value)
        if isinstance(relative, datetime):
            return relative
        if isinstance(relative, date):
            return start_of_day(relative)
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueTypeError(
        f"expected a timestamp (now, now-1h, COMMIT_TIMESTAMP, 2026-01-31T09:00:00Z), got {value!r}"
    )


def _relative(text: str) -> datetime | date | None:
    try:
        return parse_relative(text)
    except ValueError as error:
        raise ValueTypeError(str(error)) from None


def _to_json(value: Any) -> JsonObject:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise ValueTypeError(f"expected JSON, got {value!r}: {error}") from None
    return JsonObject(value)


_SCALARS = {
    "INT64": _to_int,
    "FLOAT64": _to_float,
    "FLOAT32": _to_float,
    "BOOL": _to_bool,
    "NUMERIC": _to_numeric,
    "DATE": _to_date,
    "TIMESTAMP": _to_timestamp,
    "JSON": _to_json,
}
