"""Seed data: <set folder>/<database>/<Table>.yaml (or .yml), one list of rows per table.

Which set folders make a feature's seed is spanner/fixture_layout.py's business. Every file is
read (spanner/yaml_source.py: numbers and timestamps keep the text they were written as), typed
against the live schema (spanner/values.py) and checked (tables, columns, types, NOT NULL,
duplicate keys, parents and foreign keys) before anything is written, so a bad fixture fails the
feature with a message naming the file, the row, its line and the column. A file may also be a
row template (count, row with `{n}`; spanner/fixture_generator.py). Every problem of every
file is reported at once; a missing parent or foreign-key target is not reported when the rows
it may be among were refused or their file could not be read.
A database folder may also carry one of the database's other names (an alias such as `main` for
`orders`), with Spanwright's `-db` suffix or without, and a set may be a Spanwright scenario
folder (`fixtures/<database>-db/<Table>.yml`; spanner/fixture_layout.py). testfixtures' `0x…`
bytes and allowed `RAW=` functions are read too (spanner/testfixtures_values.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from google.cloud import spanner

from spanner import fixture_generator, yaml_source
from spanner.fixture_layout import SPANWRIGHT_FIXTURES, database_folders, names_database
from spanner.live_schema import Column, Table
from spanner.testfixtures_values import (
    AtWriting,
    FixtureValueError,
    hex_bytes,
    hex_text,
    is_raw,
    raw_value,
)
from spanner.values import ValueTypeError

SUFFIXES = (".yaml", ".yml")


class FixtureError(ValueError):
    """One or more fixture files are wrong; the message lists every problem found."""


@dataclass(frozen=True)
class FixtureRow:
    table: str
    values: dict[str, Any]
    file: Path
    number: int  # 1-based position in the file
    line: int | None

    def where(self) -> str:
        line = f", line {self.line}" if self.line else ""
        return f"{self.file}, row {self.number}{line}"


@dataclass
class _TableRows:
    """What the files of one table gave: the good rows, and what is known of the others."""

    rows: list[FixtureRow] = field(default_factory=list)
    # refused rows, with the values of the columns that could be typed (their keys may be known)
    refused: list[FixtureRow] = field(default_factory=list)
    # a file could not be read, was not a list of rows, or had a row that is not a mapping
    unknown: bool = False


@dataclass
class Seed:
    """Typed rows per database and table, ready to insert."""

    rows: dict[str, dict[str, list[FixtureRow]]] = field(default_factory=dict)

    def tables(self, database: str) -> dict[str, list[FixtureRow]]:
        return self.rows.get(database, {})

    def count(self) -> int:
        return sum(len(rows) for tables in self.rows.values() for rows in tables.values())


def fixture_files(set_folder: Path, folder_names: Iterable[str]) -> list[Path]:
    """The table files of one database in a set, under any of the database's folder names."""
    names = list(folder_names)
    files = []
    for folder in database_folders(set_folder):
        if names_database(folder.name, names):
            files.extend(path for path in folder.iterdir() if path.suffix in SUFFIXES)
    return sorted(files)


def load_seed(
    sets: Iterable[Path],
    schemas: Mapping[str, Mapping[str, Table]],
    aliases: Mapping[str, str] | None = None,
) -> Seed:
    """Read, type and check the set folders for every database in `schemas`.

    `aliases` maps other names of a database to its name (main -> orders).
    """
    sets = list(sets)
    aliases = dict(aliases or {})
    problems: list[str] = []
    seed = Seed()
    for database, tables in schemas.items():
        names = [database, *(alias for alias, target in aliases.items() if target == database)]
        by_table: dict[str, _TableRows] = {}
        for set_folder in sets:
            for file in fixture_files(set_folder, names):
                _read_file(file, database, tables, by_table, problems)
        _check_keys(by_table, tables, problems)
        seed.rows[database] = {name: read.rows for name, read in by_table.items()}
    problems.extend(_unknown_database_folders(sets, [*schemas, *aliases]))
    if problems:
        shown = problems[:25]
        more = f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else ""
        raise FixtureError("bad fixtures:\n  " + "\n  ".join(shown) + more)
    return seed


def _unknown_database_folders(sets: Iterable[Path], known: list[str]) -> list[str]:
    problems = []
    for folder in sets:
        for child in database_folders(folder):
            if not names_database(child.name, known):
                problems.append(
                    f"{child}: no database named {child.name!r} "
                    f"(databases of this product: {', '.join(known)})"
                )
        spanwright = folder / SPANWRIGHT_FIXTURES
        if spanwright.is_dir():  # a Spanwright scenario: tables only under fixtures/
            for child in sorted(folder.iterdir()):
                if child.is_dir() and names_database(child.name, known):
                    problems.append(
                        f"{child}: not read; in a Spanwright scenario folder a database's "
                        f"tables are under {spanwright}/<database>-db/"
                    )
    return problems


