"""Checks of database state that read like the feature: rows, counts, query results.

Expected values may be typed (from YAML) or text (from a Gherkin table). Text is read in the
notation of spanner/conditions.py, the way the actual value is typed: "499" equals NUMERIC
499.00, "today+30d" a DATE, "true" a BOOL, "> 5" any larger number, `null` NULL, `<any>`
anything. Only the columns named in the expected rows are compared, and row order never
matters. Checks poll until they pass or the timeout ends, because the app may finish its work a
moment after the page shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import tenacity
from google.cloud.spanner_v1.database import Database

from spanner.conditions import NotationError, parse_condition, where_clause
from spanner.evidence import Attachment, collecting, emit
from spanner.live_schema import SchemaReferenceError, Table
from spanner.query import Row, query
from spanner.tables import render_table, show, side_by_side


def value_matches(expected: Any, actual: Any) -> bool:
    """Whether a value read meets an expected value or condition (spanner/conditions.py)."""
    return parse_condition(expected).matches(actual)


def row_matches(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> bool:
    """Every expected column matches; each is compared, so a cell the notation cannot read is
    reported whichever column differs first."""
    matched = True
    for column, value in expected.items():
        try:
            matched = value_matches(value, actual.get(column)) and matched
        except NotationError as error:
            raise NotationError(f'column {column}, cell "{show(value)}": {error}') from None
    return matched


def check_notation(expected: Sequence[Mapping[str, Any]]) -> None:
    """Read every cell before any comparison: a cell the notation cannot read names its place."""
    for index, row in enumerate(expected, start=1):
        for column, value in row.items():
            try:
                parse_condition(value)
            except NotationError as error:
                raise NotationError(
                    f'expected row {index}, column {column}, cell "{show(value)}": {error}'
                ) from None


def match_rows(
    expected: Sequence[Mapping[str, Any]], actual: Sequence[Mapping[str, Any]]
) -> tuple[list[int], list[int]]:
    """Pair expected with actual rows; return indexes of unmatched expected and actual rows."""
    check_notation(expected)
    free = list(range(len(actual)))
    missing = []
    for index, wanted in enumerate(expected):
        try:
            found = next((i for i in free if row_matches(wanted, actual[i])), None)
        except NotationError as error:
            raise NotationError(f"expected row {index + 1}, {error}") from None
        if found is None:
            missing.append(index)
        else:
            free.remove(found)
    return missing, free


def rows_report(
    title: str,
    expected: Sequence[Mapping[str, Any]],
    actual: Sequence[Mapping[str, Any]],
    missing: Sequence[int],
    extra: Sequence[int],
) -> str:
    columns = list(dict.fromkeys(column for row in expected for column in row)) or list(
        actual[0].keys() if actual else []
    )
    left = render_table(
        [{c: _show_expected(row.get(c)) for c in columns} for row in expected],
        columns,
        ["✗" if i in missing else " " for i in range(len(expected))],
    )
    right = (
        render_table(actual, columns, ["+" if i in extra else " " for i in range(len(actual))])
        if actual
        else "(no rows)"
    )
    summary = []
    if missing:
        summary.append(f"{len(missing)} expected row(s) not found (✗)")
    if extra:
        summary.append(f"{len(extra)} row(s) not expected (+)")
    body = side_by_side("expected", left, "actual", right)
    return f"{title}: {', '.join(summary)}\n{body}"


def _show_expected(value: Any) -> str:
    return value if isinstance(value, str) else show(value)


def eventually(check: Callable[[], None], timeout: float) -> None:
    """Run `check` until it stops raising AssertionError, for up to `timeout` seconds.

    The report gets the queries of the last attempt only, whether it passed or not.
    """
    last: list[Attachment] = []

    def attempt() -> None:
        with collecting() as held:
            try:
                check()
            finally:
                last[:] = held

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(AssertionError),
        wait=tenacity.wait_exponential(multiplier=0.02, max=0.5),
        stop=tenacity.stop_after_delay(timeout),
        reraise=True,
    )
    try:
        retrying(attempt)
    finally:
        emit(last)


def table_columns(table: Table, columns: Sequence[str]) -> list[str]:
    unknown = [c for c in columns if c not in table.columns]
    if unknown:
        raise SchemaReferenceError(
            f"table {table.name} has no column {', '.join(unknown)} "
            f"(columns: {', '.join(table.columns)})"
        )
    return list(columns)


def _where(table: Table, where: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """A WHERE clause of the conditions (spanner/conditions.py); the columns must exist."""
    where = dict(where or {})
    table_columns(table, list(where))
    return where_clause(table, where)


def select_rows(
    database: Database,
    table: Table,
    columns: Sequence[str],
    where: Mapping[str, Any] | None = None,
) -> list[Row]:
    """SELECT the named columns, filtered by conditions; identifiers come from the schema."""
    names = ", ".join(f"`{c}`" for c in table_columns(table, columns)) or "*"
    clause, params = _where(table, where)
    sql = f"SELECT {names} FROM `{table.name}`{clause}"  # noqa: S608 - identifiers checked
    return query(database, sql, params)


def count_rows(database: Database, table: Table, where: Mapping[str, Any] | None = None) -> int:
    clause, params = _where(table, where)
    sql = f"SELECT COUNT(*) AS n FROM `{table.name}`{clause}"  # noqa: S608 - identifiers checked
    return query(database, sql, params)[0]["n"]


def assert_rows(
    fetch: Callable[[], list[Row]],
    expected: Sequence[Mapping[str, Any]],
    title: str,
    exact: bool,
    timeout: float,
) -> list[Row]:
    """Poll `fetch` until its rows hold every expected row (and no others when exact)."""
    seen: list[Row] = []

    def check() -> None:
        rows = fetch()
        seen[:] = rows
        missing, extra = match_rows(expected, rows)
        extra = extra if exact else []
        if missing or extra:
            raise AssertionError(rows_report(title, expected, rows, missing, extra))

    eventually(check, timeout)
    return seen


def assert_absent(
    fetch: Callable[[], list[Row]],
    unwanted: Sequence[Mapping[str, Any]],
    title: str,
    timeout: float,
) -> None:
    """Poll `fetch` until none of its rows matches any unwanted row."""

    check_notation(unwanted)

    def check() -> None:
        rows = fetch()
        present = _present(unwanted, rows)
        if present:
            found = sorted({j for i in present for j in _matching(unwanted[i], rows)})
            columns = list(dict.fromkeys(column for row in unwanted for column in row))
            left = render_table(
                [{c: _show_expected(row.get(c)) for c in columns} for row in unwanted],
                columns,
                ["✗" if i in present else " " for i in range(len(unwanted))],
            )
            right = render_table(
                rows, columns, ["!" if j in found else " " for j in range(len(rows))]
            )
            raise AssertionError(
                f"{title}: {len(present)} row(s) that should not be there (✗) found (!)\n"
                + side_by_side("not expected", left, "actual", right)
            )

    eventually(check, timeout)


def _matching(wanted: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    return [j for j, row in enumerate(rows) if row_matches(wanted, row)]


def _present(unwanted: Sequence[Mapping[str, Any]], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    present = []
    for index, wanted in enumerate(unwanted):
        try:
            if _matching(wanted, rows):
                present.append(index)
        except NotationError as error:
            raise NotationError(f"row {index + 1}, {error}") from None
    return present


def assert_count(fetch: Callable[[], int], expected: int, title: str, timeout: float) -> None:
    def check() -> None:
        count = fetch()
        if count != expected:
            raise AssertionError(f"{title}: expected {expected} row(s), found {count}")

    eventually(check, timeout)
