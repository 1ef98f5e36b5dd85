"""Browser contexts kept from one scenario to the next, made clean again in between.

A new context and page per scenario cost more than clearing a kept one (the figures:
benchmarks and the run's timing summary). What a scenario may leave behind, and what takes it
away when its context is given back:

- pages: every page but the kept one is closed (popups, second tabs); the kept one leaves the
  app for about:blank (below) and forgets its history
- cookies: context.clear_cookies()
- storage of every origin the context's pages showed (the app's, and any other): the kept page
  first leaves for about:blank, which stops the app's scripts (its unload handlers run then, so
  nothing writes after the clearing) and cancels the requests still on their way (a request a
  route holds, left to go when the routes are removed, would reach the app during the next
  scenario), and Chromium's Storage.clearDataForOrigin clears each
  origin's storage of every kind (localStorage, and sessionStorage with it in Chromium,
  IndexedDB, Cache Storage, service workers...). The HTTP cache: Network.clearBrowserCache.
  A scenario that checks a page before opening one sees about:blank, and fails
- permissions, geolocation, offline mode, extra HTTP headers (the context's and the page's),
  routes (the context's and the page's), the viewport's size
- a listener a step left on the page: the page is not kept (a new one replaces it); on the
  context, or a function exposed to pages, or a page address with a password in it (Chromium
  remembers it for the context's life, with no command to forget it): the context is not kept

Once the page has left, the clearing's calls are sent together and awaited together
(`_at_once`): one round trip's wait instead of one each. The close costs about 35 ms a scenario
in the headless shell (harness/browser.py; about 60 ms in the full Chromium), against about
70 ms with a call at a time (benchmarks: the runs' "scenario browser close").

What a kept context cannot undo (init scripts, the clock) is not used on a scenario's context:
a step that needs it opens a context of its own (tests/harness/test_browser_isolation.py reads
the steps and page objects for it). Any failure while clearing closes the context instead, so a
scenario never gets one that was not cleared. Chromium only (Storage.clearDataForOrigin is
Chromium's); other browsers get a new context for each scenario.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Error, Frame, Page

VIEWPORT = {"width": 1280, "height": 720}  # Playwright's default for a new context
# an internal step of its own is not allowed to wait long: past this, the context is closed
CLEARING_TIMEOUT_MS = 5_000
BLANK = "about:blank"


def origin_of(url: str) -> str | None:
    """scheme://host:port of a web page's address; None for about:, data: and the like."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def shows_nothing(url: str) -> bool:
    """A page's address is the blank page a cleared context's page waits on."""
    return url == BLANK


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


def _at_once(page: Page, *calls: Coroutine[Any, Any, Any]) -> None:
    """Playwright calls sent together and awaited together. The sync API has no public way to
    do it: the calls are its objects' async implementations (`_impl_obj`) run on its own loop
    (`_sync`). Where those internals change, the error closes the context (give_back) and each
    scenario gets a new one: slower, never less clean."""
    try:
        run = page._sync  # type: ignore[attr-defined]
    except AttributeError:
        for call in calls:
            call.close()
        raise

    async def all_of() -> None:
        await asyncio.gather(*calls)

    run(all_of())


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
        # their async implementations, for _at_once
        page, context_impl, page_impl = self.page, context._impl_obj, self.page._impl_obj
        # first, alone: the app's scripts stop, and requests still on their way are cancelled
        # (one a route holds would reach the app if the routes went first: Chromium lets
        # paused requests go when interception ends). Even from about:blank: a step may have
        # written into it (set_content, a script) without a navigation
        page.goto(BLANK, timeout=CLEARING_TIMEOUT_MS)
        _at_once(
            page,
            context_impl.unroute_all(behavior="ignoreErrors"),
            page_impl.unroute_all(behavior="ignoreErrors"),
            context_impl.set_offline(False),
            context_impl.set_extra_http_headers({}),
            context_impl.set_geolocation(None),
            context_impl.clear_permissions(),
            *(
                self._cdp("Storage.clearDataForOrigin", origin=o, storageTypes="all")
                for o in sorted(self.origins)
            ),
            self._cdp("Page.resetNavigationHistory"),
            self._cdp("Network.clearBrowserCache"),
            page_impl.set_extra_http_headers({}),
            context_impl.clear_cookies(None, None, None),
        )
        if page.viewport_size != VIEWPORT:
            page.set_viewport_size(VIEWPORT)
        self.origins.clear()
        return True

    def _cdp(self, method: str, **params: Any) -> Coroutine[Any, Any, Any]:
        return self.cdp._impl_obj.send(method, params, None)

    def _note_frames(self, frames: Iterable[Frame]) -> None:
        for frame in frames:
            self._note(frame)

    def _replace_page(self) -> None:
        """A step left a listener on the page: a new page instead (its own history and
        sessionStorage)."""
        old = self.page
        self._new_page()
        old.close()

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

    def keep(self, base_url: str) -> None:
        """A new context for base_url, kept idle until a scenario takes it."""
        self.idle.setdefault(base_url, []).append(KeptContext(self.browser, base_url))

    def give_back(self, base_url: str, kept: KeptContext) -> None:
        try:
            clean = kept.clear()
        except Exception:  # whatever went wrong, the context is not given to another scenario
            clean = False
        if clean:
            self.idle.setdefault(base_url, []).append(kept)
        else:
            kept.close()
