"""Faults between the browser and the app under test, made with Playwright's routing.

Each is named by what it does to the app and is deterministic: it acts on every request it
matches, never on a share of them, and nothing waits on a clock. A fault ends with ``end()``,
which restores the network for the requests that follow; ``discard()`` drops what a fault
still holds when the scenario ends without ending it (Playwright would otherwise keep each
held request's handler pending).

- ``AnswersLate``: every matching request is held, unanswered, until ``end()`` lets it go:
  then each reaches the app (late) and its answer is handed to the page, if the page still
  waits for it (a page that gave up on it, after its own time-out, gets nothing).
- ``AnswersLost``: every matching request reaches the app, and the app's answer is dropped
  on the way back: the page sees a network error although the app did the work.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Error, Route

UrlMatch = Callable[[str], bool]


def path_starts_with(prefix: str) -> UrlMatch:
    """Matches the requests whose path starts with ``prefix`` (e.g. "/api/")."""
    return lambda url: urlsplit(url).path.startswith(prefix)


def path_equals(path: str) -> UrlMatch:
    """Matches the requests to exactly this path (any query string)."""
    return lambda url: urlsplit(url).path == path


class _Fault:
    def __init__(self, browser: BrowserContext, match: UrlMatch, method: str | None) -> None:
        self.browser = browser
        self.match = match
        self.method = method.upper() if method else None
        self.delivered: list[str] = []  # "METHOD /path" of each request it let reach the app
        browser.route(match, self._on_request)

    def _handle(self, route: Route) -> None:
        raise NotImplementedError

    def _count(self, route: Route) -> None:
        self.delivered.append(f"{route.request.method} {urlsplit(route.request.url).path}")

    def _on_request(self, route: Route) -> None:
        if self.method is not None and route.request.method != self.method:
            route.fallback()
            return
        self._handle(route)

    def end(self) -> None:
        self.browser.unroute(self.match, self._on_request)

    def discard(self) -> None:
        """At the scenario's end: whatever the fault still holds is dropped, unanswered."""


class AnswersLate(_Fault):
    """The app answers late: matching requests wait until ``end()``, then reach it in order."""

    def __init__(self, browser: BrowserContext, match: UrlMatch, method: str | None = None) -> None:
        self.held: list[Route] = []
        super().__init__(browser, match, method)

    def _handle(self, route: Route) -> None:
        self.held.append(route)

    def end(self) -> None:
        super().end()  # first, so that no request is held while the others are let go
        held, self.held = self.held, []
        for route in held:
            response = route.fetch()
            self._count(route)
            try:
                route.fulfill(response=response)
            except Error:
                pass  # the page gave up on this request already: its late answer goes nowhere

    def discard(self) -> None:
        held, self.held = self.held, []
        for route in held:
            try:
                route.abort()
            except Error:
                pass  # already handled


class AnswersLost(_Fault):
    """The app's answer is lost: matching requests reach it, their answers never come back."""

    def _handle(self, route: Route) -> None:
        route.fetch()
        self._count(route)
        route.abort("connectionreset")
