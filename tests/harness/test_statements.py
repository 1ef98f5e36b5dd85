"""SQL from a feature (spanner/statements.py): its kind, its @name parameters, running a change."""

from __future__ import annotations

import pytest
from google.cloud.spanner_v1.database import Database

from spanner.live_schema import Table
from spanner.query import query
from spanner.statements import (
    CHANGE,
    QUERY,
    SCHEMA,
    StatementError,
    kind_of,
    parameters,
    parameters_of,
    run_change,
    split_statements,
)
from spanner.writes import add_rows


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("SELECT 1", QUERY),
        ("  -- who signed up\n  select * from Users", QUERY),
        ("WITH t AS (SELECT 1 AS x) SELECT x FROM t", QUERY),
        ("(SELECT 1) UNION ALL (SELECT 2)", QUERY),
        ("@{FORCE_INDEX=_BASE_TABLE} SELECT 1", QUERY),
        ("/* a note */ UPDATE Users SET Name = 'x' WHERE TRUE", CHANGE),
        ("insert into Users (Id) values ('u')", CHANGE),
        ("DELETE FROM Users WHERE TRUE", CHANGE),
        ("CREATE TABLE T (Id INT64) PRIMARY KEY (Id)", SCHEMA),
    ],
)
def test_a_statement_is_a_query_a_change_or_a_schema_change(sql: str, kind: str) -> None:
    assert kind_of(sql) == kind


def test_a_statement_of_no_known_kind_says_how_statements_start() -> None:
    with pytest.raises(StatementError, match="it starts with 'EXPLAIN'"):
        kind_of("EXPLAIN SELECT 1")


def test_semicolons_and_at_signs_in_literals_and_comments_are_text() -> None:
    sql = "UPDATE T SET A = 'x;@y' WHERE B = @b; -- no @c here;\nDELETE FROM T WHERE C = @d"
    assert split_statements(sql) == [
        "UPDATE T SET A = 'x;@y' WHERE B = @b",
        "-- no @c here;\nDELETE FROM T WHERE C = @d",
    ]
    assert parameters_of(sql) == ["b", "d"]
    assert parameters_of('SELECT `@x`, "@y" FROM T WHERE a = @a AND b = @a') == ["a"]


def test_a_parameter_not_learned_is_named_with_what_was_learned() -> None:
    assert parameters("SELECT @a", {"a": 1, "b": 2}) == {"a": 1}
    with pytest.raises(StatementError) as error:
        parameters("SELECT @a, @z, @y", {"a": 1, "b": 2})
    assert str(error.value) == (
        "the SQL uses @z, @y, which this scenario has not learned (learned so far: a, b)"
    )
    with pytest.raises(StatementError, match=r"learned so far: nothing yet"):
        parameters("SELECT @a", {})


def test_a_placeholder_in_sql_asks_for_a_parameter_instead() -> None:
    with pytest.raises(StatementError) as error:
        parameters("SELECT * FROM T WHERE Id = '{tenant}'", {"tenant": "t-1"})
    assert str(error.value) == (
        "SQL takes remembered values as parameters: write @tenant instead of {tenant} "
        "(without quotes around it)"
    )
    assert parameters("""SELECT JSON '{"a": {"b": 1}}' AS j""", {}) == {}


def test_a_change_runs_every_statement_in_one_transaction(
    typed_db: Database, tables: dict[str, Table]
) -> None:
    add_rows(typed_db, tables["Tenants"], [{"TenantId": "t1", "Name": "Acme", "Seats": "1"}])
    sql = """
        UPDATE Tenants SET Seats = Seats + 1 WHERE TenantId = @tenant;
        INSERT INTO Tenants (TenantId, Name) VALUES ('t2', 'Globex') THEN RETURN TenantId, Name
    """
    change = run_change(typed_db, sql, {"tenant": "t1"})
    assert change.changed == 2
    assert change.returned == [{"TenantId": "t2", "Name": "Globex"}]
    rows = query(typed_db, "SELECT TenantId, Seats FROM Tenants ORDER BY TenantId")
    assert rows == [{"TenantId": "t1", "Seats": 2}, {"TenantId": "t2", "Seats": None}]


def test_a_change_that_fails_changes_nothing(typed_db: Database, tables: dict[str, Table]):
    sql = "INSERT INTO Tenants (TenantId, Name) VALUES ('t1', 'Acme'); UPDATE Nowhere SET A = 1"
    with pytest.raises(Exception, match="Table not found: Nowhere"):
        run_change(typed_db, sql, {})
    assert query(typed_db, "SELECT COUNT(*) AS n FROM Tenants") == [{"n": 0}]


def test_a_query_is_not_run_as_a_change(typed_db: Database) -> None:
    with pytest.raises(StatementError, match="not SELECT"):
        run_change(typed_db, "DELETE FROM Tenants WHERE TRUE; SELECT 1", {})
