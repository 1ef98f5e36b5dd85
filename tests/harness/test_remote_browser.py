"""browser.ws_endpoint, proven against a Playwright server started the documented way:

    playwright launch-server --browser chromium --config <json>

with a config naming the browser's executable, as on a machine that has only a system Chromium
(Playwright's own build is named by no config: the server takes it by itself where installed).
The suite's own harness.browser.launch_browser connects with settings that hold only the
endpoint, and opens a page that a small local web server serves. Each server is stopped at the
end of its test, and its port found closed.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from harness_testkit import serving
from playwright.sync_api import sync_playwright

from base import processes
from base.logs import tail
from base.ports import free_port
from harness.browser import (
    CHROMIUM_ARGS,
    BrowserLaunchError,
    chromium_executable,
    launch_browser,
    open_scenario_browser,
)
from harness.config import load_settings

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # seconds a server may take to print its endpoint
PAGE = b"<!doctype html><title>Remote</title><h1>Served to a remote browser</h1>"


@pytest.fixture(scope="module")
def executable() -> str | None:
    """What the config names: None where Playwright's own Chromium is installed."""
    with sync_playwright() as playwright:
        try:
            return chromium_executable(playwright, None)
        except BrowserLaunchError as error:
            pytest.skip(f"no Chromium on this machine: {error}")


@pytest.fixture
def page_url() -> Iterator[str]:
    """A tiny web server on the loopback, serving PAGE at /."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *_args: object) -> None:
            pass

    with serving(Handler) as url:
        yield url


def wait_for_line(
    log: Path, pattern: re.Pattern[str], child: subprocess.Popen[bytes], what: str
) -> re.Match[str]:
    """Bounded: the first line of the log that matches, or fail naming what did not appear."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        for line in text.splitlines():
            if match := pattern.search(line):
                return match
        try:  # the pause between looks, which also notices the server ending
            code = child.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(
            f"{what} ended (exit status {code}) before it printed its endpoint:\n{tail(log)}"
        )
    pytest.fail(f"{what} printed no endpoint within {START_TIMEOUT:.0f} s:\n{tail(log)}")


@contextmanager
def running(command: list[str], log: Path, pattern: re.Pattern[str], what: str) -> Iterator[str]:
    """Start a server, give its endpoint, and always stop it (its port then closed)."""
    child = processes.spawn(command, log, cwd=REPO)
    port = None
    try:
        endpoint = wait_for_line(log, pattern, child, what).group(1)
        port = int(re.search(r":(\d+)/", endpoint).group(1))
        yield endpoint
    finally:
        processes.stop(child)
    assert port is not None
    assert closed_within(port, 10.0), f"{what} still listens on {port} 10 s after it was stopped"


def closed_within(port: int, seconds: float) -> bool:
    """Bounded: True once nothing accepts connections on the loopback port."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            return True
        time.sleep(0.05)  # the interval between looks
    return False


def suite_opens(endpoint: str, url: str, tmp_path: Path) -> str:
    """Through the suite's own code: settings naming the endpoint (and tracing on, so that a
    scenario's trace is proven remote too), launch_browser, and a scenario's context on the
    page. Returns the page's heading."""
    settings = load_settings(
        {"browser.ws_endpoint": endpoint, "tracing": "on", "output": str(tmp_path)}, environ={}
    )
    with sync_playwright() as playwright:
        browser = launch_browser(playwright, settings)
        try:
            assert browser.is_connected() and browser.version
            session = open_scenario_browser(browser, url, settings)
            session.page.goto("/")
            heading = session.page.locator("h1").inner_text(timeout=10_000)
            session.context.tracing.stop(path=str(tmp_path / "remote.trace.zip"))
            session.close()
            assert (tmp_path / "remote.trace.zip").stat().st_size > 0
            return heading
        finally:
            browser.close()


def test_the_suite_uses_a_playwright_server_started_with_launch_server(
    executable: str | None, page_url: str, tmp_path: Path
) -> None:
    port = free_port()
    config = {"headless": True, "args": list(CHROMIUM_ARGS), "host": "127.0.0.1", "port": port,
              "wsPath": "/suite-test"}  # fmt: skip
    if executable:
        config["executablePath"] = executable
    config_path = tmp_path / "launch-server.json"
    config_path.write_text(json.dumps(config))
    command = [sys.executable, "-m", "playwright", "launch-server", "--browser", "chromium",
               "--config", str(config_path)]  # fmt: skip
    pattern = re.compile(r"^(ws://\S+)$")
    with running(command, tmp_path / "server.log", pattern, "playwright launch-server") as ws:
        assert ws == f"ws://127.0.0.1:{port}/suite-test"
        assert suite_opens(ws, page_url, tmp_path) == "Served to a remote browser"


def test_make_browser_server_gives_an_endpoint_the_suite_uses(
    executable: str | None, page_url: str, tmp_path: Path
) -> None:
    """scripts/browser_server.py, which `make browser-server` runs, on a free port."""
    command = [sys.executable, str(REPO / "scripts" / "browser_server.py"), "--port", "0"]
    pattern = re.compile(r"listening on (ws://\S+)")
    with running(command, tmp_path / "server.log", pattern, "scripts/browser_server.py") as ws:
        assert suite_opens(ws, page_url, tmp_path) == "Served to a remote browser"
    log = (tmp_path / "server.log").read_text()
    assert "launch-server --browser chromium --config" in log
    if executable:
        assert f'"executablePath": "{executable}"' in log
