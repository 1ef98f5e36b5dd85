"""testfixtures' own value forms in fixture files: `0x…` bytes and `RAW=` functions.

go-testfixtures writes `0x1234abcd` into a binary column as those bytes, and a `RAW=` value
as SQL text. The suite writes rows as mutations, not SQL, so only a short allow-list of `RAW=`
functions is taken, each turned into a real value when the rows are written (seeding or
restoring): NOW() and CURRENT_TIMESTAMP() the moment of writing, CURRENT_DATE() Spanner's date of
that moment (America/Los_Angeles, as Spanner's own CURRENT_DATE()), PENDING_COMMIT_TIMESTAMP()
the commit's timestamp. Anything else after `RAW=` is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from google.cloud import spanner

from spanner.clock import spanner_today
from spanner.live_schema import Column
from spanner.yaml_source import source_of

RAW_PREFIX = "RAW="
HEX_PREFIX = "0x"
_BYTES = re.compile(r"^BYTES\((\d+|MAX)\)$")
_CALL = re.compile(r"^([A-Za-z_]+)\s*\(\s*\)$")
ALLOWED_RAW = ("NOW()", "CURRENT_TIMESTAMP()", "CURRENT_DATE()", "PENDING_COMMIT_TIMESTAMP()")


class FixtureValueError(ValueError):
    """A `RAW=` or `0x` value the suite cannot write into its column."""


@dataclass(frozen=True)
class AtWriting:
    """A value known only when the rows are written: `RAW=NOW()` and friends."""

    function: str  # as ALLOWED_RAW spells it

    def value(self, moment: datetime) -> datetime | date:
        if self.function == "CURRENT_DATE()":
            return spanner_today(moment)
        return moment


def is_raw(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(RAW_PREFIX)


def raw_value(value: str, column: Column) -> AtWriting | object:
    """The value a `RAW=` text stands for in `column`; refuses what is not on the allow-list."""
    text = value[len(RAW_PREFIX) :].strip()
    call = _CALL.match(text)
    function = f"{call.group(1).upper()}()" if call else None
    if function not in ALLOWED_RAW:
        raise FixtureValueError(
            f"{value!r} is not allowed: the suite writes rows as mutations, not SQL, so a RAW= "
            f"value may only be {', '.join(ALLOWED_RAW)}"
        )
    kind = column.spanner_type
    if function == "CURRENT_DATE()":
        if kind != "DATE":
            raise FixtureValueError(f"{value!r} gives a DATE; the column is {kind}")
        return AtWriting(function)
    if kind != "TIMESTAMP":
        raise FixtureValueError(f"{value!r} gives a TIMESTAMP; the column is {kind}")
    if function == "PENDING_COMMIT_TIMESTAMP()":
        if not column.allows_commit_timestamp:
            raise FixtureValueError(
                f"{value!r} needs a column with OPTIONS (allow_commit_timestamp=true)"
            )
        return spanner.COMMIT_TIMESTAMP
    return AtWriting(function)


def hex_text(value: Any, column: Column) -> str | None:
    """The text of a `0x…` value meant for a BYTES column (quoted, or read by YAML as a hex
    number), else None."""
    if not _BYTES.match(column.spanner_type):
        return None
    text = source_of(value) if isinstance(value, int) else value
    if isinstance(text, str) and text.startswith(HEX_PREFIX):
        return text
    return None


def hex_bytes(text: str) -> bytes:
    digits = text[len(HEX_PREFIX) :]
    try:
        return bytes.fromhex(digits)
    except ValueError:
        raise FixtureValueError(
            f"{text!r} is no hexadecimal byte string: after 0x, pairs of 0-9 and a-f"
        ) from None


def at_writing(values: dict[str, Any], moment: datetime) -> dict[str, Any]:
    """`values` with every `RAW=` function turned into its value at `moment`."""
    if not any(isinstance(value, AtWriting) for value in values.values()):
        return values
    return {
        column: value.value(moment) if isinstance(value, AtWriting) else value
        for column, value in values.items()
    }
