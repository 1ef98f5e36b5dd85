"""A real burst against a small local site: every login released together, the requests of each
login's navigation timed by the browser, and a login that does not arrive says where it stood."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

import pytest
from harness_testkit import serving
from playwright.async_api import Page
from playwright.sync_api import sync_playwright

from harness.browser import CHROMIUM_ARGS, chromium_executable
from harness.load.burst import BurstPlan, Credentials, run_burst

LOGIN = b'<form method="post" action="/login"><input name="email"><input name="password">'
LOGIN += b'<button type="submit">Log in</button></form>'


class Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = LOGIN if self.path == "/login" else b"<h1>Dashboard of Acme</h1>"
        self._answer(200, body)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers["Content-Length"])
        form = parse_qs(self.rfile.read(length).decode())
        if form.get("password") == ["right"]:
            self.send_response(303)
            self.send_header("Location", "/dashboard")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._answer(401, b"<p>Incorrect email or password.</p>" + LOGIN)

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    with serving(Site) as url:
        yield url


class SignIn:
    async def prepare(self, page: Page, person: Credentials) -> None:
        await page.goto("/login")
        await page.fill("input[name=email]", person.email)
        await page.fill("input[name=password]", person.password)

    async def submit(self, page: Page) -> None:
        await page.click("button")

    async def arrived(self, page: Page, timeout_ms: float) -> None:
        await page.get_by_text("Dashboard of Acme").wait_for(timeout=timeout_ms)


def launch_options(_playwright) -> dict:
    with sync_playwright() as playwright:
        executable = chromium_executable(playwright, None)
    return {"headless": True, "args": list(CHROMIUM_ARGS)} | (
        {"executable_path": executable} if executable else {}
    )


def test_a_burst_times_every_login_and_says_where_a_refused_one_stood(site: str) -> None:
    people = [Credentials("a@x.test", "right"), Credentials("b@x.test", "right")]
    people.append(Credentials("c@x.test", "wrong"))
    options = launch_options(None)
    plan = BurstPlan(site, people, "chromium", (), lambda _: options, 60, 5)
    outcome = run_burst(plan, SignIn())
    a, b, c = outcome.logins
    assert outcome.browsers == ["local"]
    for login in (a, b):
        assert login.reached and login.error is None
        assert [(hop.method, hop.status) for hop in login.hops] == [("POST", 303), ("GET", 200)]
        assert all(hop.seconds is not None and hop.seconds >= 0 for hop in login.hops)
        assert login.server == pytest.approx(sum(hop.seconds for hop in login.hops))
        assert login.end_to_end is not None and login.end_to_end > 0
    assert not c.reached and c.end_to_end is None
    assert c.page_url.endswith("/login")
    assert c.page_said.startswith("Incorrect email or password.")
    assert 0 <= outcome.cpu.busy_percent <= 100
