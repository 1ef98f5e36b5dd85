"""Regions: the part of a page a step is scoped to with ` within "<region>"`.

A region is a landmark (navigation, main, banner, …), a section, form, dialog, table, list or
group (a fieldset) whose accessible name is exactly the region's name: its aria-label, its
aria-labelledby, a table's caption, a fieldset's legend; or whose heading is that name: the
nearest section, article, aside, nav, main, form, fieldset, dialog, table or list item around
the heading (a card in a list is the item). Named landmarks come before headings: on a page
with `<nav aria-label="Settings">` and `<h1>Settings</h1>`, "Settings" is the nav. A
data-testid is the last resort.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.finding import Sought, find_one
from pages.offered import names_by_role

REGION_ROLES = (
    "region",
    "navigation",
    "main",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "form",
    "dialog",
    "alertdialog",
    "table",
    "grid",
    "list",
    "group",
    "radiogroup",
    "article",
    "tabpanel",
)
REGION_HINT = (
    "A region is a landmark, section, form, dialog, table or list whose aria-label, caption, "
    "legend or heading is exactly its name."
)
# the containers a heading names (the nearest one around the heading)
_CONTAINERS = (
    "self::section or self::article or self::aside or self::nav or self::main or self::form "
    "or self::fieldset or self::dialog or self::table or self::li or @role='region' "
    "or @role='dialog' or @role='group' or @role='tabpanel' or @role='listitem' "
    "or @role='article'"
)


def whole_page(page: Page) -> Locator:
    return page.locator("body")


def region_candidates(page: Page, name: str) -> list[Locator]:
    by_role = [page.get_by_role(role, name=name, exact=True) for role in REGION_ROLES]
    heading = page.get_by_role("heading", name=name, exact=True)
    by_heading = heading.locator(f"xpath=ancestor::*[{_CONTAINERS}][1]")
    return [*by_role, by_heading, page.get_by_test_id(name)]


def region(page: Page, name: str | None, timeout: float) -> Locator:
    """The region named `name` (the whole page when None), waiting up to `timeout` seconds."""
    if name is None:
        return whole_page(page)
    body = whole_page(page)
    sought = Sought(
        "region",
        name,
        offered_as="named regions and headings",
        hint=REGION_HINT,
        several="a region's name must be its own on the page: scope the step to another one",
    )
    return find_one(
        page,
        body,
        sought,
        region_candidates(page, name),
        timeout,
        offered=lambda: _regions_offered(body),
    )


def _regions_offered(body: Locator) -> list[str]:
    """Named regions, then headings (each names the container around it)."""
    regions = names_by_role(body, REGION_ROLES)
    headings = names_by_role(body, ("heading",))
    return [*regions, *(h for h in headings if h not in regions)]


_DESCRIBE = """e => {
  const label = e.getAttribute("aria-label");
  const heading = e.querySelector("h1, h2, h3, h4, h5, h6, [role=heading], caption, legend");
  return [e.tagName.toLowerCase(), label, heading ? heading.innerText.trim() : null];
}"""


def describe_region(scope: Locator) -> str:
    """`the <nav> labelled "Settings"`: which element a region's name was taken to mean."""
    try:
        tag, label, heading = scope.evaluate(_DESCRIBE, timeout=2000)
    except Exception:
        return "no longer on the page"
    if label:
        return f'the <{tag}> labelled "{label}"'
    if heading:
        return f'the <{tag}> under the heading "{heading}"'
    return f"the <{tag}> element"
