"""A form sent as a request with the browser's cookies, without loading the page that holds
it (a scenario that starts signed in, or a hand-made request), carrying the CSRF token the way
the clinic's own pages do (app/platform/csrf.py): the token of the browser's `csrf` cookie in
the X-CSRF-Token header. A browser that holds no token yet loads the sign-in page first, which
gives it one, as a person's browser gets it."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import APIResponse, Page

CSRF_COOKIES = ("csrf", "__Host-csrf")
CSRF_HEADER = "X-CSRF-Token"
TOKEN_PAGE = "/login"


def csrf_token(page: Page) -> str | None:
    """The browser's CSRF token, getting one from the sign-in page if it has none."""
    for attempt in range(2):
        held = [c["value"] for c in page.context.cookies() if c["name"] in CSRF_COOKIES]
        if held:
            return held[0]
        if attempt == 0:
            page.request.get(TOKEN_PAGE)
    return None  # an app without the CSRF defence gives none: the form goes without


def post_form(page: Page, path: str, form: dict[str, str], **options: Any) -> APIResponse:
    """POSTs the form to the path with the browser's cookies and its CSRF token."""
    token = csrf_token(page)
    headers = {CSRF_HEADER: token} if token else {}
    return page.request.post(path, form=form, headers=headers, **options)
