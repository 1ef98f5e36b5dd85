"""Finding one element as a person sees it, and failing in words when it is not there.

A step names an element the way the page shows it; the candidates are ways of reading that
name (a role and accessible name, a label, a placeholder; a data-testid last), in order. The
first candidate that finds anything wins. A failure says what was looked for, what the page
offered instead, and attaches a screenshot to the report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn
from urllib.parse import urlsplit

import allure
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from pages.offered import names_by_role, offer


class PageMismatch(AssertionError):
    """The page does not show what a step looked for; the message says what it shows."""


def where(page: Page) -> str:
    """The page's path and query, as a person reads it in the address bar."""
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "") or page.url


def fail(page: Page, message: str) -> NoReturn:
    """Raise the mismatch, with a screenshot of the page attached to the report."""
    try:
        shot = page.screenshot(full_page=True, timeout=5000)
    except PlaywrightError:
        shot = None
    if shot is not None:
        allure.attach(shot, name="the page", attachment_type=allure.attachment_type.PNG)
    raise PageMismatch(message)


@dataclass(frozen=True)
class Sought:
    """What a step looks for: `a button named "Save" within "Billing"`."""

    kind: str  # "button", "field", ...; its plural names the list of what was offered
    name: str
    region: str | None = None
    roles: tuple[str, ...] = ()  # the roles whose names are offered when it is not found
    plural: str = ""
    offered_as: str = ""  # how the list of what the page offered is called, if not plural
    hint: str = ""  # said after what the page offered: how such a thing is named
    # said when several elements have the name
    several: str = (
        'add within "<region>" to the step to say which (a region is a landmark, section, '
        "form, dialog, table or list named by its aria-label or its heading)"
    )

    def described(self) -> str:
        within = f' within "{self.region}"' if self.region else ""
        return f'a {self.kind} named "{self.name}"{within}'

    @property
    def kinds(self) -> str:
        return self.plural or f"{self.kind}s"


def union(candidates: Sequence[Locator]) -> Locator:
    combined = candidates[0]
    for candidate in candidates[1:]:
        combined = combined.or_(candidate)
    return combined


def wait_for_any(candidates: Sequence[Locator], timeout: float, visible: bool) -> bool:
    """Whether any candidate finds an element within the timeout (seconds)."""
    combined = union(candidates)
    if visible:
        combined = combined.filter(visible=True)
    try:
        combined.first.wait_for(state="attached", timeout=timeout * 1000)
    except PlaywrightError:
        return False
    return True


def find_one(
    page: Page,
    scope: Locator,
    sought: Sought,
    candidates: Sequence[Locator],
    timeout: float,
    visible: bool = True,
    offered: Callable[[], list[str]] | None = None,
    more: Callable[[], str] | None = None,
) -> Locator:
    """The one element the first matching candidate finds, waiting up to `timeout` seconds
    for any of them; a PageMismatch naming what the page offered when none does, or when
    the name is used by several elements (a region then tells them apart)."""
    if wait_for_any(candidates, timeout, visible):
        for candidate in candidates:
            found = candidate.filter(visible=True) if visible else candidate
            count = found.count()
            if count == 1:
                return found
            if count > 1:
                fail(
                    page,
                    f"The page {where(page)} shows {count} {sought.kinds} named "
                    f'"{sought.name}"{_within(sought)}; {sought.several}.',
                )
    names = offered() if offered is not None else names_by_role(scope, sought.roles)
    message = (
        f"Looked for {sought.described()} on {where(page)} for {timeout:g} s and found none. "
        f"{offer(sought.name, names, sought.offered_as or sought.kinds, scope)}"
    )
    if sought.hint:
        message += f" {sought.hint}"
    if more is not None and (said := more()):
        message += f" {said}"
    fail(page, message)


def _within(sought: Sought) -> str:
    return f' within "{sought.region}"' if sought.region else ""
