"""What a page offered instead of what a step looked for, in words for a failure message.

The names come from the page's accessibility tree (Playwright's aria snapshot): the names a
person hears from a screen reader, which are the names the generic steps look for.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence

from playwright.sync_api import Locator

MAX_NAMES = 8
SHORT_TEXT = 240

# `- button "Save"` or `- link "Browse the catalogue":` in an aria snapshot
_NAMED_NODE = re.compile(r'^\s*- (?P<role>[a-z]+) "(?P<name>(?:[^"\\]|\\.)*)"')


def names_by_role(scope: Locator, roles: Iterable[str]) -> list[str]:
    """The accessible names of the visible elements of these roles, in page order, once each."""
    wanted = set(roles)
    try:
        snapshot = scope.aria_snapshot(timeout=2000)
    except Exception:  # the page is navigating or gone: nothing to offer
        return []
    names: list[str] = []
    for line in snapshot.splitlines():
        found = _NAMED_NODE.match(line)
        if found and found["role"] in wanted:
            name = json.loads(f'"{found["name"]}"')
            if name and name not in names:
                names.append(name)
    return names


def nearest_first(wanted: str, names: Sequence[str]) -> list[str]:
    """Names that contain the wanted one first, then the closest spellings, then the rest."""
    folded = wanted.casefold()
    containing = [n for n in names if folded in n.casefold() or n.casefold() in folded]
    close = difflib.get_close_matches(wanted, names, n=len(names), cutoff=0.4)
    ordered: list[str] = []
    for name in (*containing, *close, *names):
        if name not in ordered:
            ordered.append(name)
    return ordered


def quoted_list(names: Sequence[str], limit: int = MAX_NAMES) -> str:
    shown = ", ".join(f'"{name}"' for name in names[:limit])
    more = len(names) - limit
    return f"{shown} and {more} more" if more > 0 else shown


def short_text(scope: Locator) -> str:
    """The first words a person reads in the scope, on one line."""
    try:
        text = scope.inner_text(timeout=2000)
    except Exception:
        return "(the page could not be read)"
    text = " ".join(text.split())
    if not text:
        return "(no text at all)"
    return f'"{text[:SHORT_TEXT]}…"' if len(text) > SHORT_TEXT else f'"{text}"'


def offer(wanted: str, names: Sequence[str], plural: str, scope: Locator) -> str:
    """`Buttons there: "A", "B".` with a hint when one of them contains the wanted name, or
    the page's first words when it has none of them."""
    if not names:
        return f"There are no {plural} there; it reads {short_text(scope)}."
    ordered = nearest_first(wanted, names)
    sentence = f"{plural.capitalize()} there: {quoted_list(ordered)}."
    longer = [n for n in ordered if n != wanted and wanted.casefold() in n.casefold()]
    if longer:
        sentence += (
            f' Names match exactly: "{longer[0]}" contains "{wanted}" but is not it; '
            "write the whole name as the page shows it."
        )
    return sentence
