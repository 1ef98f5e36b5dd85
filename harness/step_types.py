"""Words that steps share, registered once with parse: database names, conditions, counts."""

from __future__ import annotations

import re
from typing import Any

import parse
from behave import register_type

_CONDITION = re.compile(r'\s*(\w+) is "([^"]*)"\s*')


@parse.with_pattern(r'\w+ is "[^"]*"(?: and \w+ is "[^"]*")*')
def parse_conditions(text: str) -> dict[str, str]:
    """`TenantID is "t-1" and Status is "active"` -> {"TenantID": "t-1", "Status": "active"}"""
    return {m.group(1): m.group(2) for m in _CONDITION.finditer(text)}


@parse.with_pattern(r"\d+")
def parse_count(text: str) -> int:
    return int(text)


@parse.with_pattern(r"[a-z][a-z0-9_]*")
def parse_database(text: str) -> str:
    return text


register_type(Conditions=parse_conditions, Count=parse_count, Database=parse_database)


def resolve(value: Any, learned: dict[str, Any]) -> Any:
    """Replace `{name}` in text with what the scenario learned under that name."""
    if not isinstance(value, str) or "{" not in value:
        return value
    full = re.fullmatch(r"\{(\w+)\}", value)
    if full and full.group(1) in learned:
        return learned[full.group(1)]
    return re.sub(r"\{(\w+)\}", lambda m: str(learned.get(m.group(1), m.group(0))), value)


def table_rows(table, learned: dict[str, Any]) -> list[dict[str, Any]]:
    """A Gherkin data table as rows of column -> value, with `{name}` resolved."""
    return [{h: resolve(row[h], learned) for h in table.headings} for row in table]
