"""What the generic security steps read from the app's pages: a form as its button submits it,
and the addresses a page links to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Page

from pages.shared.login import LoginScreen

CSRF_COOKIES = ("csrf", "__Host-csrf")

__all__ = ["LoginScreen", "PageForm", "csrf_header", "form_of_button", "links_in"]


def csrf_header(page: Page) -> dict[str, str]:
    """The CSRF header the app's own scripts send: the browser's CSRF cookie holds the token
    (the app sets it on the first page that shows one; the sign-in page is opened in the
    background when the browser holds none yet)."""
    for attempt in range(2):
        held = [c["value"] for c in page.context.cookies() if c["name"] in CSRF_COOKIES]
        if held:
            return {"X-CSRF-Token": held[0]}
        if attempt == 0:
            page.request.get(LoginScreen.path)
    raise AssertionError(f"the app at {page.url} gave the browser no CSRF cookie")


# the form's action, method, encoding, fields (name, value; files left out) and the field
# each label names, as the browser would submit it now
_READ_FORM = """
button => {
  const form = button.form;
  if (!form) return null;
  const fields = [];
  for (const [name, value] of new FormData(form, button)) {
    if (typeof value === "string") fields.push([name, value]);
  }
  const labels = {};
  for (const label of form.querySelectorAll("label")) {
    const control = label.control;
    if (control && control.name) labels[label.textContent.trim()] = control.name;
  }
  return {action: form.action, method: form.method, enctype: form.enctype, fields, labels};
}
"""


@dataclass(frozen=True)
class PageForm:
    action: str
    method: str
    enctype: str
    fields: dict[str, str]
    labels: dict[str, str]  # a label's words -> the name of the field it names


def form_of_button(page: Page, button: str) -> PageForm:
    """The form that the button named ``button`` submits, read from the open page."""
    buttons = page.get_by_role("button", name=button, exact=True, include_hidden=True)
    if buttons.count() == 0:
        raise AssertionError(f"the page {page.url} has no button {button!r}")
    read = buttons.first.evaluate(_READ_FORM)
    if read is None:
        raise AssertionError(f"the button {button!r} on {page.url} submits no form")
    return PageForm(
        read["action"], read["method"], read["enctype"], dict(read["fields"]), read["labels"]
    )


_LINK = re.compile(r"""<(?:a|link|script|img|source|video)\b[^>]*?\b(?:href|src)="([^"]+)\"""")


def links_in(page_url: str, html: str) -> list[str]:
    """The same-origin addresses a page links to or loads, without fragments."""
    origin = urlsplit(page_url)[:2]
    found = []
    for raw in _LINK.findall(html):
        url = urljoin(page_url, raw.replace("&amp;", "&")).split("#", 1)[0]
        if urlsplit(url)[:2] == origin:
            found.append(url)
    return found
