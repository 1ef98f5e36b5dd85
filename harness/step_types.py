"""Words that steps share, registered once with parse: database names, conditions, counts.

Each parse type's docstring says which values it takes: the steps glossary prints it beside
every step that uses the type.
"""

from __future__ import annotations

import re
from typing import Any

import parse
from behave import register_type

from base.placeholders import resolve

_CONDITION = re.compile(r'\s*(\w+) is "([^"]*)"\s*')


@parse.with_pattern(r'\w+ is "[^"]*"(?: and \w+ is "[^"]*")*')
def parse_conditions(text: str) -> dict[str, str]:
    """Column conditions joined by `and`: `Status is "active" and Seats is "> 5"`.

    Each quoted value is in the database notation: a plain value (equal), `> 5`, `>= 5`,
    `< 5`, `<= 2026-01-01`, `null`, `not null`, `like 'ACME%'`, `within 5 minutes of now`;
    `{name}` is a value the scenario remembered. Every value is sent as a query parameter.
    """
    return {m.group(1): m.group(2) for m in _CONDITION.finditer(text)}


@parse.with_pattern(r"\d+")
def parse_count(text: str) -> int:
    """A whole number of rows: 0, 1, 12."""
    return int(text)


@parse.with_pattern(r"[a-z][a-z0-9_]*")
def parse_database(text: str) -> str:
    """A database of the feature's product, by its name or alias (lowercase: `users`, `main`)."""
    return text


@parse.with_pattern(r'[^"]+')
def parse_region(text: str) -> str:
    """A part of the page: a landmark, section, form, dialog, table or list whose aria-label,
    caption, legend or heading is exactly this name (a landmark's name wins over a heading's)."""
    return text


@parse.with_pattern(r"[^\"]+?")
def parse_page_name(text: str) -> str:
    """A page's name in the product's page names (`page_paths`): `sign-up`, `billing settings`."""
    return text


register_type(
    Conditions=parse_conditions,
    Count=parse_count,
    Database=parse_database,
    Region=parse_region,
    PageName=parse_page_name,
)


def table_rows(table, learned: dict[str, Any]) -> list[dict[str, Any]]:
    """A Gherkin data table as rows of column -> value, with `{name}` resolved."""
    return [{h: resolve(row[h], learned) for h in table.headings} for row in table]
