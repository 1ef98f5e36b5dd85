"""Checks of database state that read like the feature: rows, counts, query results.

Expected values may be typed (from YAML) or text (from a Gherkin table). Text is read the way
the actual value is typed: "499" equals NUMERIC 499.00, "today+30d" a DATE, "true" a BOOL.
`null` means NULL, `<any>` anything, `<not null>` anything but NULL. Only the columns named in
the expected rows are compared, and row order never matters. Checks poll until they pass or the
timeout ends, because the app may finish its work a moment after the page shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import tenacity
from google.cloud.spanner_v1.database import Database

from spanner.clock import parse_relative
from spanner.evidence import Attachment, collecting, emit
from spanner.live_schema import SchemaReferenceError, Table
from spanner.query import Row, query
from spanner.tables import render_table, show, side_by_side

ANY, NOT_NULL, NULL_WORDS = "<any>", "<not null>", ("null", "<null>")


def value_matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str):
        word = expected.strip()
        if word == ANY:
            return True
        if word == NOT_NULL:
            return actual is not None
        if word.lower() in NULL_WORDS:
            return actual is None
    if actual is None:
        return expected is None
    if expected is None:
        return False
    try:
        return _coerce(expected, actual) == actual
    except (ValueError, TypeError, KeyError, InvalidOperation):
        return False


def _coerce(expected: Any, actual: Any) -> Any:
    if isinstance(actual, bool):
        if isinstance(expected, str):
            return {"true": True, "false": False}[expected.strip().lower()]
        return expected
    if isinstance(actual, Decimal):
        return Decimal(str(expected).strip().replace(",", ""))
    if isinstance(actual, int):
        if isinstance(expected, bool):
            raise TypeError("a boolean is not a number")
        return int(str(expected).strip().replace(",", ""))
    if isinstance(actual, float):
        return float(expected)
    if isinstance(actual, datetime):
        if isinstance(expected, datetime):
            return expected
        relative = parse_relative(str(expected))
        if isinstance(relative, datetime):
            return relative
        return datetime.fromisoformat(str(expected).strip().replace("Z", "+00:00"))
    if isinstance(actual, date):
        if isinstance(expected, date):
            return expected
        relative = parse_relative(str(expected))
        return relative if relative is not None else date.fromisoformat(str(expected).strip())
    if isinstance(actual, str):
        return expected if isinstance(expected, str) else show(expected)
    return expected


def row_matches(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> bool:
    return all(value_matches(value, actual.get(column)) for column, value in expected.items())


def match_rows(
    expected: Sequence[Mapping[str, Any]], actual: Sequence[Mapping[str, Any]]
) -> tuple[list[int], list[int]]:
    """Pair expected with actual rows; return indexes of unmatched expected and actual rows."""
    free = list(range(len(actual)))
    missing = []
    for index, wanted in enumerate(expected):
        found = next((i for i in free if row_matches(wanted, actual[i])), None)
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
    """A WHERE clause of column = @pN; the columns must exist in the table."""
    where = dict(where or {})
    table_columns(table, list(where))
    if not where:
        return "", {}
    conditions = " AND ".join(f"`{column}` = @p{i}" for i, column in enumerate(where))
    return f" WHERE {conditions}", {f"p{i}": value for i, value in enumerate(where.values())}


def select_rows(
    database: Database,
    table: Table,
    columns: Sequence[str],
    where: Mapping[str, Any] | None = None,
) -> list[Row]:
    """SELECT the named columns, filtered by column = value; identifiers come from the schema."""
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


def assert_count(fetch: Callable[[], int], expected: int, title: str, timeout: float) -> None:
    def check() -> None:
        count = fetch()
        if count != expected:
            raise AssertionError(f"{title}: expected {expected} row(s), found {count}")

    eventually(check, timeout)
