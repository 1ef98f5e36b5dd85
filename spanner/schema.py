"""Read DDL from spanner/schema/<database>/*.sql, in file-name order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlparse

SCHEMA_ROOT = Path(__file__).resolve().parent / "schema"


class SchemaError(RuntimeError):
    """A schema file is missing, unreadable or holds a statement Spanner refuses."""


@dataclass(frozen=True)
class Statement:
    sql: str
    file: Path
    index: int  # 1-based position in its file

    def where(self) -> str:
        return f"{self.file} (statement {self.index})"


def split_statements(text: str) -> list[str]:
    """Split on `;` outside strings, dropping SQL comments and empty statements."""
    statements = []
    for raw in sqlparse.split(text):
        cleaned = sqlparse.format(raw, strip_comments=True).strip().rstrip(";").strip()
        if cleaned:
            statements.append(cleaned)
    return statements


def schema_statements(database: str, root: Path = SCHEMA_ROOT) -> list[Statement]:
    folder = root / database
    files = sorted(folder.glob("*.sql"))
    if not files:
        raise SchemaError(f"no schema for database {database!r}: no *.sql files in {folder}")
    statements = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SchemaError(f"cannot read schema file {file}: {error}") from error
        for index, sql in enumerate(split_statements(text), start=1):
            statements.append(Statement(sql, file, index))
    return statements
