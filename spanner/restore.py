"""Put a database back to the rows it was last given, writing only what changed since.

After each write the rows' digests are known (spanner/fingerprint.py), so a restore asks
Spanner for every table's print in one query and compares it with the print those rows make:
an unchanged table costs nothing more. A changed table has its rows' digests read; the rows
that are not wanted are deleted (children first) and the wanted rows that are missing or differ
are written again with every column (parents first), in one commit per database. Rows with
values known only at writing (RAW=NOW(), commit timestamps) are written on every restore, as a
fresh seed would, and their digests read again.

A small database (WHOLE_WRITE_ROWS) that changed is emptied and written whole instead, in one
commit, as is a database whose state is not known (never written here, or a restore that
failed; spanner/seeding.py, spanner/baseline.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.keyset import KeySet

from spanner.fingerprint import Key, TablePrint, key_of, key_values, row_digests, table_print
from spanner.fingerprint import table_prints as read_prints
from spanner.fixtures import FixtureRow
from spanner.live_schema import Table, parents_first
from spanner.seeding import replace_contents
from spanner.side_by_side import side_by_side
from spanner.testfixtures_values import AtWriting, at_writing
from spanner.transactions import run_in_transaction

# a database of at most this many rows is written whole on every restore: for a few rows one
# commit costs less than the fingerprint query (the emulator plans it anew each time)
WHOLE_WRITE_ROWS = 200


@dataclass
class TableState:
    """The rows a table was last given (key -> values as in the fixture), and the digest each
    has in Spanner when it is as written (absent: not known)."""

    rows: dict[Key, dict[str, Any]] = field(default_factory=dict)
    digests: dict[Key, int] = field(default_factory=dict)

    def expected_print(self) -> TablePrint | None:
        if len(self.digests) != len(self.rows):
            return None
        return table_print(self.digests.values())


@dataclass
class DatabaseState:
    tables: dict[str, TableState] = field(default_factory=dict)
    # the rows last asked for, as given (a Seed's mapping) and by table and key, with the keys
    # of rows written at writing: worked out again only for other rows (tens of ms at 10,000)
    source: Mapping[str, list[FixtureRow]] | None = None
    wanted: dict[str, dict[Key, dict[str, Any]]] = field(default_factory=dict)
    fresh: dict[str, set[Key]] = field(default_factory=dict)

    def want(
        self, tables: Mapping[str, Table], rows: Mapping[str, list[FixtureRow]]
    ) -> tuple[dict[str, dict[Key, dict[str, Any]]], dict[str, set[Key]]]:
        if self.source is not rows:
            self.wanted = {name: wanted_rows(t, rows.get(name, [])) for name, t in tables.items()}
            self.fresh = {name: _fresh(found) for name, found in self.wanted.items()}
            self.source = rows
        return self.wanted, self.fresh


@dataclass
class RestoreReport:
    """What one restore of one database did: for the benchmark and the tests."""

    queries: int = 0
    changed_tables: list[str] = field(default_factory=list)
    deleted: int = 0
    written: int = 0


def wanted_rows(table: Table, rows: list[FixtureRow]) -> dict[Key, dict[str, Any]]:
    return {key_of(key_values(row.values, table)): row.values for row in rows}


def written_at_writing(values: Mapping[str, Any]) -> bool:
    """Whether the row holds a value known only when it is written."""
    return any(
        isinstance(value, AtWriting)
        or (isinstance(value, str) and value == spanner.COMMIT_TIMESTAMP)
        for value in values.values()
    )


def record(
    database: Database, tables: Mapping[str, Table], rows: Mapping[str, list[FixtureRow]]
) -> DatabaseState:
    """The state of a database just given `rows` (every table), with the digests read back
    (a small database: no digests, it is written whole each time)."""
    state = DatabaseState()
    wanted, _ = state.want(tables, rows)
    if _is_small(wanted):
        state.tables = {name: TableState(wanted[name]) for name in tables}
        return state
    found = read_digests(database, {name: tables[name] for name in tables if wanted[name]})
    for name in tables:
        digests = {key: digest for key, (_, digest) in found.get(name, {}).items()}
        state.tables[name] = TableState(wanted[name], digests)
    return state


def restore(
    database: Database,
    tables: Mapping[str, Table],
    rows: Mapping[str, list[FixtureRow]],
    state: DatabaseState,
    moment: datetime,
) -> RestoreReport:
    """Make the database hold exactly `rows`, given it held `state` after the last write;
    `state` is updated to the new rows. `moment` is the time RAW=NOW() stands for."""
    wanted, fresh = state.want(tables, rows)
    if _is_small(wanted):
        return _write_whole(database, tables, rows, wanted, state, moment)
    report = RestoreReport(queries=1)
    # a table that should be empty is checked by its count alone (a digest costs time to plan)
    empty = {name for name, old in state.tables.items() if not old.rows}
    prints = read_prints(database, tables.values(), counted_only=empty)
    changed = []
    for name in tables:
        old = state.tables.setdefault(name, TableState())
        expected = old.expected_print()
        same_rows = old.rows is wanted[name] or old.rows == wanted[name]
        if prints[name] != expected or not same_rows or fresh[name]:
            changed.append(name)
    report.changed_tables = changed
    to_read = [name for name in changed if prints[name] != state.tables[name].expected_print()]
    read = read_digests(database, {name: tables[name] for name in to_read})
    report.queries += len(to_read)
    plans: dict[str, tuple[list[Key], list[dict[str, Any]]]] = {}
    for name in changed:
        plans[name] = _plan(
            tables[name], state.tables[name], wanted[name], fresh[name], read.get(name)
        )
    if plans:
        _write(database, tables, plans, moment)
        report.deleted = sum(len(gone) for gone, _ in plans.values())
        report.written = sum(len(written) for _, written in plans.values())
    unknown = [name for name in plans if state.tables[name].expected_print() is None]
    for name, found in read_digests(database, {name: tables[name] for name in unknown}).items():
        state.tables[name].digests = {key: digest for key, (_, digest) in found.items()}
    report.queries += len(unknown)
    return report


def _is_small(wanted: Mapping[str, Mapping[Key, Any]]) -> bool:
    return sum(len(rows) for rows in wanted.values()) <= WHOLE_WRITE_ROWS


def _write_whole(
    database: Database,
    tables: Mapping[str, Table],
    rows: Mapping[str, list[FixtureRow]],
    wanted: Mapping[str, dict[Key, dict[str, Any]]],
    state: DatabaseState,
    moment: datetime,
) -> RestoreReport:
    """Empty every table and write the rows again, in one commit, without asking what changed:
    for a few rows that costs less than the query that would tell."""
    replace_contents(database, tables, rows, moment)
    for name in tables:
        state.tables[name] = TableState(wanted[name])
    written = sum(len(found) for found in wanted.values())
    return RestoreReport(queries=0, changed_tables=list(tables), written=written)


def read_digests(
    database: Database, tables: Mapping[str, Table]
) -> dict[str, dict[Key, tuple[Key, int]]]:
    """Several tables' row digests, read side by side."""
    return side_by_side(
        {name: partial(row_digests, database, table) for name, table in tables.items()}
    )


