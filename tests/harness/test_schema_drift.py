"""The schema drift check on the real emulator: a database made from spanner/schema/ has no
drift; one changed with ALTER TABLE / DROP INDEX is told column by column and index by index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.instance import Instance
from harness_testkit import unique_database_id

from spanner.databases import OPERATION_TIMEOUT, create_database
from spanner.live_schema import (
    ColumnShape,
    ForeignKeyShape,
    SchemaShape,
    TableShape,
    read_shape,
)
from spanner.schema import schema_statements
from spanner.schema_drift import Drift, compare, describe, expected_shapes, scratch_instance


@pytest.fixture
def users_db(instance: Instance) -> Iterator[Database]:
    """A live database made from spanner/schema/users/, as a deployment would have it."""
    database = create_database(instance, unique_database_id(), schema_statements("users"))
    yield database
    database.drop()


@pytest.fixture(scope="module")
def expected_users(tmp_path_factory: pytest.TempPathFactory):
    """The shape spanner/schema/users/ describes, made on the check's own emulator."""
    with scratch_instance(None, tmp_path_factory.mktemp("drift-logs")) as instance:
        return expected_shapes(instance, ["users"])["users"]


def test_a_database_made_from_the_schema_has_no_drift(users_db, expected_users) -> None:
    live = read_shape(users_db)
    assert compare(expected_users, live) == []
    assert "Tenants" in expected_users.tables and "UsersByEmail" in expected_users.indexes
    assert expected_users.tables["Users"].parent == "Tenants"
    assert expected_users.tables["Users"].on_delete == "CASCADE"


def test_added_column_changed_type_nullability_and_dropped_index_are_named(
    users_db, expected_users
) -> None:
    users_db.update_ddl(
        [
            "ALTER TABLE Tenants ADD COLUMN Nickname STRING(50)",
            "ALTER TABLE Tenants ALTER COLUMN Name STRING(300) NOT NULL",
            "ALTER TABLE Users ALTER COLUMN LastLoginAt TIMESTAMP NOT NULL",
            "DROP INDEX UsersByEmail",
            "CREATE INDEX UsersByRole ON Users(Role) STORING (Status)",
        ]
    ).result(OPERATION_TIMEOUT)

    report = describe(
        "test-users", "spanner/schema/users/", compare(expected_users, read_shape(users_db))
    )

    assert report.splitlines()[0] == "database test-users differs from spanner/schema/users/:"
    assert "  table Tenants:\n" in report
    assert "    - column Nickname added: STRING(50) nullable, not in the schema" in report
    assert "    - column Name changed type: STRING(200) in the schema, STRING(300) live" in report
    assert "  table Users:\n" in report
    assert (
        "    - column LastLoginAt changed nullability: nullable in the schema, NOT NULL live"
        in report
    )
    assert "    - index UsersByEmail missing: UNIQUE INDEX ON Users(Email)" in report
    assert "    - index UsersByRole added: INDEX ON Users(Role) STORING (Status)" in report
    # nothing else is reported: every other table is as the schema says
    assert report.count("    - ") == 5, report


def test_a_missing_table_and_a_changed_interleaving_are_named(instance, expected_users) -> None:
    statements = [
        s for s in schema_statements("users") if "CREATE TABLE ApiKeys" not in s.sql
        and "ON ApiKeys" not in s.sql
    ]  # fmt: skip
    database = create_database(instance, unique_database_id(), statements)
    try:
        database.update_ddl(["ALTER TABLE UserSessions SET ON DELETE NO ACTION"]).result(
            OPERATION_TIMEOUT
        )
        drifts = compare(expected_users, read_shape(database))
    finally:
        database.drop()
    changes = {(d.table, d.change) for d in drifts}
    assert ("ApiKeys", "table missing: in the schema, not in the live database") in changes
    assert (
        "UserSessions",
        "interleaving changed: INTERLEAVE IN PARENT Users ON DELETE CASCADE in the schema, "
        "INTERLEAVE IN PARENT Users ON DELETE NO ACTION live",
    ) in changes


def test_a_changed_key_and_a_foreign_keys_on_delete_are_named() -> None:
    """What ALTER TABLE cannot change in place, told from two shapes made by hand."""
    column = ColumnShape("STRING(36)", nullable=False, allows_commit_timestamp=False)
    fk = "Orders(CustomerID) REFERENCES Customers(CustomerID)"

    def shape(key: tuple[str, ...], on_delete: str) -> SchemaShape:
        return SchemaShape(
            tables={"Orders": TableShape({"OrderID": column, "CustomerID": column}, key)},
            foreign_keys={fk: ForeignKeyShape("FK_Orders", on_delete)},
        )

    drifts = compare(shape(("OrderID",), "CASCADE"), shape(("CustomerID", "OrderID"), "NO ACTION"))

    assert drifts == [
        Drift("Orders", "key columns changed: (OrderID) in the schema, (CustomerID, OrderID) live"),
        Drift("Orders", f"foreign key {fk}: ON DELETE CASCADE in the schema, NO ACTION live"),
    ]
