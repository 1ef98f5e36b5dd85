"""DDL files: splitting, and errors that name the file and the statement."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.cloud.spanner_v1.instance import Instance
from harness_testkit import SCHEMA_ROOT, unique_database_id

from spanner.databases import create_database
from spanner.schema import SchemaError, schema_statements, split_statements


def test_split_drops_comments_and_keeps_semicolons_inside_strings() -> None:
    text = """
    -- a comment; with a semicolon
    CREATE TABLE A (X STRING(MAX) DEFAULT ('a;b')) PRIMARY KEY (X); /* block; comment */
    # hash comment;
    CREATE INDEX AByX ON A (X);;
    """
    assert split_statements(text) == [
        "CREATE TABLE A (X STRING(MAX) DEFAULT ('a;b')) PRIMARY KEY (X)",
        "CREATE INDEX AByX ON A (X)",
    ]


def test_statements_are_numbered_per_file_in_file_order() -> None:
    statements = schema_statements("typed", SCHEMA_ROOT)
    assert [(s.file.name, s.index) for s in statements] == [
        ("001_tenants.sql", 1),
        ("002_children.sql", 1),
        ("002_children.sql", 2),
        ("002_children.sql", 3),
    ]
    assert statements[1].sql.startswith("CREATE TABLE Members")


def test_missing_schema_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(SchemaError) as error:
        schema_statements("nowhere", tmp_path)
    assert str(tmp_path / "nowhere") in str(error.value)
    assert "'nowhere'" in str(error.value)


def test_refused_statement_is_named_with_file_and_number(instance: Instance) -> None:
    database_id = unique_database_id()
    with pytest.raises(SchemaError) as error:
        create_database(instance, database_id, schema_statements("broken", SCHEMA_ROOT))
    message = str(error.value)
    assert f"{SCHEMA_ROOT / 'broken' / '002_bad.sql'} (statement 2)" in message
    assert "WHOLENUMBER" in message
    assert not instance.database(database_id).exists()
    assert not instance.database(f"{database_id[:20]}-probe").exists()
