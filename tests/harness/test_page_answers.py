"""What the app answered the page (harness.browser.ScenarioBrowser.app_answers): the page's own
loads, a form's redirect and the page it led to among them, and its scripts' requests apart;
harness.page_answers checks a status and names the answer it found instead."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from types import SimpleNamespace

import pytest
from harness_testkit import launched_browser, serving

from harness.browser import PageAnswer, open_scenario_browser
from harness.config import load_settings
from harness.page_answers import assert_page_answered, assert_sent_answered

FORM = b'<form method="post" action="/send"><button>Send</button></form>'
ASK = 'fetch("/api/thing", {method: "PATCH"}).then(answer => answer.status)'


class App(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/form":
            self._answer(200, FORM)
        elif self.path == "/done":
            self._answer(200, b"<p>done</p>")
        else:
            self._answer(404, b"<p>no such page</p>")

    def do_POST(self) -> None:  # noqa: N802
        self.send_response(303)
        self.send_header("Location", "/done")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PATCH(self) -> None:  # noqa: N802
        self._answer(409, b"{}")

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def app() -> Iterator[str]:
    with serving(App) as url:
        yield url


def test_a_forms_redirect_the_page_it_led_to_and_a_scripts_request(app: str, tmp_path) -> None:
    settings = load_settings({"output": str(tmp_path), "tracing": "off"}, environ={})
    with launched_browser(settings) as browser:
        session = open_scenario_browser(browser, app, settings)
        context = SimpleNamespace(browser_session=session)
        with pytest.raises(AssertionError, match="loaded no page of the app"):
            assert_page_answered(context, 200, "before any page")
        session.page.goto("/form")
        with session.page.expect_navigation():
            session.page.get_by_role("button", name="Send").click()
        assert session.page.evaluate(ASK) == 409
        session.page.goto("/nothing-here?x=1")

        assert session.app_answers == [
            PageAnswer("GET", "/form", 200, loads_page=True),
            PageAnswer("POST", "/send", 303, loads_page=True),
            PageAnswer("GET", "/done", 200, loads_page=True),
            PageAnswer("PATCH", "/api/thing", 409, loads_page=False),
            PageAnswer("GET", "/nothing-here?x=1", 404, loads_page=True),
        ]
        assert assert_page_answered(context, 404, "no such page").path == "/nothing-here?x=1"
        with pytest.raises(AssertionError, match=r"must answer 410 Gone, it answered 404 Not"):
            assert_page_answered(context, 410, "rule")
        assert assert_sent_answered(context, "PATCH", "/api/thing", (400, 409), "r").status == 409
        with pytest.raises(AssertionError, match=r"must answer 400 Bad Request, it answered 409"):
            assert_sent_answered(context, "PATCH", "/api/thing", (400,), "rule")
        with pytest.raises(AssertionError, match="the page sent no DELETE /api/thing"):
            assert_sent_answered(context, "DELETE", "/api/thing", (204,), "rule")
        session.close()
