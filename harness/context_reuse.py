"""Browser contexts kept from one scenario to the next, made clean again in between.

A new context and page per scenario cost more than clearing a kept one (the figures:
benchmarks and the run's timing summary). What a scenario may leave behind, and what takes it
away when its context is given back:

- pages: every page but the kept one is closed (popups, second tabs); the kept one leaves the
  app for a blank document (below; about:blank if it never showed one) and forgets its history
- cookies: context.clear_cookies()
- storage of every origin the context's pages showed (the app's, and any other): the kept page
  loads a blank document of that origin (CLEARED_PATH, served here, not by the app), clears
  sessionStorage (which lives in the tab) and localStorage there, and Chromium's
  Storage.clearDataForOrigin clears the rest (IndexedDB, Cache Storage, service workers...)
  while that document is open. The page stays on that document: the next scenario's first
  page of the app is then a navigation within the origin, 20 ms a scenario less than leaving
  for about:blank (benchmarks: the runs' "scenario browser close"). Its path is no app's page,
  so a scenario that checks a page before opening one fails. The HTTP cache:
  Network.clearBrowserCache
- permissions, geolocation, offline mode, extra HTTP headers (the context's and the page's),
  routes (the context's and the page's), the viewport's size
- a listener a step left on the page: the page is not kept (a new one replaces it); on the
  context, or a function exposed to pages, or a page address with a password in it (Chromium
  remembers it for the context's life, with no command to forget it): the context is not kept

What a kept context cannot undo (init scripts, the clock) is not used on a scenario's context:
a step that needs it opens a context of its own (tests/harness/test_browser_isolation.py reads
the steps and page objects for it). Any failure while clearing closes the context instead, so a
scenario never gets one that was not cleared. Chromium only (Storage.clearDataForOrigin is
Chromium's); other browsers get a new context for each scenario.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Error, Frame, Page

VIEWPORT = {"width": 1280, "height": 720}  # Playwright's default for a new context
# an internal step of its own is not allowed to wait long: past this, the context is closed
CLEARING_TIMEOUT_MS = 5_000
BLANK_DOCUMENT = "<!doctype html><title>cleared</title>"
# where the kept page waits for the next scenario, on the last origin it cleared
CLEARED_PATH = "/__suite_cleared__"


def origin_of(url: str) -> str | None:
    """scheme://host:port of a web page's address; None for about:, data: and the like."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def shows_nothing(url: str) -> bool:
    """A page's address is about:blank or the blank document a cleared page waits on."""
    return url == "about:blank" or (
        origin_of(url) is not None and urlsplit(url).path == CLEARED_PATH
    )


def _listener_counts(emitter: Page | BrowserContext) -> dict[str, int] | None:
    """How many listeners each event has (Playwright's own included). Playwright's sync API
    has no public reading of them; where its internals change, None: nothing is kept."""
    try:
        impl = emitter._impl_obj  # type: ignore[attr-defined]
        return {name: impl.listener_count(name) for name in impl.event_names()}
    except AttributeError:
        return None


def _unchanged(now: dict[str, int] | None, new: dict[str, int] | None) -> bool:
    return now is not None and now == new


def _exposed_functions(context: BrowserContext) -> int:
    try:
        return len(context._impl_obj._bindings)  # type: ignore[attr-defined]
    except AttributeError:
        return -1


class KeptContext:
    """One context and its kept page, with the listeners they had when they were new."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.origins: set[str] = set()
        # a page's address held a user name or password: Chromium keeps it for the context's
        # life (its HTTP authentication cache has no command to clear it)
        self.remembers_credentials = False
        self.context = browser.new_context(base_url=base_url)
        try:
            # every page of the context, the kept one too: what its frames show is cleared
            self.context.on("page", lambda page: page.on("framenavigated", self._note))
            self.context_listeners = _listener_counts(self.context)
            self._new_page()
        except Exception:
            self.close()
            raise

    def _new_page(self) -> None:
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.page_listeners = _listener_counts(self.page)

    def _note(self, frame: Frame) -> None:
        parts = urlsplit(frame.url)
        if parts.username or parts.password:
            self.remembers_credentials = True
        origin = origin_of(frame.url)
        if origin:
            self.origins.add(origin)

    def clear(self) -> bool:
        """Leaves the context as a new one; False when it cannot be (it must be closed)."""
        context = self.context
        if not _unchanged(_listener_counts(context), self.context_listeners):
            return False
        if _exposed_functions(context):
            return False
        for page in context.pages:
            self._note_frames(page.frames)
            if page is not self.page:
                page.close()
        if self.page.is_closed() or self.remembers_credentials:
            return False
        if not _unchanged(_listener_counts(self.page), self.page_listeners):
            self._replace_page()
        context.unroute_all(behavior="ignoreErrors")
        self.page.unroute_all(behavior="ignoreErrors")
        context.set_offline(False)
        context.set_extra_http_headers({})
        context.set_geolocation(None)
        context.clear_permissions()
        self._clear_origins()
        self._blank_page()
        context.clear_cookies()
        self.cdp.send("Network.clearBrowserCache")
        self.origins.clear()
        return True

    def _note_frames(self, frames: Iterable[Frame]) -> None:
        for frame in frames:
            self._note(frame)

    def _replace_page(self) -> None:
        """A step left a listener on the page: a new page instead (its own history and
        sessionStorage)."""
        old = self.page
        self._new_page()
        old.close()

    def _clear_origins(self) -> None:
        """Storage of each origin shown. sessionStorage lives in the page (the tab), so it is
        cleared from a blank document of that origin, served here rather than by the app;
        loading it also stops the app's scripts, so that nothing writes after the clearing."""
        if not self.origins:
            return
        page = self.page
        page.route(
            "**/*", lambda route: route.fulfill(body=BLANK_DOCUMENT, content_type="text/html")
        )
        try:
            for origin in sorted(self.origins):
                # first, or one of the app's service workers could answer for the blank document
                self._clear_origin(origin, "service_workers")
                page.goto(
                    f"{origin}{CLEARED_PATH}", timeout=CLEARING_TIMEOUT_MS, wait_until="commit"
                )
                page.evaluate("() => { sessionStorage.clear(); localStorage.clear(); }")
                self._clear_origin(origin, "all")
        finally:
            page.unroute_all(behavior="ignoreErrors")

    def _clear_origin(self, origin: str, kinds: str) -> None:
        self.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": kinds})

    def _blank_page(self) -> None:
        page = self.page
        if not shows_nothing(page.url):
            page.goto("about:blank", timeout=CLEARING_TIMEOUT_MS)
        self.cdp.send("Page.resetNavigationHistory")
        page.set_extra_http_headers({})
        if page.viewport_size != VIEWPORT:
            page.set_viewport_size(VIEWPORT)

    def close(self) -> None:
        try:
            self.context.close()
        except Error:
            pass  # the browser went first: nothing left to close


class ContextKeeper:
    """The kept contexts of one browser, by base URL: a scenario takes one (or a second
    device of the same scenario takes another), and gives it back cleared."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.idle: dict[str, list[KeptContext]] = {}

    def take(self, base_url: str) -> KeptContext:
        idle = self.idle.get(base_url)
        if idle:
            return idle.pop()
        return KeptContext(self.browser, base_url)

    def give_back(self, base_url: str, kept: KeptContext) -> None:
        try:
            clean = kept.clear()
        except Exception:  # whatever went wrong, the context is not given to another scenario
            clean = False
        if clean:
            self.idle.setdefault(base_url, []).append(kept)
        else:
            kept.close()
