"""How each kind of element is found, as people name it: the ways of reading a name, in order.

The first way that finds anything wins (pages/finding.py): a role and its accessible name or a
label first, a placeholder next, a data-testid last. Names are matched exactly.
"""

from __future__ import annotations

import json

from playwright.sync_api import Locator

# what a person fills in (check boxes, radio buttons, files and buttons have steps of their own)
_FILLABLE = (
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset])"
    ":not([type=checkbox]):not([type=radio]):not([type=file]):not([type=image]), textarea, "
    "select, [contenteditable=''], [contenteditable=true], [role=textbox], [role=searchbox], "
    "[role=spinbutton], [role=combobox]"
)
FIELD_ROLES = ("textbox", "searchbox", "spinbutton", "combobox", "listbox", "slider")
CHOICE_ROLES = ("combobox", "listbox", "radiogroup", "group")


def field_candidates(scope: Locator, name: str) -> list[Locator]:
    return [
        scope.get_by_label(name, exact=True).and_(scope.locator(_FILLABLE)),
        scope.get_by_placeholder(name, exact=True),
        *(scope.get_by_role(role, name=name, exact=True) for role in FIELD_ROLES),
        scope.get_by_test_id(name),
    ]


def button_candidates(scope: Locator, name: str) -> list[Locator]:
    value = json.dumps(name)  # a CSS string
    return [
        scope.get_by_role("button", name=name, exact=True),
        scope.locator(f"input[type=submit][value={value}], input[type=button][value={value}]"),
        scope.get_by_test_id(name),
    ]


def link_candidates(scope: Locator, name: str) -> list[Locator]:
    return [scope.get_by_role("link", name=name, exact=True), scope.get_by_test_id(name)]


def checkbox_candidates(scope: Locator, name: str) -> list[Locator]:
    return [
        scope.get_by_role("checkbox", name=name, exact=True),
        scope.get_by_role("switch", name=name, exact=True),
        scope.get_by_label(name, exact=True).and_(scope.locator("input[type=checkbox]")),
        scope.get_by_test_id(name),
    ]


def choice_candidates(scope: Locator, name: str) -> list[Locator]:
    return [
        scope.get_by_label(name, exact=True).and_(scope.locator("select")),
        *(scope.get_by_role(role, name=name, exact=True) for role in CHOICE_ROLES),
        scope.get_by_test_id(name),
    ]


def file_candidates(scope: Locator, name: str) -> list[Locator]:
    return [
        scope.get_by_label(name, exact=True).and_(scope.locator("input[type=file]")),
        scope.get_by_test_id(name).and_(scope.locator("input[type=file]")),
        scope.get_by_role("button", name=name, exact=True),
    ]


def download_candidates(scope: Locator, name: str) -> list[Locator]:
    return [
        scope.get_by_role("link", name=name, exact=True),
        scope.get_by_role("button", name=name, exact=True),
        scope.get_by_test_id(name),
    ]
