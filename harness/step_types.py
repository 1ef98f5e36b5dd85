"""Words that steps share, registered once with parse: database names, conditions, counts."""

from __future__ import annotations

import re
from typing import Any

import parse
from behave import register_type

from base.placeholders import resolve

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


def table_rows(table, learned: dict[str, Any]) -> list[dict[str, Any]]:
    """A Gherkin data table as rows of column -> value, with `{name}` resolved."""
    return [{h: resolve(row[h], learned) for h in table.headings} for row in table]
