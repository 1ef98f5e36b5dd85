"""The first scenario's browser context, made ahead while the services start
(harness.browser.make_context_ready): the first scenario of that address takes it, a scenario of
another address gets one of its own, and what the first scenario left is cleared as ever."""

from __future__ import annotations

from harness_testkit import launched_browser

from harness.browser import make_context_ready, open_scenario_browser
from harness.config import load_settings

APP = "http://127.0.0.1:9"  # never opened: a context's base URL only
OTHER = "http://127.0.0.1:10"


def test_the_first_scenario_takes_the_context_made_ahead(tmp_path) -> None:
    settings = load_settings({"output": str(tmp_path), "tracing": "off"}, environ={})
    with launched_browser(settings) as browser:
        make_context_ready(browser, APP, settings)
        (made,) = browser.contexts
        first = open_scenario_browser(browser, APP, settings)
        assert first.context is made and first.context.pages == [first.page]
        other = open_scenario_browser(browser, OTHER, settings)
        assert other.context is not made, "another address has a context of its own"
        first.page.set_content("<title>left behind</title>")
        first.close()
        other.close()
        second = open_scenario_browser(browser, APP, settings)
        assert second.context is made, "given back cleared, it is kept for the next"
        assert second.page.url == "about:blank" and second.page.title() == ""
        second.close()
