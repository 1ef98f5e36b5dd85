"""Declarative expected state: a YAML file that says which rows a database should hold.

    # fixtures/<feature stem>/expected/<name>.yaml (see spanner/fixture_layout.py)
    Customers:                    # a table, with ...
      where: {Domain: acme.test}  # ... optional filter (column: value, as query parameters)
      rows:                       # the rows; only the columns named here are compared
        - {Name: Acme Corp, Status: active}
      exact: true                 # default true: no other rows (within `where`)
    Invoices: []                  # short form: exactly these rows (here: none) in the table

Values follow the check rules of spanner/assertions.py (null, <any>, <not null>, today+30d,
{learned_name}).

A spalidate file (`tables:` at the top, as Spanwright's expected-primary.yaml) is read as
spalidate reads it: spanner/spalidate.py. The file may be anywhere under the feature's fixture
folder (spanner/fixture_layout.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from google.cloud.spanner_v1.database import Database

from base.placeholders import resolve
from spanner import spalidate, yaml_source
from spanner.assertions import assert_rows, select_rows
from spanner.live_schema import Table, lookup_table


class ExpectedStateError(ValueError):
    pass


def check_expected_state(
    database: Database,
    tables: Mapping[str, Table],
    path: Path,
    learned: Mapping[str, Any],
    timeout: float,
) -> None:
    try:
        text = path.read_text(encoding="utf-8")
        document = yaml_source.load(text)
    except OSError as error:
        raise ExpectedStateError(f"cannot read expected-state file {path}: {error}") from None
    except yaml.YAMLError as error:
        raise ExpectedStateError(f"{path}: YAML syntax error: {error}") from None
    if spalidate.is_spalidate(document):
        _check_spalidate(database, tables, path, text, document, learned, timeout)
        return
    if not isinstance(document, dict):
        raise ExpectedStateError(f"{path}: expected a mapping of table name to rows")
    failures = []
    for name, spec in document.items():
        table = lookup_table(tables, str(name), database.database_id)
        rows, where, exact = _read_spec(path, str(name), spec)
        # select_rows types each value by its column and reads the notation itself
        where = {column: resolve(v, learned) for column, v in where.items()}
        expected = [{c: resolve(v, learned) for c, v in row.items()} for row in rows]
        columns = list(dict.fromkeys(c for row in expected for c in row)) or list(table.columns)
        try:
            assert_rows(
                lambda table=table, columns=columns, where=where: select_rows(
                    database, table, columns, where
                ),
                expected,
                f"{path.name}: table {name}",
                exact=exact,
                timeout=timeout,
            )
        except AssertionError as error:
            failures.append(str(error))
    if failures:
        raise AssertionError("\n\n".join(failures))


def _check_spalidate(
    database: Database,
    tables: Mapping[str, Table],
    path: Path,
    text: str,
    document: dict,
    learned: Mapping[str, Any],
    timeout: float,
) -> None:
    try:
        expected = spalidate.read(path, text, document)
    except spalidate.SpalidateError as error:
        raise ExpectedStateError(str(error)) from None
    failures = []
    for table in expected:
        try:
            spalidate.check(database, tables, path, table, learned, timeout)
        except spalidate.SpalidateError as error:
            raise ExpectedStateError(str(error)) from None
        except AssertionError as error:
            failures.append(str(error))
    if failures:
        raise AssertionError("\n\n".join(failures))


def _read_spec(path: Path, name: str, spec: Any) -> tuple[list[dict], dict, bool]:
    if isinstance(spec, list) or spec is None:
        return list(spec or []), {}, True
    if not isinstance(spec, dict):
        raise ExpectedStateError(f"{path}, table {name}: expected a list of rows or a mapping")
    unknown = set(spec) - {"rows", "where", "exact"}
    if unknown:
        raise ExpectedStateError(
            f"{path}, table {name}: unknown key(s) {', '.join(sorted(unknown))} "
            "(allowed: rows, where, exact)"
        )
    return (
        list(spec.get("rows") or []),
        dict(spec.get("where") or {}),
        bool(spec.get("exact", True)),
    )
