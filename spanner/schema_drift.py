"""Schema drift: does a live database have the shape spanner/schema/<database>/ describes?

The expected shape is not parsed from the DDL by hand: the DDL is applied to a scratch
database on an emulator of the check's own, and both databases are read the same way, through
INFORMATION_SCHEMA (spanner/live_schema.py's read_shape). Spanner itself then decides what each
statement means (default nullability, type spellings, generated index names, interleaving
defaults), so the two sides can only differ where the databases do. No well-kept Python parser
reads Spanner's DDL with INTERLEAVE IN PARENT, ON DELETE and NULL_FILTERED indexes; the emulator
starts in milliseconds and runs beside any backend, Cloud Spanner included: against production
nothing is written anywhere but on that private emulator, which is stopped after the check.

compare() lists every difference, and describe() tells them table by table, column by column.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from google.cloud.spanner_v1.instance import Instance

from spanner.databases import connect, create_database, ensure_instance
from spanner.emulator import find_emulator_binary, start_binary
from spanner.live_schema import ColumnShape, IndexShape, SchemaShape, read_shape
from spanner.schema import SCHEMA_ROOT, schema_statements

SCRATCH_PROJECT, SCRATCH_INSTANCE = "schema-drift", "schema-drift"


class DriftCheckError(RuntimeError):
    """The expected shape cannot be made: no emulator to apply the schema files on."""


@dataclass(frozen=True)
class Drift:
    table: str  # the table it concerns
    change: str  # one line, in words


@contextmanager
def scratch_instance(emulator_binary: str | None, log_dir: Path) -> Iterator[Instance]:
    """An instance on a private emulator, stopped when the block ends."""
    binary = find_emulator_binary(emulator_binary)
    if binary is None:
        raise DriftCheckError(
            "the schema drift check applies spanner/schema/ to a private Spanner emulator and "
            "found none: install google-cloud-cli-spanner-emulator or set "
            "SPANNER_EMULATOR_BINARY to emulator_main"
        )
    backend = start_binary(binary, log_dir / "schema-drift")
    try:
        client = connect(SCRATCH_PROJECT, backend.emulator_host)
        yield ensure_instance(client, SCRATCH_INSTANCE, emulator=True)
    finally:
        backend.stop()


def expected_shapes(
    instance: Instance, databases: list[str], schema_root: Path = SCHEMA_ROOT
) -> dict[str, SchemaShape]:
    """Each database's schema files applied to a scratch database, and read back."""
    shapes = {}
    for name in databases:
        scratch = create_database(
            instance, f"drift-{uuid.uuid4().hex[:20]}", schema_statements(name, schema_root)
        )
        try:
            shapes[name] = read_shape(scratch)
        finally:
            scratch.drop()
    return shapes


def _column_words(column: ColumnShape) -> str:
    words = [column.spanner_type, "nullable" if column.nullable else "NOT NULL"]
    if column.allows_commit_timestamp:
        words.append("allow_commit_timestamp")
    return " ".join(words)


def _index_words(index: IndexShape) -> str:
    kind = " ".join(
        word
        for word, present in (("UNIQUE", index.unique), ("NULL_FILTERED", index.null_filtered))
        if present
    )
    text = f"{kind + ' ' if kind else ''}INDEX ON {index.table}({', '.join(index.columns)})"
    if index.storing:
        text += f" STORING ({', '.join(index.storing)})"
    if index.interleaved_in:
        text += f", INTERLEAVE IN {index.interleaved_in}"
    return text


def _added_missing(expected: Mapping, live: Mapping) -> tuple[list, list, list]:
    added = sorted(set(live) - set(expected))
    missing = sorted(set(expected) - set(live))
    both = sorted(set(expected) & set(live))
    return added, missing, both