def _fresh(wanted: Mapping[Key, Mapping[str, Any]]) -> set[Key]:
    return {key for key, values in wanted.items() if written_at_writing(values)}


def _plan(
    table: Table,
    old: TableState,
    wanted: dict[Key, dict[str, Any]],
    fresh: set[Key],
    current: dict[Key, tuple[Key, int]] | None,
) -> tuple[list[Key], list[dict[str, Any]]]:
    """The keys to delete and the rows to write for one table; `old` becomes the new state.
    `current`: the table's rows' digests as read now (None: as `old` knows them)."""
    if current is None:  # the table holds old.rows
        current = {
            key: (key_values(values, table), old.digests.get(key))
            for key, values in old.rows.items()
        }
    gone = [spanner_key for key, (spanner_key, _) in current.items() if key not in wanted]
    write = [
        values
        for key, values in wanted.items()
        if key not in current
        or key in fresh
        or old.rows.get(key) != values
        or old.digests.get(key) is None
        or current[key][1] != old.digests[key]
    ]
    # what stays known: the digests of rows kept as they were, and of rows written again with
    # the same values as before
    old.digests = {
        key: digest
        for key, digest in old.digests.items()
        if key in wanted and key not in fresh and old.rows.get(key) == wanted[key]
    }
    old.rows = wanted
    return gone, write


def _write(
    database: Database,
    tables: Mapping[str, Table],
    plans: Mapping[str, tuple[list[Key], list[dict[str, Any]]]],
    moment: datetime,
) -> None:
    order = [name for name in parents_first(dict(tables)) if name in plans]
    children = {table.parent for table in tables.values() if table.parent}
    writes = {name: _mutations(tables[name], plans[name][1], moment, name in children)
              for name in order}  # fmt: skip

    def work(transaction) -> None:
        for name in reversed(order):
            gone = plans[name][0]
            if gone:
                transaction.delete(name, KeySet(keys=[list(key) for key in gone]))
        for name in order:
            for kind, columns, values in writes[name]:
                getattr(transaction, kind)(name, columns, values)

    run_in_transaction(database, work)


class NeedsFullWrite(RuntimeError):
    """A row cannot be written again in place; the database must be written whole."""


def _mutations(
    table: Table, rows: list[dict[str, Any]], moment: datetime, has_children: bool
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Rows as insert_or_update of every column (an omitted one is NULL, as on insert), or as
    replace where a row leaves a column to its default (replace would delete a parent's
    interleaved children, so such a parent row is refused)."""
    columns = [c.name for c in table.columns.values() if not c.generated]
    defaults = {c.name for c in table.columns.values() if c.has_default and not c.generated}
    groups: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
    for row in rows:
        values = at_writing(row, moment)
        if defaults - set(values):
            if has_children:
                raise NeedsFullWrite(
                    f"a row of {table.name} leaves a column to its default and has children"
                )
            own = tuple(values)
            groups.setdefault(("replace", own), []).append([values[c] for c in own])
        else:
            groups.setdefault(("insert_or_update", tuple(columns)), []).append(
                [values.get(column) for column in columns]
            )
    return [(kind, list(names), values) for (kind, names), values in groups.items()]
