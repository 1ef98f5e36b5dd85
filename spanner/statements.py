"""SQL written in a feature: which kind of statement it is, its `@name` parameters, and running
a data change (DML) in one read-write transaction.

Only what the steps need is read from the text: string literals, quoted identifiers and comments
are skipped, so `'a@b.com'` holds no parameter and `'x; y'` ends no statement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from google.api_core import exceptions as api_exceptions
from google.cloud.spanner_v1.database import Database

from spanner.evidence import attach_query
from spanner.params import typed_params
from spanner.query import Row, from_wire
from spanner.transactions import run_in_transaction

QUERY, CHANGE, SCHEMA = "query", "change", "schema"
_KINDS = {
    "SELECT": QUERY,
    "WITH": QUERY,
    "GRAPH": QUERY,
    "INSERT": CHANGE,
    "UPDATE": CHANGE,
    "DELETE": CHANGE,
    "MERGE": CHANGE,
    "CREATE": SCHEMA,
    "ALTER": SCHEMA,
    "DROP": SCHEMA,
    "RENAME": SCHEMA,
    "GRANT": SCHEMA,
    "REVOKE": SCHEMA,
    "ANALYZE": SCHEMA,
}
# a literal, a quoted identifier or a comment: the text inside is not SQL to read
_SKIPPED = re.compile(
    r"""(?xs)
      '''.*?''' | \"\"\".*?\"\"\"
    | '(?:\\.|[^'\\])*' | "(?:\\.|[^"\\])*" | `[^`]*`
    | --[^\n]* | \#[^\n]* | /\*.*?\*/
    """
)
_PARAMETER = re.compile(r"@(\w+)")
_FIRST_WORD = re.compile(r"[A-Za-z]+")
_HINT = re.compile(r"@\{[^}]*\}")


class StatementError(ValueError):
    """SQL a step cannot run as it was asked to."""


def _code(sql: str) -> str:
    """The SQL with literals, quoted names and comments blanked (same length, same places)."""
    return _SKIPPED.sub(lambda m: " " * len(m.group(0)), sql)


def split_statements(sql: str) -> list[str]:
    """The statements of a text, split at the semicolons outside literals and comments."""
    code = _code(sql)
    statements, start = [], 0
    for index, char in enumerate(code):
        if char == ";":
            statements.append(sql[start:index])
            start = index + 1
    statements.append(sql[start:])
    return [s.strip() for s in statements if _code(s).strip()]


def kind_of(statement: str) -> str:
    """QUERY, CHANGE or SCHEMA, from the statement's first word (after hints and parentheses)."""
    code = _HINT.sub(" ", _code(statement)).lstrip(" \t\r\n(")
    word = _FIRST_WORD.match(code)
    first = word.group(0).upper() if word else ""
    if first not in _KINDS:
        raise StatementError(
            f"cannot tell what this SQL does: it starts with {first or code[:20]!r} "
            "(a query starts with SELECT or WITH; a change with INSERT, UPDATE, DELETE or MERGE)"
        )
    return _KINDS[first]


def first_word(statement: str) -> str:
    match = _FIRST_WORD.search(_HINT.sub(" ", _code(statement)))
    return match.group(0).upper() if match else ""


def parameters_of(sql: str) -> list[str]:
    """The `@name` parameters the SQL uses, in order of first use (not those in literals)."""
    code = _HINT.sub(" ", _code(sql))
    return list(dict.fromkeys(_PARAMETER.findall(code)))


def parameters(sql: str, learned: Mapping[str, Any]) -> dict[str, Any]:
    """The values of the SQL's `@name` parameters, from what the scenario learned.

    `{name}` is refused: pasted into SQL text a value is no parameter (quoting, injection).
    """
    pasted = list(dict.fromkeys(re.findall(r"\{([A-Za-z_]\w*)\}", sql)))
    if pasted:
        raise StatementError(
            f"SQL takes remembered values as parameters: write "
            f"{', '.join('@' + name for name in pasted)} instead of "
            f"{', '.join('{' + name + '}' for name in pasted)} (without quotes around it)"
        )
    used = parameters_of(sql)
    missing = [name for name in used if name not in learned]
    if missing:
        names = ", ".join(f"@{name}" for name in missing)
        known = ", ".join(sorted(learned)) or "nothing yet"
        raise StatementError(
            f"the SQL uses {names}, which this scenario has not learned (learned so far: {known})"
        )
    return {name: learned[name] for name in used}


def one_line(sql: str) -> str:
    return " ".join(sql.split())


def spanner_message(error: api_exceptions.GoogleAPICallError) -> str:
    """The server's own words, without the status code, the echoed SQL or the request id."""
    text = str(error.message or error)
    text = re.sub(r",?\s*request_id\s*=\s*\S+\s*$", "", text)
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return one_line(first)


@dataclass
class Change:
    """What a data change did: rows changed, and the rows a THEN RETURN gave back."""

    changed: int
    returned: list[Row]


def run_change(database: Database, sql: str, params: Mapping[str, Any]) -> Change:
    """Run every statement of `sql` (each a DML statement) in one read-write transaction.

    Each statement gets only the parameters it uses. A statement with THEN RETURN gives its rows
    back; the changed rows of all statements are added up.
    """
    statements = split_statements(sql)
    for statement in statements:
        if kind_of(statement) != CHANGE:
            raise StatementError(
                "only INSERT, UPDATE, DELETE or MERGE change data here, "
                f"not {first_word(statement)}"
            )
    prepared = []
    for statement in statements:
        values, types = typed_params({name: params[name] for name in parameters_of(statement)})
        prepared.append((statement, values, types))

    def work(transaction) -> tuple[list[int], list[Row]]:
        counts, returned = [], []
        for statement, values, types in prepared:
            if re.search(r"\bTHEN\s+RETURN\b", _code(statement), re.IGNORECASE):
                result = transaction.execute_sql(
                    statement, params=values or None, param_types=types or None
                )
                rows = list(result)
                names = [field.name for field in result.fields]
                returned.extend(dict(zip(names, map(from_wire, row), strict=True)) for row in rows)
                counts.append(result.stats.row_count_exact)
            else:
                counts.append(
                    transaction.execute_update(
                        statement, params=values or None, param_types=types or None
                    )
                )
        return counts, returned

    counts, returned = run_in_transaction(database, work)
    for (statement, values, _), count in zip(prepared, counts, strict=True):
        attach_query(database.database_id, statement, values, [{"rows changed": count}])
    return Change(sum(counts), returned)