def compare(expected: SchemaShape, live: SchemaShape) -> list[Drift]:
    """Every way the live shape differs from the expected one."""
    drifts: list[Drift] = []
    added, missing, both = _added_missing(expected.tables, live.tables)
    drifts += [Drift(t, "table added: in the live database, not in the schema") for t in added]
    drifts += [Drift(t, "table missing: in the schema, not in the live database") for t in missing]
    for name in both:
        drifts += _table_drift(name, expected.tables[name], live.tables[name])
    added, missing, both = _added_missing(expected.indexes, live.indexes)
    for name in added:
        index = live.indexes[name]
        drifts.append(Drift(index.table, f"index {name} added: {_index_words(index)}"))
    for name in missing:
        index = expected.indexes[name]
        drifts.append(Drift(index.table, f"index {name} missing: {_index_words(index)}"))
    for name in both:
        was, now = expected.indexes[name], live.indexes[name]
        if was != now:
            drifts.append(
                Drift(
                    now.table,
                    f"index {name} changed: {_index_words(was)} in the schema, "
                    f"{_index_words(now)} live",
                )
            )
    added, missing, both = _added_missing(expected.foreign_keys, live.foreign_keys)
    for key in added:
        drifts.append(Drift(key.split("(")[0], f"foreign key added: {key}"))
    for key in missing:
        drifts.append(Drift(key.split("(")[0], f"foreign key missing: {key}"))
    for key in both:
        was, now = expected.foreign_keys[key].on_delete, live.foreign_keys[key].on_delete
        if was != now:
            drifts.append(
                Drift(
                    key.split("(")[0],
                    f"foreign key {key}: ON DELETE {was} in the schema, {now} live",
                )  # fmt: skip
            )
    return drifts


def _table_drift(table: str, was, now) -> list[Drift]:
    drifts = []
    added, missing, both = _added_missing(was.columns, now.columns)
    for column in added:
        words = _column_words(now.columns[column])
        drifts.append(Drift(table, f"column {column} added: {words}, not in the schema"))
    for column in missing:
        words = _column_words(was.columns[column])
        drifts.append(Drift(table, f"column {column} missing: {words} in the schema"))
    for column in both:
        old, new = was.columns[column], now.columns[column]
        if old.spanner_type != new.spanner_type:
            drifts.append(
                Drift(
                    table,
                    f"column {column} changed type: {old.spanner_type} in the schema, "
                    f"{new.spanner_type} live",
                )
            )
        if old.nullable != new.nullable:
            words = {True: "nullable", False: "NOT NULL"}
            drifts.append(
                Drift(
                    table,
                    f"column {column} changed nullability: {words[old.nullable]} in the schema, "
                    f"{words[new.nullable]} live",
                )
            )
        if old.allows_commit_timestamp != new.allows_commit_timestamp:
            words = {True: "allows", False: "does not allow"}
            drifts.append(
                Drift(
                    table,
                    f"column {column} {words[new.allows_commit_timestamp]} commit timestamps "
                    f"live, and {words[old.allows_commit_timestamp]} them in the schema",
                )
            )
    if was.primary_key != now.primary_key:
        drifts.append(
            Drift(
                table,
                f"key columns changed: ({', '.join(was.primary_key)}) in the schema, "
                f"({', '.join(now.primary_key)}) live",
            )
        )
    if (was.parent, was.on_delete) != (now.parent, now.on_delete):
        drifts.append(
            Drift(
                table,
                f"interleaving changed: {_interleaving(was)} in the schema, "
                f"{_interleaving(now)} live",
            )
        )
    return drifts


def _interleaving(table) -> str:
    if not table.parent:
        return "not interleaved"
    return f"INTERLEAVE IN PARENT {table.parent} ON DELETE {table.on_delete}"


def describe(database: str, where: str, drifts: list[Drift]) -> str:
    """The differences of one database, table by table, for a person to read."""
    if not drifts:
        return f"database {database}: as {where} describes it"
    lines = [f"database {database} differs from {where}:"]
    for table in sorted({drift.table for drift in drifts}):
        lines.append(f"  table {table}:")
        lines += [f"    - {drift.change}" for drift in drifts if drift.table == table]
    return "\n".join(lines)
