"""Many similar fixture rows from one template: a table file that is a mapping, not a list.

    # fifty people, user01@… to user50@…
    count: 50
    start: 1              # optional, the first n (default 1)
    row: {UserID: "user-{n:02}", Email: "user{n:02}@example.com", Role: member}

Every string in `row` (in lists too) has `{n}` replaced by the row's number; a format spec
after a colon pads it (`{n:02}` gives 01); quote such values inside `{...}` rows. Other
values are copied as written, so they are typed against the schema like any other fixture
value. Nothing here knows a table or a product.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

KEYS = frozenset({"count", "start", "row"})
# the most rows one template makes: a typo of a zero must not fill the emulator
MAX_COUNT = 10_000
_PLACEHOLDER = re.compile(r"\{n(?::([^{}]*))?\}")


class GeneratorError(ValueError):
    """The template is malformed; the message says which key and why."""


def is_template(data: Any) -> bool:
    return isinstance(data, Mapping)


def expand(template: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows a template stands for, in order of n."""
    unknown = sorted(str(key) for key in template if key not in KEYS)
    if unknown:
        raise GeneratorError(
            f"unknown key(s) {', '.join(unknown)} in a row template (keys: count, start, row)"
        )
    count, start, row = template.get("count"), template.get("start", 1), template.get("row")
    if not _is_int(count) or not 0 <= count <= MAX_COUNT:
        raise GeneratorError(f"count: expected a whole number 0-{MAX_COUNT}, got {count!r}")
    if not _is_int(start):
        raise GeneratorError(f"start: expected a whole number, got {start!r}")
    if not isinstance(row, Mapping) or not row:
        raise GeneratorError(f"row: expected a mapping of column: value, got {row!r}")
    return [
        {str(column): _fill(value, n) for column, value in row.items()}
        for n in range(start, start + count)
    ]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _fill(value: Any, n: int) -> Any:
    if isinstance(value, str) and _PLACEHOLDER.search(value):
        return _PLACEHOLDER.sub(lambda match: _formatted(n, match.group(1) or ""), value)
    if isinstance(value, list):
        return [_fill(item, n) for item in value]
    return value


def _formatted(n: int, spec: str) -> str:
    try:
        return format(n, spec)
    except ValueError as error:
        raise GeneratorError(f"{{n:{spec}}}: {error}") from None
