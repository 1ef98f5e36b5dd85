"""One Playwright browser per run, a fresh context and page per scenario.

Playwright's own browser build is used when installed; otherwise a system Chromium (Debian's
`chromium` package), since Playwright's download cannot reach its servers everywhere.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright

from base.proc import command_line, descendants
from harness.config import Settings

SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
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


def chromium_executable(playwright: Any, explicit: str | None) -> str | None:
    """None when Playwright's bundled Chromium is installed; else a system Chromium's path."""
    if explicit:
        if not Path(explicit).is_file():
            raise BrowserLaunchError(f"setting browser.executable: no file at {explicit}")
        return explicit
    if Path(playwright.chromium.executable_path).is_file():
        return None
    for name in SYSTEM_CHROMIUMS:
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
        executable = chromium_executable(playwright, settings.browser_executable)
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


@dataclass
class ScenarioBrowser:
    """The context and page of one scenario, with what the console said."""

    context: BrowserContext
    page: Page
    tracing: bool
    console_errors: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.context.close()


def open_scenario_browser(browser: Browser, base_url: str, settings: Settings) -> ScenarioBrowser:
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(settings.browser_action_timeout * 1000)
    context.set_default_navigation_timeout(settings.browser_navigation_timeout * 1000)
    tracing = settings.tracing != "off"
    if tracing:
        context.tracing.start(screenshots=True, snapshots=True, sources=False)
    page = context.new_page()
    session = ScenarioBrowser(context, page, tracing)

    def remember(message: ConsoleMessage) -> None:
        if message.type == "error":
            session.console_errors.append(f"{message.location.get('url', '')}: {message.text}")

    page.on("console", remember)
    page.on("pageerror", lambda error: session.console_errors.append(f"page error: {error}"))
    return session
