"""Generic database checks and set-up, in words a product owner can follow."""

from __future__ import annotations

import re

from behave import given, then, when

from base.placeholders import resolve
from harness.step_types import table_rows
from spanner.assertions import (
    assert_count,
    assert_rows,
    count_rows,
    select_rows,
    table_columns,
)
from spanner.expected_state import check_expected_state
from spanner.query import query
from spanner.writes import add_rows


def _table(context, database: str, name: str):
    return context.db.table(database, name)


@then('the {database:Database} database table "{table}" contains:')
def step_table_contains(context, database, table):
    """The listed rows are in the table (only the listed columns are compared, in any order)."""
    _check_table(context, database, table, exact=False)


@then('the {database:Database} database table "{table}" contains exactly:')
def step_table_contains_exactly(context, database, table):
    """The table holds the listed rows and no others (listed columns compared, any order)."""
    _check_table(context, database, table, exact=True)


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


@then(
    'the {database:Database} database has {count:Count} row in "{table}" where {where:Conditions}'
)
@then(
    'the {database:Database} database has {count:Count} rows in "{table}" where {where:Conditions}'
)
def step_row_count_where(context, database, count, table, where):
    """Counts the rows whose columns have the given values."""
    spanner_table = _table(context, database, table)
    conditions = {column: resolve(value, context.learned) for column, value in where.items()}
    typed = _typed_conditions(spanner_table, conditions)
    assert_count(
        lambda: count_rows(context.db[database], spanner_table, typed),
        count,
        f'{database} database, "{table}" where {where}',
        context.settings.db_poll_timeout,
    )


@then('the {database:Database} database has {count:Count} rows in "{table}"')
def step_row_count(context, database, count, table):
    """Counts every row of the table."""
    spanner_table = _table(context, database, table)
    assert_count(
        lambda: count_rows(context.db[database], spanner_table),
        count,
        f'{database} database, "{table}"',
        context.settings.db_poll_timeout,
    )


def _typed_conditions(table, conditions: dict) -> dict:
    return {
        column: table.typed(column, value) if isinstance(value, str) else value
        for column, value in conditions.items()
    }


@when("the {database:Database} database is asked:")
def step_ask_database(context, database):
    """Runs the SQL in the doc string; `@name` parameters come from what the scenario learned."""
    sql = context.text
    context.query_rows = lambda: query(
        context.db[database], sql, _used_params(sql, context.learned)
    )
    context.query_title = f"query on the {database} database"


@then("the answer is:")
def step_answer_is(context):
    """The rows of the last query are exactly the rows of the table (any order)."""
    assert_rows(
        context.query_rows,
        table_rows(context.table, context.learned),
        context.query_title,
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then("the answer has no rows")
def step_answer_empty(context):
    """The last query returns nothing."""
    assert_rows(
        context.query_rows,
        [],
        context.query_title,
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then('the {database:Database} database matches "{path}"')
def step_matches_expected_state(context, database, path):
    """Compares the database with an expected-state file (see spanner/expected_state.py)."""
    check_expected_state(
        context.db[database],
        context.db.tables(database),
        context.fixtures.expected(context.fixture_folder, path),
        context.learned,
        context.settings.db_poll_timeout,
    )


@given('the {database:Database} database also has these "{table}" rows:')
def step_insert_rows(context, database, table):
    """Adds rows for this scenario only; values are typed like fixture values."""
    context.spanner.check_destructive(f"add rows to {table}")
    spanner_table = _table(context, database, table)
    add_rows(context.db[database], spanner_table, table_rows(context.table, context.learned))


def _used_params(sql: str, learned: dict) -> dict:
    named = set(re.findall(r"@(\w+)", sql))
    missing = sorted(named - set(learned))
    if missing:
        raise ValueError(
            f"the query uses @{', @'.join(missing)}, which this scenario has not learned "
            f"(learned so far: {', '.join(sorted(learned)) or 'nothing'})"
        )
    return {name: value for name, value in learned.items() if name in named}
