"""Generic database checks and set-up, in words a product owner can follow.

Values in tables and conditions use the notation of spanner/conditions.py (`> 5`, `null`,
`like 'ACME%'`, `within 5 minutes of now`, ...); `{name}` is a value remembered earlier in the
scenario and `@name` the same value inside SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import allure
from behave import given, then, when
from google.api_core.exceptions import GoogleAPICallError

from base.placeholders import resolve
from harness.step_types import table_rows
from spanner.assertions import (
    assert_absent,
    assert_count,
    assert_rows,
    count_rows,
    eventually,
    select_rows,
    table_columns,
)
from spanner.expected_state import check_expected_state
from spanner.query import query
from spanner.statements import (
    CHANGE,
    QUERY,
    first_word,
    kind_of,
    one_line,
    parameters,
    run_change,
    spanner_message,
    split_statements,
)
from spanner.tables import show
from spanner.writes import add_rows


def _table(context, database: str, name: str):
    return context.db.table(database, name)


@then('the {database:Database} database table "{table}" contains:')
def step_table_contains(context, database, table):
    """The listed rows are in the table (listed columns, any order; a cell may be `> 5`, `null`…).

    Example: Then the users database table "Users" contains:
    """
    _check_table(context, database, table, exact=False)


@then('the {database:Database} database table "{table}" contains exactly:')
def step_table_contains_exactly(context, database, table):
    """The table holds the listed rows and no others (cells as in "contains:").

    Example: Then the billing database table "Plans" contains exactly:
    """
    _check_table(context, database, table, exact=True)


@then('the {database:Database} database table "{table}" does not contain:')
def step_table_does_not_contain(context, database, table):
    """No row of the table matches a listed row (cells as in "contains:"; waits for them to go).

    Example: Then the users database table "Users" does not contain:
    """
    spanner_table = _table(context, database, table)
    unwanted = table_rows(context.table, context.learned)
    columns = table_columns(spanner_table, context.table.headings)
    assert_absent(
        lambda: select_rows(context.db[database], spanner_table, columns),
        unwanted,
        f'{database} database, table "{table}"',
        timeout=context.settings.db_poll_timeout,
    )


def _check_table(context, database: str, name: str, exact: bool) -> None:
    table = _table(context, database, name)
    expected = table_rows(context.table, context.learned)
    columns = table_columns(table, context.table.headings)
    assert_rows(
        lambda: select_rows(context.db[database], table, columns),
        expected,
        f'{database} database, table "{name}"',
        exact=exact,
        timeout=context.settings.db_poll_timeout,
    )


# where-variants first: behave takes the first pattern that matches, and "{table}" alone would
# also swallow `T" where X is "y`
@then(
    'the {database:Database} database has {count:Count} row in "{table}" where {where:Conditions}'
)
@then(
    'the {database:Database} database has {count:Count} rows in "{table}" where {where:Conditions}'
)
def step_row_count_where(context, database, count, table, where):
    """Counts the rows that meet the conditions.

    Example: Then the users database has 2 rows in "Users" where Role is "admin"
    """
    _check_count(context, database, table, count, where)


@then('the {database:Database} database has no rows in "{table}" where {where:Conditions}')
def step_no_rows_where(context, database, table, where):
    """No row of the table meets the conditions.

    Example: Then the users database has no rows in "Users" where Email is "x@example.com"
    """
    _check_count(context, database, table, 0, where)


@then('the {database:Database} database has {count:Count} row in "{table}"')
@then('the {database:Database} database has {count:Count} rows in "{table}"')
def step_row_count(context, database, count, table):
    """Counts every row of the table.

    Example: Then the billing database has 3 rows in "Plans"
    """
    _check_count(context, database, table, count, {})


@then('the {database:Database} database has no rows in "{table}"')
def step_no_rows(context, database, table):
    """The table is empty.

    Example: Then the users database has no rows in "Invitations"
    """
    _check_count(context, database, table, 0, {})


def _check_count(context, database: str, table: str, count: int, where: Mapping) -> None:
    if '"' in table:  # the where-pattern did not match, so "{table}" took the conditions too
        written = table.split('"', 1)[1].strip() + '"'
        raise ValueError(
            f'cannot read the conditions in {written!r}: write them as Column is "value", '
            'joined by and: where Status is "active" and Seats is "> 5"'
        )
    spanner_table = _table(context, database, table)
    conditions = _conditions(context, where)
    title = f'{database} database, "{table}"' + (f" where {_written(where)}" if where else "")
    assert_count(
        lambda: count_rows(context.db[database], spanner_table, conditions),
        count,
        title,
        context.settings.db_poll_timeout,
    )


def _conditions(context, where: Mapping[str, str]) -> dict[str, Any]:
    return {column: resolve(value, context.learned) for column, value in where.items()}


def _written(where: Mapping[str, str]) -> str:
    return " and ".join(f'{column} is "{value}"' for column, value in where.items())


@when("the {database:Database} database is changed by:")
def step_change_database(context, database):
    """Runs the doc string's INSERT, UPDATE or DELETE in one transaction; says how many rows.

    `@name` in the SQL is a value remembered earlier; refused in a read-only (smoke) run.
    Example: When the users database is changed by:
    """
    step = f'"When the {database} database is changed by:"'
    sql = _doc_string(context, step)
    for statement in split_statements(sql):
        if kind_of(statement) != CHANGE:
            raise ValueError(
                f"{step} runs statements that change data (INSERT, UPDATE, DELETE, MERGE), "
                f'and this one starts with {first_word(statement)}: ask questions with "When the '
                f'{database} database is asked:"'
            )
    context.spanner.check_destructive(f"change the {database} database")
    params = parameters(sql, context.learned)
    try:
        change = run_change(context.db[database], sql, params)
    except GoogleAPICallError as error:
        raise AssertionError(_refused(database, "change", error, sql)) from None
    context.changed_rows = change.changed
    if change.returned:
        returned = change.returned
        context.query_rows = lambda: returned
        context.query_title = f"rows returned by the change of the {database} database"
    allure.attach(
        f"{change.changed} row(s) changed in the {database} database",
        name="rows changed",
        attachment_type=allure.attachment_type.TEXT,
    )
    print(f"{change.changed} row(s) changed in the {database} database")


@then("{count:Count} row was changed")
@then("{count:Count} rows were changed")
def step_rows_changed(context, count):
    """The last change of the database changed that many rows.

    Example: Then 2 rows were changed
    """
    _check_changed(context, count)


@then("no rows were changed")
def step_no_rows_changed(context):
    """The last change of the database changed no row.

    Example: Then no rows were changed
    """
    _check_changed(context, 0)


def _check_changed(context, count: int) -> None:
    changed = getattr(context, "changed_rows", None)
    if changed is None:
        raise ValueError('no database was changed in this scenario yet ("is changed by:")')
    if changed != count:
        raise AssertionError(f"expected {count} changed row(s), the change changed {changed}")


@when("the {database:Database} database is asked:")
def step_ask_database(context, database):
    """Runs the query in the doc string now (a change is refused); `@name` is a remembered value.

    "the answer is:" then checks its rows, asking again until they match or the time is up.
    Example: When the billing database is asked:
    """
    step = f'"When the {database} database is asked:"'
    sql = _doc_string(context, step)
    statements = split_statements(sql)
    if len(statements) != 1:
        raise ValueError(f"{step} asks one query at a time; the doc string has {len(statements)}")
    if kind_of(sql) != QUERY:
        raise ValueError(
            f"{step} only reads, and this SQL changes the database ({first_word(sql)}): "
            f'change data with "When the {database} database is changed by:"'
        )
    params = parameters(sql, context.learned)

    def fetch() -> list[dict[str, Any]]:
        try:
            return query(context.db[database], sql, params)
        except GoogleAPICallError as error:
            raise AssertionError(_refused(database, "query", error, sql)) from None

    fetch()
    context.query_rows = fetch
    context.query_title = f"query on the {database} database"


def _doc_string(context, step: str) -> str:
    if not (context.text or "").strip():
        raise ValueError(f"{step} needs the SQL in a doc string (between lines of three quotes)")
    return context.text


def _refused(database: str, what: str, error: GoogleAPICallError, sql: str) -> str:
    return (
        f"the {database} database refused the {what}: {spanner_message(error)}\n"
        f"SQL: {one_line(sql)}"
    )


def _answer(context):
    fetch = getattr(context, "query_rows", None)
    if fetch is None:
        raise ValueError('no question was asked in this scenario yet ("is asked:")')
    return fetch


@then("the answer is:")
def step_answer_is(context):
    """The last query's rows are exactly the table's (any order; cells as in table checks).

    Example: Then the answer is:
    """
    fetch, headings = _answer(context), context.table.headings

    def rows() -> list[dict[str, Any]]:
        found = fetch()
        unknown = [h for h in headings if found and h not in found[0]]
        if unknown:
            raise ValueError(
                f"the answer has no column {', '.join(unknown)} "
                f"(its columns: {', '.join(found[0])})"
            )
        return found

    assert_rows(
        rows,
        table_rows(context.table, context.learned),
        context.query_title,
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then("the answer has no rows")
def step_answer_empty(context):
    """The last query returns nothing.

    Example: Then the answer has no rows
    """
    assert_rows(
        _answer(context),
        [],
        context.query_title,
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@when('I remember the answer\'s "{column}" as {{{name:w}}}')
def step_remember_answer(context, column, name):
    """Remembers a column of the last query's only row, for `{name}` and `@name` later.

    Example: When I remember the answer's "TenantID" as {tenant}
    """
    rows = _answer(context)()
    if len(rows) != 1:
        raise AssertionError(
            f'cannot remember "{column}" of the answer: it has {len(rows)} rows, not one'
        )
    _remember(context, rows[0], column, name, "the answer")


@when(
    'I remember "{column}" of the {database:Database} database\'s "{table}" row '
    "where {where:Conditions} as {{{name:w}}}"
)
def step_remember_row(context, column, database, table, where, name):
    """Remembers a column of the one row that meets the conditions (waits for it to exist).

    Example: When I remember "TenantID" of the users database's "Tenants" row where Domain is "acme.example" as {tenant}
    """  # noqa: E501 - the example is one Gherkin line
    spanner_table = _table(context, database, table)
    table_columns(spanner_table, [column])
    conditions = _conditions(context, where)
    found: list[dict[str, Any]] = []

    def check() -> None:
        found[:] = select_rows(context.db[database], spanner_table, [column], conditions)
        if len(found) != 1:
            raise AssertionError(
                f'cannot remember "{column}": the {database} database has {len(found)} rows '
                f'in "{table}" where {_written(where)}, not one'
            )

    eventually(check, context.settings.db_poll_timeout)
    _remember(context, found[0], column, name, f'the "{table}" row')


def _remember(context, row: Mapping[str, Any], column: str, name: str, source: str) -> None:
    if column not in row:
        raise ValueError(f'{source} has no column "{column}" (columns: {", ".join(row)})')
    context.learned[name] = row[column]
    allure.attach(
        f"{name} = {show(row[column])}",
        name=f"remembered {name}",
        attachment_type=allure.attachment_type.TEXT,
    )


@then('the {database:Database} database matches "{path}"')
def step_matches_expected_state(context, database, path):
    """Compares the database with an expected-state file (see spanner/expected_state.py).

    Example: Then the users database matches "expected/after_signup.yaml"
    """
    check_expected_state(
        context.db[database],
        context.db.tables(database),
        context.fixtures.expected(context.fixture_folder, path),
        context.learned,
        context.settings.db_poll_timeout,
    )


@given('the {database:Database} database also has these "{table}" rows:')
def step_insert_rows(context, database, table):
    """Adds rows for this scenario only; values are typed like fixture values.

    Example: Given the billing database also has these "Coupons" rows:
    """
    context.spanner.check_destructive(f"add rows to {table}")
    spanner_table = _table(context, database, table)
    add_rows(context.db[database], spanner_table, table_rows(context.table, context.learned))
