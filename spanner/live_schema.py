"""What the live database says about its tables: columns, types, keys, parents, foreign keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from google.cloud.spanner_v1.database import Database

from spanner.values import convert


class SchemaReferenceError(ValueError):
    """Something names a table or column the database does not have."""


@dataclass(frozen=True)
class Column:
    name: str
    spanner_type: str  # as INFORMATION_SCHEMA spells it: STRING(36), ARRAY<INT64>, ...
    nullable: bool
    has_default: bool
    generated: bool
    allows_commit_timestamp: bool

    @property
    def required(self) -> bool:
        return not self.nullable and not self.has_default and not self.generated


@dataclass
class Table:
    name: str
    columns: dict[str, Column] = field(default_factory=dict)
    primary_key: list[str] = field(default_factory=list)
    parent: str | None = None
    # referenced table -> (our columns, their columns)
    foreign_keys: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    foreign_key_names: list[str] = field(default_factory=list)  # the constraints, in that order

    def column(self, name: str) -> Column:
        if name not in self.columns:
            raise SchemaReferenceError(
                f"table {self.name} has no column {name} (columns: {', '.join(self.columns)})"
            )
        return self.columns[name]

    def typed(self, column_name: str, value: Any) -> Any:
        """`value` (text from a feature, or YAML) as the Python value the column takes."""
        column = self.column(column_name)
        return convert(value, column.spanner_type, column.allows_commit_timestamp)

    def typed_row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {name: self.typed(name, value) for name, value in row.items()}

    def depends_on(self) -> set[str]:
        tables = {fk[0] for fk in self.foreign_keys if fk[0] != self.name}
        if self.parent:
            tables.add(self.parent)
        return tables


def lookup_table(tables: Mapping[str, Table], name: str, database: str) -> Table:
    if name not in tables:
        raise SchemaReferenceError(
            f"database {database!r} has no table {name!r} (tables: {', '.join(sorted(tables))})"
        )
    return tables[name]


_COLUMNS_SQL = """
SELECT c.TABLE_NAME, c.COLUMN_NAME, c.SPANNER_TYPE, c.IS_NULLABLE,
       c.COLUMN_DEFAULT IS NOT NULL AS HAS_DEFAULT, c.IS_GENERATED,
       EXISTS(SELECT 1 FROM INFORMATION_SCHEMA.COLUMN_OPTIONS o
              WHERE o.TABLE_SCHEMA = c.TABLE_SCHEMA AND o.TABLE_NAME = c.TABLE_NAME
                AND o.COLUMN_NAME = c.COLUMN_NAME
                AND o.OPTION_NAME = 'allow_commit_timestamp' AND o.OPTION_VALUE = 'TRUE')
FROM INFORMATION_SCHEMA.COLUMNS c
JOIN INFORMATION_SCHEMA.TABLES t
  ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
WHERE c.TABLE_SCHEMA = '' AND t.TABLE_TYPE = 'BASE TABLE'
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION
"""

_TABLES_SQL = """
SELECT TABLE_NAME, PARENT_TABLE_NAME
FROM INFORMATION_SCHEMA.TABLES
WHERE TABLE_SCHEMA = '' AND TABLE_TYPE = 'BASE TABLE'
"""

_PRIMARY_KEYS_SQL = """
SELECT TABLE_NAME, COLUMN_NAME
FROM INFORMATION_SCHEMA.INDEX_COLUMNS
WHERE TABLE_SCHEMA = '' AND INDEX_TYPE = 'PRIMARY_KEY'
ORDER BY TABLE_NAME, ORDINAL_POSITION
"""

_FOREIGN_KEYS_SQL = """
SELECT rc.CONSTRAINT_NAME, k.TABLE_NAME, k.COLUMN_NAME, r.TABLE_NAME, r.COLUMN_NAME
FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS rc
JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k
  ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME
JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE r
  ON r.CONSTRAINT_SCHEMA = rc.UNIQUE_CONSTRAINT_SCHEMA
 AND r.CONSTRAINT_NAME = rc.UNIQUE_CONSTRAINT_NAME
 AND r.ORDINAL_POSITION = k.POSITION_IN_UNIQUE_CONSTRAINT
