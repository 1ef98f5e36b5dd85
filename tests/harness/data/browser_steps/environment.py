"""The browser steps' test project: a static site served from site/ by this process, one
product naming its pages, and the suite's own browser set-up; no Spanner, no app."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

from playwright.sync_api import expect, sync_playwright

from harness.browser import launch_browser, open_scenario_browser
from harness.config import load_settings
from harness.products import Product
from spanner.fixture_layout import FixtureLayout

HERE = Path(__file__).resolve().parent
SITE = Product(
    name="site",
    title="Test site",
    databases=("site",),
    app_module=None,
    page_paths={"home": "/", "catalogue": "/shop.html", "books": "/shop.html?tab=books"},
)


class QuietHandler(SimpleHTTPRequestHandler):
    """The site's files; /broken answers as an app that failed does."""

    def do_GET(self) -> None:
        if self.path == "/broken":
            self.send_error(500, "Internal Server Error", "The database is not answering")
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


def before_all(context) -> None:
    context.settings = load_settings(context.config.userdata)
    expect.set_options(timeout=context.settings.browser_expect_timeout * 1000)
    handler = functools.partial(QuietHandler, directory=str(HERE / "site"))
    context.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=context.server.serve_forever, daemon=True).start()
    context.app = SimpleNamespace(base_url=f"http://127.0.0.1:{context.server.server_port}")
    context.product = SimpleNamespace(product=SITE)
    context.fixtures = FixtureLayout(HERE / "fixtures", SITE.name)
    context.playwright = sync_playwright().start()
    context.browser = launch_browser(context.playwright, context.settings)


def before_feature(context, feature) -> None:
    context.fixture_folder = Path(feature.filename).stem


def before_scenario(context, scenario) -> None:
    context.learned = {}
    context.browser_session = open_scenario_browser(
        context.browser, context.app.base_url, context.settings
    )
    context.page = context.browser_session.page


def after_scenario(context, scenario) -> None:
    context.browser_session.close()


def after_all(context) -> None:
    context.browser.close()
    context.playwright.stop()
    context.server.shutdown()