def _read_file(
    file: Path,
    database: str,
    tables: Mapping[str, Table],
    by_table: dict[str, _TableRows],
    problems: list[str],
) -> None:
    table = tables.get(file.stem)
    if table is None:
        problems.append(
            f"{file}: no table {file.stem!r} in database {database!r} "
            f"(tables: {', '.join(sorted(tables))})"
        )
        return
    read = by_table.setdefault(table.name, _TableRows())
    try:
        text = file.read_text(encoding="utf-8")
        data = yaml_source.load(text)
        lines = _row_lines(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        problems.append(f"{file}{where}: YAML syntax error: {problem}")
        read.unknown = True
        return
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{file}: cannot read: {error}")
        read.unknown = True
        return
    if data is None:
        return
    if fixture_generator.is_template(data):
        try:
            data = fixture_generator.expand(data)
        except fixture_generator.GeneratorError as error:
            problems.append(f"{file}: {error}")
            read.unknown = True
            return
        lines = [_template_line(text)] * len(data)
    if not isinstance(data, list):
        problems.append(
            f"{file}: expected a list of rows (- Column: value), got {type(data).__name__}"
        )
        read.unknown = True
        return
    for index, raw in enumerate(data):
        line = lines[index] if index < len(lines) else None
        row, ok = _type_row(raw, table, file, index + 1, line, problems)
        if row is None:
            read.unknown = True
        elif ok:
            read.rows.append(row)
        else:
            read.refused.append(row)


def _template_line(text: str) -> int | None:
    """The line of a row template's `row:` (spanner/fixture_generator.py), for all its rows."""
    node = yaml.compose(text, Loader=yaml_source.FixtureLoader)
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        if key.value == "row":
            return value.start_mark.line + 1
    return None


def _row_lines(text: str) -> list[int]:
    node = yaml.compose(text, Loader=yaml_source.FixtureLoader)
    if isinstance(node, yaml.SequenceNode):
        return [item.start_mark.line + 1 for item in node.value]
    return []


def _type_row(
    raw: Any, table: Table, file: Path, number: int, line: int | None, problems: list[str]
) -> tuple[FixtureRow | None, bool]:
    """The typed row and whether it is good; a refused row keeps the values that could be typed.
    No row at all when `raw` is not a mapping."""
    where = FixtureRow(table.name, {}, file, number, line).where()
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a mapping of column: value, got {raw!r}")
        return None, False
    values: dict[str, Any] = {}
    ok = True
    for column_name, value in raw.items():
        column = table.columns.get(str(column_name))
        if column is None:
            problems.append(
                f"{where}: unknown column {column_name!r} in {table.name} "
                f"(columns: {', '.join(table.columns)})"
            )
            ok = False
            continue
        if column.generated:
            problems.append(f"{where}, column {column.name}: generated columns cannot be set")
            ok = False
            continue
        try:
            typed = _typed(table, column, value)
        except (ValueTypeError, FixtureValueError) as error:
            problems.append(f"{where}, column {column.name} ({column.spanner_type}): {error}")
            ok = False
            continue
        if typed is None and not column.nullable:
            problems.append(f"{where}, column {column.name}: NOT NULL column given null")
            ok = False
            continue
        values[column.name] = typed
    missing = [c.name for c in table.columns.values() if c.required and c.name not in raw]
    if missing:
        problems.append(f"{where}: missing NOT NULL column(s) {', '.join(missing)} of {table.name}")
        ok = False
    return FixtureRow(table.name, values, file, number, line), ok


def _typed(table: Table, column: Column, value: Any) -> Any:
    """A fixture value as its column takes it, testfixtures' RAW= and 0x forms included."""
    if is_raw(value):
        return raw_value(value, column)
    text = hex_text(value, column)
    if text is not None:
        return table.typed(column.name, hex_bytes(text))
    return table.typed(column.name, value)


def _key(row: FixtureRow, columns: list[str]) -> tuple[Any, ...] | None:
    """The row's values of `columns`; None when one is missing or known only at writing."""
    if any(column not in row.values for column in columns):
        return None
    key = tuple(row.values[column] for column in columns)
    pending = any(
        value is spanner.COMMIT_TIMESTAMP or isinstance(value, AtWriting) for value in key
    )
    return None if pending else key


def _check_keys(
    by_table: Mapping[str, _TableRows], tables: Mapping[str, Table], problems: list[str]
) -> None:
    for name, read in by_table.items():
        table = tables[name]
        seen: dict[tuple[Any, ...], FixtureRow] = {}
        for row in read.rows:
            key = _key(row, table.primary_key)
            if key is None:
                continue
            if key in seen:
                problems.append(
                    f"{row.where()}: duplicate key {_show_key(table.primary_key, key)} in "
                    f"{name}, first at {seen[key].where()}"
                )
            else:
                seen[key] = row
        if table.parent:
            parent = tables[table.parent]
            _check_references(
                read.rows,
                by_table.get(parent.name, _TableRows()),
                table.primary_key[: len(parent.primary_key)],
                parent.primary_key,
                f"{parent.name} (the parent of {name})",
                problems,
            )
        for ref_table, ours, theirs in table.foreign_keys:
            _check_references(
                read.rows,
                by_table.get(ref_table, _TableRows()),
                ours,
                theirs,
                f"{ref_table} (foreign key of {name})",
                problems,
            )


def _check_references(
    rows: list[FixtureRow],
    targets: _TableRows,
    ours: list[str],
    theirs: list[str],
    what: str,
    problems: list[str],
) -> None:
    """Report rows whose parent or referenced row is missing; not when it may be missing only
    because its row was refused or its file could not be read (that is reported already)."""
    available = {key for target in targets.rows if (key := _key(target, theirs)) is not None}
    refused_keys = [_key(target, theirs) for target in targets.refused]
    available.update(key for key in refused_keys if key is not None)
    unknown = targets.unknown or None in refused_keys
    for row in rows:
        key = _key(row, ours)
        if key is None or any(value is None for value in key):
            continue
        if key not in available and not unknown:
            problems.append(f"{row.where()}: no row in {what} with {_show_key(theirs, key)}")


def _show_key(columns: list[str], key: tuple[Any, ...]) -> str:
    return "(" + ", ".join(f"{c}={v!r}" for c, v in zip(columns, key, strict=True)) + ")"
