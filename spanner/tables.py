"""Plain-text tables of rows, for failure messages and report attachments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def show(value: Any) -> str:
    """How a value reads in a table: the same words a feature file would use."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, dict) and hasattr(value, "serialize"):  # Spanner's JsonObject
        return value.serialize() or "null"
    return str(value)


def render_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
    marks: Sequence[str] = (),
) -> str:
    columns = list(columns or (rows[0].keys() if rows else []))
    cells = [[show(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]

    def line(values: Sequence[str], mark: str = " ") -> str:
        return (
            f"{mark} | "
            + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True))
            + " |"
        )

    out = [line(columns)]
    for index, row in enumerate(cells):
        out.append(line(row, marks[index] if index < len(marks) else " "))
    return "\n".join(out)


def side_by_side(left_title: str, left: str, right_title: str, right: str) -> str:
    left_lines = [left_title, *left.splitlines()]
    right_lines = [right_title, *right.splitlines()]
    width = max(len(line) for line in left_lines)
    height = max(len(left_lines), len(right_lines))
    left_lines += [""] * (height - len(left_lines))
    right_lines += [""] * (height - len(right_lines))
    return "\n".join(
        f"{a.ljust(width)}    {b}" for a, b in zip(left_lines, right_lines, strict=True)
    )
