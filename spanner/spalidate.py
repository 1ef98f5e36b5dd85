"""spalidate's expected-state files (github.com/nu0ma/spalidate), read as spalidate reads them.

    tables:
      Users:                  # the shape of Spanwright's expected-primary.yaml
        count: 1              # the table holds exactly this many rows ...
        columns:              # ... and one of them has these values (other columns not compared)
          UserID: user-001
          Status: 1
      Products:               # the newer shape: `columns` is a list of whole rows
        columns:              # every column of the table in every row; the table holds exactly
          - {ProductID: p1, Name: Laptop, Price: 1000, IsActive: true}   # these, in any order
      Tags:                   # spalidate 1.1's `rows`: rows naming some columns, with `count`
        count: 2
        rows: [{Name: a}, {Name: b}]

Values are typed by the column (a quoted "2024-01-01T00:00:00Z" is a timestamp, JSON may be text
or YAML, BYTES base64 or 0x…) and `{name}` is something the scenario learned. A failure names the
file, the table and the expected row (number and line), with the nearest row's differences.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from google.cloud.spanner_v1.database import Database

from base.placeholders import resolve
from spanner import yaml_source
from spanner.assertions import eventually, match_rows, rows_report, select_rows, value_matches
from spanner.live_schema import SchemaReferenceError, Table, lookup_table
from spanner.query import Row
from spanner.testfixtures_values import hex_bytes, hex_text
from spanner.values import shown

TABLE_KEYS = ("count", "columns", "rows")


class SpalidateError(ValueError):
    """The file is no readable spalidate file, or names what the database does not have."""


@dataclass
class ExpectedTable:
    name: str
    rows: list[dict[str, Any]]
    lines: list[int | None]
    count: int | None
    exact: bool  # no rows but the listed ones
    whole_rows: bool  # every row names every column


def is_spalidate(document: Any) -> bool:
    """A spalidate file is one mapping `tables:` of table name to its expectations."""
    return (
        isinstance(document, dict)
        and list(document) == ["tables"]
        and isinstance(document["tables"], dict | None)
    )


def read(path: Path, text: str, document: dict) -> list[ExpectedTable]:
    lines = _row_lines(text)
    expected = []
    for name, spec in (document["tables"] or {}).items():
        expected.append(_read_table(path, str(name), spec, lines.get(str(name), [])))
    return expected


def _read_table(path: Path, name: str, spec: Any, lines: list[int | None]) -> ExpectedTable:
    where = f"{path}, table {name}"
    if not isinstance(spec, dict):
        raise SpalidateError(f"{where}: expected a mapping of count and columns, got {spec!r}")
    unknown = sorted(str(key) for key in spec if key not in TABLE_KEYS)
    if unknown:
        raise SpalidateError(
            f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(TABLE_KEYS)})"
        )
    count = spec.get("count")
    if count is not None and (
        isinstance(count, bool) or not isinstance(count, int) or int(count) < 0
    ):
        raise SpalidateError(f"{where}: count must be a whole number of rows, got {count!r}")
    count = None if count is None else int(count)
    columns, rows = spec.get("columns"), spec.get("rows")
    if columns is not None and rows is not None:
        raise SpalidateError(f"{where}: give columns or rows, not both")
    if isinstance(columns, list):
        _check_mappings(where, columns, lines)
        if count is not None and count != len(columns):
            raise SpalidateError(
                f"{where}: count is {count} but columns lists {len(columns)} whole row(s)"
            )
        return ExpectedTable(name, list(columns), lines, len(columns), True, True)
    if isinstance(columns, dict):
        if count == 0:
            raise SpalidateError(f"{where}: count is 0 but columns gives a row's values")
        return ExpectedTable(name, [columns], [None], count, False, False)
    if columns is not None:
        raise SpalidateError(
            f"{where}: columns must be a mapping (one row's values) or a list of whole rows"
        )
    if rows is not None:
        if not isinstance(rows, list):
            raise SpalidateError(f"{where}: rows must be a list of rows")
        _check_mappings(where, rows, lines)
        return ExpectedTable(name, list(rows), lines, count, False, False)
    if count is None:
        raise SpalidateError(f"{where}: nothing expected (give count, columns or rows)")
    return ExpectedTable(name, [], [], count, False, False)


def _check_mappings(where: str, rows: list, lines: list[int | None]) -> None:
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise SpalidateError(
                f"{where}, {_row_name(number, lines)}: expected a mapping of column: value, "
                f"got {row!r}"
            )


def _row_name(number: int, lines: Sequence[int | None]) -> str:
    line = lines[number - 1] if number - 1 < len(lines) else None
    return f"row {number}" + (f" (line {line})" if line else "")


def _row_lines(text: str) -> dict[str, list[int | None]]:
    """Table name -> the line of each row listed under its `columns` or `rows`."""
    root = yaml.compose(text, Loader=yaml_source.FixtureLoader)
    found: dict[str, list[int | None]] = {}
    tables = _value_of(root, "tables")
    for key, spec in tables.value if isinstance(tables, yaml.MappingNode) else []:
        for field in ("columns", "rows"):
            rows = _value_of(spec, field)
            if isinstance(rows, yaml.SequenceNode):
                found[str(key.value)] = [item.start_mark.line + 1 for item in rows.value]
    return found


def _value_of(node: Any, name: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == name:
                return value
    return None


def check(
    database: Database,
    tables: Mapping[str, Table],
    path: Path,
    expected: ExpectedTable,
    learned: Mapping[str, Any],
    timeout: float,
) -> None:
    """Raise AssertionError, naming the file, table and rows, unless the table is as expected."""
    try:
        table = lookup_table(tables, expected.name, database.database_id)
    except SchemaReferenceError as error:
        raise SpalidateError(f"{path}: {error}") from None
    where = f"{path}, table {expected.name}"
    rows = [
        _typed_row(where, table, row, number, expected, learned)
        for number, row in enumerate(expected.rows, start=1)
    ]
    if expected.whole_rows or not rows:
        columns = list(table.columns) if rows else list(table.primary_key)
    else:
        columns = list(dict.fromkeys(column for row in rows for column in row))

    def compare() -> None:
        actual = [_comparable_row(table, row) for row in select_rows(database, table, columns)]
        problems = []
        if expected.count is not None and len(actual) != expected.count:
            problems.append(f"{where}: expected {expected.count} row(s), found {len(actual)}")
        missing, extra = match_rows(rows, actual)
        extra = extra if expected.exact else []
        if missing or extra:
            problems.append(rows_report(where, rows, actual, missing, extra))
            problems.extend(_nearest(rows, actual, missing, expected.lines))
        if problems:
            raise AssertionError("\n".join(problems))

    eventually(compare, timeout)


def _typed_row(
    where: str,
    table: Table,
    row: dict,
    number: int,
    expected: ExpectedTable,
    learned: Mapping[str, Any],
) -> dict[str, Any]:
    name = f"{where}, {_row_name(number, expected.lines)}"
    unknown = [str(column) for column in row if column not in table.columns]
    if unknown:
        raise SpalidateError(
            f"{name}: no column {', '.join(unknown)} in {table.name} "
            f"(columns: {', '.join(table.columns)})"
        )
    if expected.whole_rows:
        missing = [column for column in table.columns if column not in row]
        if missing:
            raise SpalidateError(
                f"{name}: missing column(s) {', '.join(missing)}; a list under `columns` holds "
                "whole rows, every column of the table (spalidate compares them so)"
            )
    typed = {}
    for column, value in row.items():
        try:
            typed[column] = _expected_value(table, column, resolve(value, learned))
        except ValueError as error:  # ValueTypeError and 0x errors alike
            raise SpalidateError(f"{name}, column {column}: {error}") from None
    return typed


def _expected_value(table: Table, column: str, value: Any) -> Any:
    kind = table.columns[column].spanner_type
    if value is None:
        return None
    text = hex_text(value, table.columns[column])
    if text is not None:
        return _comparable(kind, hex_bytes(text), wire=False)
    return _comparable(kind, table.typed(column, value))


def _comparable_row(table: Table, row: Row) -> Row:
    return {
        name: _comparable(table.columns[name].spanner_type, value, wire=False)
        for name, value in row.items()
    }


def _comparable(kind: str, value: Any, wire: bool = True) -> Any:
    """Values as both sides are compared and shown: JSON as canonical text, BYTES as 0x…."""
    if value is None:
        return None
    if kind.startswith("ARRAY<") and isinstance(value, list):
        return [_comparable(kind[6:-1], item, wire) for item in value]
    if kind == "JSON":
        text = value.serialize() if hasattr(value, "serialize") else value
        if not isinstance(text, str):
            text = json.dumps(text)
        return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    if kind.startswith("BYTES") and isinstance(value, bytes):
        # spanner/values.py gives bytes as the client sends them (base64), a query the bytes
        return "0x" + (base64.b64decode(value) if wire else value).hex()
    return value


def _nearest(
    expected: list[dict[str, Any]],
    actual: list[Row],
    missing: list[int],
    lines: Sequence[int | None],
) -> list[str]:
    """For each missing expected row, the differences from the actual row closest to it."""
    found = []
    for index in missing:
        wanted = expected[index]
        name = _row_name(index + 1, lines)
        if not actual:
            found.append(f"{name} not found: the table has no rows")
            continue
        differences = [
            [c for c, value in wanted.items() if not value_matches(value, row.get(c))]
            for row in actual
        ]
        position = min(range(len(actual)), key=lambda i: len(differences[i]))
        columns = differences[position]
        detail = "; ".join(
            f"{c}: expected {shown(wanted[c])}, actual {shown(actual[position].get(c))}"
            for c in columns
        )
        found.append(f"{name} not found; nearest row differs in {detail}")
    return found
