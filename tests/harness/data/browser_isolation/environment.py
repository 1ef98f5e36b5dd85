"""The isolation test's project: a small site served by this process, and the suite's own
scenario browser (harness/browser.py, harness/evidence.py) opened before each scenario and
closed after it, as harness/lifecycle.py does. No Spanner, no app.

The site answers, besides its files:
- /headers: the request's headers, as JSON
- /private: 401 unless the request carries the password (HTTP basic authentication)
- /counter: a number that grows at each request, which the browser may cache for an hour
- POST /held: counted (a request a scenario holds on its way must never arrive); GET
  /held-count: how many arrived
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from harness.browser import launch_browser, open_scenario_browser
from harness.config import load_settings
from harness.evidence import artifact_stem, close_scenario_browser

HERE = Path(__file__).resolve().parent
CREDENTIALS = "member:secret"
_counter = itertools.count(1)
ARRIVED = {"held": 0}


class SiteHandler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/headers":
            self._answer(200, json.dumps({k.lower(): v for k, v in self.headers.items()}))
        elif self.path == "/private":
            expected = "Basic " + base64.b64encode(CREDENTIALS.encode()).decode()
            if self.headers.get("Authorization") == expected:
                self._answer(200, "<h1>Members only</h1>", "text/html")
            else:
                self._answer(401, "who are you?", extra={"WWW-Authenticate": 'Basic realm="site"'})
        elif self.path == "/counter":
            self._answer(200, str(next(_counter)), extra={"Cache-Control": "max-age=3600"})
        elif self.path == "/held-count":
            self._answer(200, str(ARRIVED["held"]), extra={"Cache-Control": "no-store"})
        else:
            super().do_GET()

    def do_POST(self) -> None:  # noqa: N802 - the http.server protocol
        if self.path == "/held":
            ARRIVED["held"] += 1
            self._answer(200, "arrived")
        else:
            self._answer(404, "no such form")

    def _answer(
        self, status: int, body: str, kind: str = "text/plain", extra: dict | None = None
    ) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


def before_all(context) -> None:
    context.settings = load_settings(context.config.userdata)
    expect.set_options(timeout=context.settings.browser_expect_timeout * 1000)
    handler = functools.partial(SiteHandler, directory=str(HERE / "site"))
    context.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=context.server.serve_forever, daemon=True).start()
    context.base_url = f"http://127.0.0.1:{context.server.server_port}"
    context.playwright = sync_playwright().start()
    context.browser = launch_browser(context.playwright, context.settings)


def before_scenario(context, scenario) -> None:
    context.browser_session = open_scenario_browser(
        context.browser, context.base_url, context.settings
    )
    context.page = context.browser_session.page


def after_scenario(context, scenario) -> None:
    settings = context.settings
    close_scenario_browser(
        context.browser_session,
        artifact_stem(settings.output, scenario.name),
        scenario.status.has_failed(),
        settings.screenshot,
        settings.tracing,
    )


def after_all(context) -> None:
    context.browser.close()
    context.playwright.stop()
    context.server.shutdown()
