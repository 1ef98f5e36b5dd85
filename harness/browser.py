"""One Playwright browser per run; per scenario, a context and page kept from the last
scenario and cleared (Chromium: harness/context_reuse.py), or new ones.

Playwright's own browser build is used when installed; otherwise a system Chromium (Debian's
`chromium` package), since Playwright's download cannot reach its servers everywhere.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    Response,
)

from base.proc import command_line, descendants
from harness import tracing as trace_modes
from harness.config import Settings
from harness.context_reuse import ContextKeeper

SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Chromium's headless shell (Debian's package chromium-headless-shell), what Playwright itself
# runs headless: the same engine without the full browser's window and compositing, about 40 %
# less CPU and 30 % less time per navigation than the full Chromium in headless mode here
SYSTEM_HEADLESS_SHELLS = ("chromium-headless-shell",)
# the network may be closed: keep Chromium from phoning home at every start
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


class BrowserLaunchError(RuntimeError):
    pass


def chromium_executable(
    playwright: Any, explicit: str | None, headless: bool = False
) -> str | None:
    """None when Playwright's bundled Chromium is installed; else a system Chromium's path (for
    a headless run, the system's headless shell when it has one)."""
    if explicit:
        if not Path(explicit).is_file():
            raise BrowserLaunchError(f"setting browser.executable: no file at {explicit}")
        return explicit
    if Path(playwright.chromium.executable_path).is_file():
        return None
    for name in (*SYSTEM_HEADLESS_SHELLS, *SYSTEM_CHROMIUMS) if headless else SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserLaunchError(
        "no Chromium found: run `playwright install chromium`, or where that download cannot "
        "work, `apt-get install -y chromium`, or set -D browser.executable=/path/to/chromium"
    )


def ws_endpoints(setting: str | None) -> list[str]:
    """browser.ws_endpoint: one Playwright server, or several separated by commas (a load
    burst spreads its browser contexts over them; every other scenario uses the first)."""
    if not setting:
        return []
    endpoints = [part.strip() for part in setting.split(",")]
    for endpoint in endpoints:
        if not endpoint.startswith(("ws://", "wss://")) or len(endpoint) <= len("wss://"):
            raise BrowserLaunchError(
                f"setting browser.ws_endpoint: {endpoint!r} is not a Playwright server's "
                f"ws:// or wss:// address (several are separated by commas), in {setting!r}"
            )
    return endpoints


def launch_options(playwright: Any, settings: Settings) -> dict[str, Any]:
    """What browser_type.launch() is given, for the sync API and the async one alike."""
    options: dict[str, Any] = {"headless": not settings.headed, "slow_mo": settings.slowmo}
    if settings.browser == "chromium":
        options["args"] = list(CHROMIUM_ARGS)
        executable = chromium_executable(
            playwright, settings.browser_executable, headless=not settings.headed
        )
        if executable:
            options["executable_path"] = executable
    elif settings.browser_executable:
        options["executable_path"] = settings.browser_executable
    return options


def launch_browser(playwright: Playwright, settings: Settings) -> Browser:
    browser_type = getattr(playwright, settings.browser)
    endpoints = ws_endpoints(settings.browser_ws_endpoint)
    if endpoints:
        return browser_type.connect(endpoints[0], slow_mo=settings.slowmo)
    return browser_type.launch(**launch_options(playwright, settings))


def browser_pid(own_pid: int) -> int | None:
    """The main process of the browser this process launched (Playwright runs it under its
    driver with --remote-debugging-pipe); None when the browser is remote or not found."""
    for pid in descendants(own_pid):
        line = command_line(pid)
        if "--remote-debugging-pipe" in line and " --type=" not in line:
            return pid
    return None


@dataclass(frozen=True)
class PageAnswer:
    """An answer of the app to the page: to a load of the page itself (what a person's browser
    was given, redirects included), or to one of its requests (a script's, an image's)."""

    method: str
    path: str
    status: int
    loads_page: bool

    def __str__(self) -> str:
        return f"{status_name(self.status)} to {self.method} {self.path}"


def status_name(status: int) -> str:
    """`404 Not Found`; a status HTTP does not name is given by its number alone."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


@dataclass
class ScenarioBrowser:
    """The context and page of one scenario, with what the console said. `close()` gives a
    kept context back to be cleared for the next scenario (harness/context_reuse.py), or
    closes a context of the scenario's own."""

    context: BrowserContext
    page: Page
    tracing: bool
    console_errors: list[str] = field(default_factory=list)
    # the app's requests answered 500 since the last step ended (method and path each)
    server_errors: list[str] = field(default_factory=list)
    # the app's answers to the page, in order (a redirect, then the page it led to)
    app_answers: list[PageAnswer] = field(default_factory=list)
    give_back: Callable[[], None] | None = None
    _listeners: list[tuple[str, Callable[[Any], None]]] = field(default_factory=list)

    def stop_tracing(self, path: Path | None = None) -> None:
        """Ends the scenario's trace: written to `path`, or discarded without one."""
        if self.tracing:
            self.tracing = False
            self.context.tracing.stop(path=str(path) if path else None)

    def last_page_answer(self, what: str) -> PageAnswer:
        """The answer to the page's last load, after its redirects; `what` names the action
        that loaded it, for the message when there was none."""
        loads = [answer for answer in self.app_answers if answer.loads_page]
        if not loads:
            raise AssertionError(f"{what}: the browser loaded no page of the app")
        return loads[-1]

    def last_answer_to(self, method: str, path: str, what: str) -> PageAnswer:
        """The app's last answer to `method path` (its query aside) from the page."""
        sent = [a for a in self.app_answers if (a.method, a.path.split("?")[0]) == (method, path)]
        if not sent:
            raise AssertionError(f"{what}: the page sent no {method} {path}")
        return sent[-1]

    def close(self) -> None:
        give_back, self.give_back = self.give_back, None
        for event, listener in self._listeners:
            self.page.remove_listener(event, listener)
        try:
            self.stop_tracing()
        except Error:  # its trace was stopped by other means: the context is not kept
            give_back = None
        if give_back is None:
            self.context.close()
        else:
            give_back()


# the contexts each browser keeps between scenarios
_keepers: WeakKeyDictionary[Browser, ContextKeeper] = WeakKeyDictionary()


def keeps_contexts(settings: Settings) -> bool:
    """Chromium's contexts are kept and cleared between scenarios; other browsers' are new."""
    return settings.browser == "chromium"


def _keeper(browser: Browser) -> ContextKeeper:
    keeper = _keepers.get(browser)
    if keeper is None:
        keeper = _keepers[browser] = ContextKeeper(browser)
    return keeper


def _scenario_context(browser: Browser, base_url: str, settings: Settings) -> ScenarioBrowser:
    if not keeps_contexts(settings):
        context = browser.new_context(base_url=base_url)
        return ScenarioBrowser(context, context.new_page(), tracing=False)
    keeper = _keeper(browser)
    kept = keeper.take(base_url)
    session = ScenarioBrowser(kept.context, kept.page, tracing=False)
    session.give_back = lambda: keeper.give_back(base_url, kept)
    return session


def make_context_ready(browser: Browser, base_url: str, settings: Settings) -> None:
    """A kept context and page for base_url made now, for the first scenario to take: the
    start makes it while the services start (the first context of a browser is its slowest)."""
    if keeps_contexts(settings):
        _keeper(browser).keep(base_url)


def open_scenario_browser(browser: Browser, base_url: str, settings: Settings) -> ScenarioBrowser:
    session = _scenario_context(browser, base_url, settings)
    context, page = session.context, session.page
    for timeouts in (context, page):
        timeouts.set_default_timeout(settings.browser_action_timeout * 1000)
        timeouts.set_default_navigation_timeout(settings.browser_navigation_timeout * 1000)
    if trace_modes.records(settings.tracing):
        context.tracing.start(screenshots=True, snapshots=True, sources=False)
        session.tracing = True

    def remember(message: ConsoleMessage) -> None:
        if message.type == "error":
            session.console_errors.append(f"{message.location.get('url', '')}: {message.text}")

    def remember_error(error: Exception) -> None:
        session.console_errors.append(f"page error: {error}")

    def remember_answer(response: Response) -> None:
        if not response.url.startswith(base_url):
            return
        path = response.url.removeprefix(base_url) or "/"
        request = response.request
        # 500 is what the app answers to an exception it did not handle: a failure of its own,
        # whatever its page shows next (a deliberate refusal has a 4xx, a busy app a 503)
        if response.status == 500:
            session.server_errors.append(f"{request.method} {path}")
        loads_page = request.is_navigation_request() and response.frame == page.main_frame
        session.app_answers.append(PageAnswer(request.method, path, response.status, loads_page))

    session._listeners = [
        ("console", remember),
        ("pageerror", remember_error),
        ("response", remember_answer),
    ]
    for event, listener in session._listeners:
        page.on(event, listener)
    return session