WHERE rc.CONSTRAINT_SCHEMA = ''
ORDER BY rc.CONSTRAINT_NAME, k.ORDINAL_POSITION
"""


def read_tables(database: Database) -> dict[str, Table]:
    """All user tables of the database, keyed by name."""
    with database.snapshot(multi_use=True) as snapshot:
        tables = {
            name: Table(name, parent=parent) for name, parent in snapshot.execute_sql(_TABLES_SQL)
        }
        for (
            table,
            column,
            spanner_type,
            nullable,
            has_default,
            generated,
            commit_ts,
        ) in snapshot.execute_sql(_COLUMNS_SQL):
            tables[table].columns[column] = Column(
                name=column,
                spanner_type=spanner_type,
                nullable=nullable == "YES",
                has_default=bool(has_default),
                generated=generated == "ALWAYS",
                allows_commit_timestamp=bool(commit_ts),
            )
        for table, column in snapshot.execute_sql(_PRIMARY_KEYS_SQL):
            tables[table].primary_key.append(column)
        foreign: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
        for constraint, table, column, ref_table, ref_column in snapshot.execute_sql(
            _FOREIGN_KEYS_SQL
        ):
            ours, theirs = foreign.setdefault((constraint, table, ref_table), ([], []))
            ours.append(column)
            theirs.append(ref_column)
    for (constraint, table, ref_table), (ours, theirs) in foreign.items():
        tables[table].foreign_keys.append((ref_table, ours, theirs))
        tables[table].foreign_key_names.append(constraint)
    return tables


def parents_first(tables: dict[str, Table]) -> list[str]:
    """Table names ordered so that parents and referenced tables come before their dependents."""
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in visiting:
            raise ValueError(f"tables reference each other in a cycle: {' -> '.join(path)}")
        visiting.add(name)
        for dependency in sorted(tables[name].depends_on()):
            if dependency in tables:
                visit(dependency, (*path, dependency))
        visiting.discard(name)
        ordered.append(name)

    for name in sorted(tables):
        visit(name, (name,))
    return ordered


# --- the database's shape, as the schema drift check compares it (spanner/schema_drift.py)


@dataclass(frozen=True)
class ColumnShape:
    spanner_type: str
    nullable: bool
    allows_commit_timestamp: bool


@dataclass(frozen=True)
class IndexShape:
    table: str
    columns: tuple[str, ...]  # key columns, " DESC" appended where descending
    storing: tuple[str, ...]
    unique: bool
    null_filtered: bool
    interleaved_in: str | None


@dataclass(frozen=True)
class ForeignKeyShape:
    name: str  # Spanner names an unnamed constraint itself, so keys are compared by definition
    on_delete: str


@dataclass
class TableShape:
    columns: dict[str, ColumnShape] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    parent: str | None = None
    on_delete: str | None = None  # of the interleaving: CASCADE or NO ACTION


@dataclass
class SchemaShape:
    """Tables, indexes and foreign keys as INFORMATION_SCHEMA tells them."""

    tables: dict[str, TableShape] = field(default_factory=dict)
    indexes: dict[str, IndexShape] = field(default_factory=dict)
    # "Orders(CustomerID) REFERENCES Customers(CustomerID)" -> its name and ON DELETE
    foreign_keys: dict[str, ForeignKeyShape] = field(default_factory=dict)


_TABLE_SHAPES_SQL = """
SELECT TABLE_NAME, PARENT_TABLE_NAME, ON_DELETE_ACTION
FROM INFORMATION_SCHEMA.TABLES
WHERE TABLE_SCHEMA = '' AND TABLE_TYPE = 'BASE TABLE'
"""

_INDEXES_SQL = """
SELECT INDEX_NAME, TABLE_NAME, IS_UNIQUE, IS_NULL_FILTERED, PARENT_TABLE_NAME
FROM INFORMATION_SCHEMA.INDEXES
WHERE TABLE_SCHEMA = '' AND INDEX_TYPE = 'INDEX'
"""

_INDEX_COLUMNS_SQL = """
SELECT INDEX_NAME, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_ORDERING
FROM INFORMATION_SCHEMA.INDEX_COLUMNS
WHERE TABLE_SCHEMA = '' AND INDEX_TYPE = 'INDEX'
ORDER BY INDEX_NAME, ORDINAL_POSITION, COLUMN_NAME
"""

_FOREIGN_KEY_RULES_SQL = """
SELECT CONSTRAINT_NAME, DELETE_RULE
FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = ''
"""


def read_shape(database: Database) -> SchemaShape:
    """The database's shape: every table's columns (type, nullability, commit timestamps),
    key columns, interleaving parent and its ON DELETE, every index and foreign key."""
    tables = read_tables(database)
    shape = SchemaShape()
    for name, table in tables.items():
        shape.tables[name] = TableShape(
            columns={
                column.name: ColumnShape(
                    column.spanner_type, column.nullable, column.allows_commit_timestamp
                )
                for column in table.columns.values()
            },
            primary_key=tuple(table.primary_key),
            parent=table.parent,
        )
    with database.snapshot(multi_use=True) as snapshot:
        for name, _parent, on_delete in snapshot.execute_sql(_TABLE_SHAPES_SQL):
            if shape.tables[name].parent:
                shape.tables[name].on_delete = on_delete
        indexes = list(snapshot.execute_sql(_INDEXES_SQL))
        index_columns = list(snapshot.execute_sql(_INDEX_COLUMNS_SQL))
        delete_rules = dict(snapshot.execute_sql(_FOREIGN_KEY_RULES_SQL))
    keys: dict[str, list[str]] = {}
    storing: dict[str, list[str]] = {}
    for index, _table, column, position, ordering in index_columns:
        if position is None:  # a STORING column
            storing.setdefault(index, []).append(column)
        else:
            keys.setdefault(index, []).append(f"{column} DESC" if ordering == "DESC" else column)
    for index, table, unique, null_filtered, parent in indexes:
        shape.indexes[index] = IndexShape(
            table=table,
            columns=tuple(keys.get(index, [])),
            storing=tuple(sorted(storing.get(index, []))),
            unique=bool(unique),
            null_filtered=bool(null_filtered),
            interleaved_in=parent or None,
        )
    for name, table in tables.items():
        for number, (referenced, ours, theirs) in enumerate(table.foreign_keys):
            constraint = table.foreign_key_names[number]
            definition = f"{name}({', '.join(ours)}) REFERENCES {referenced}({', '.join(theirs)})"
            shape.foreign_keys[definition] = ForeignKeyShape(
                constraint, delete_rules.get(constraint, "NO ACTION")
            )
    return shape
