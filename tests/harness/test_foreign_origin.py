"""The attacker's site the security steps serve (harness/foreign_origin.py): another origin
than any app's, its pages auto-submitting a forged form, its values escaped."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import httpx
import pytest
from harness_testkit import serving
from playwright.sync_api import sync_playwright

from harness.browser import CHROMIUM_ARGS, chromium_executable
from harness.foreign_origin import (
    MULTIPART,
    ForeignSite,
    ForgedFile,
    ForgedForm,
    submit_from_foreign_site,
)


def test_a_published_page_submits_the_forged_form_to_the_app() -> None:
    forged = ForgedForm("http://127.0.0.1:9/admin/x/suspend", {"reason": 'a "quoted" <b>'})
    site = ForeignSite().start()
    try:
        url = site.publish("/prize.html", forged.page())
        assert url.startswith("http://127.0.0.1:") and url.endswith("/prize.html")
        page = httpx.get(url, trust_env=False)
        missing = httpx.get(f"{site.origin}/nothing", trust_env=False)
    finally:
        site.stop()
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'action="http://127.0.0.1:9/admin/x/suspend"' in page.text
    assert 'value="a &quot;quoted&quot; &lt;b&gt;"' in page.text
    assert 'document.getElementById("forged").submit()' in page.text
    assert "csrf_token" not in page.text
    assert missing.status_code == 404


def test_a_stopped_site_answers_no_more() -> None:
    site = ForeignSite().start()
    url = site.publish("/a.html", "<p>a</p>")
    site.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, trust_env=False, timeout=2)


def test_a_path_must_start_with_a_slash() -> None:
    site = ForeignSite().start()
    try:
        with pytest.raises(ValueError, match="starts with '/'"):
            site.publish("prize.html", "<p>x</p>")
    finally:
        site.stop()


# every byte value, so that the page's decoding of the file is checked whole
ALL_BYTES = b"%PDF-1.4\n" + bytes(range(256))


def test_a_forged_upload_page_fills_its_file_input_by_script() -> None:
    file = ForgedFile('work</script>".pdf', ALL_BYTES, "application/pdf")
    forged = ForgedForm(
        "http://127.0.0.1:9/upload", {"notes": "n"}, "post", MULTIPART, {"file": file}
    )
    page = forged.page()
    assert '<input type="file" id="forged-file-0" name="file">' in page
    assert 'enctype="multipart/form-data"' in page
    assert page.count("</script>") == 1, "a file's name must not close the page's script"
    found = re.search(r"const files = (\{.*\});", page)
    assert found, page
    filled = json.loads(found.group(1))["forged-file-0"]
    assert filled["name"] == file.name and filled["type"] == "application/pdf"
    assert base64.b64decode(filled["content"]) == ALL_BYTES
    assert page.index("chosen.files") < page.index('getElementById("forged").submit()')


@pytest.mark.parametrize(("method", "enctype"), [("post", "application/x-www-form-urlencoded"),
                                                 ("get", MULTIPART)])  # fmt: skip
def test_files_are_sent_only_by_a_multipart_post(method: str, enctype: str) -> None:
    with pytest.raises(ValueError, match="with files \\(file\\) is sent by POST as multipart"):
        ForgedForm("http://127.0.0.1:9/u", {}, method, enctype, {"file": ForgedFile("a", b"a")})


class _Received:
    """What the app's stand-in was sent: the forged request's headers and body."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.body = b""


@pytest.fixture
def app_stand_in() -> Iterator[tuple[str, _Received]]:
    """Another origin than the foreign site's, that keeps the POST it receives."""
    received = _Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server protocol
            received.headers = {name.lower(): value for name, value in self.headers.items()}
            received.body = self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    with serving(Handler) as url:
        yield url, received


def test_a_real_browser_sends_the_forged_upload_from_the_other_origin(app_stand_in) -> None:
    app_origin, received = app_stand_in
    action = f"{app_origin}/courses/c/modules/m/assignment"
    file = ForgedFile("work.pdf", ALL_BYTES, "application/pdf")
    forged = ForgedForm(
        action, {"notes": "sent by another site"}, "post", MULTIPART, {"file": file}
    )
    with sync_playwright() as playwright:
        executable = chromium_executable(playwright, None)
        browser = playwright.chromium.launch(
            args=list(CHROMIUM_ARGS), **({"executable_path": executable} if executable else {})
        )
        try:
            answer = submit_from_foreign_site(browser.new_page(), forged, timeout_ms=15_000)
        finally:
            browser.close()
    assert answer.status == 200 and answer.url == action
    assert received.headers["content-type"].startswith(f"{MULTIPART}; boundary=")
    origin = received.headers["origin"]
    assert origin.startswith("http://127.0.0.1:") and origin != app_origin
    assert received.headers["sec-fetch-site"] == "same-site"
    body = received.body
    assert b'name="notes"\r\n\r\nsent by another site\r\n' in body
    assert b'name="file"; filename="work.pdf"\r\nContent-Type: application/pdf\r\n\r\n' in body
    assert b"\r\n\r\n" + ALL_BYTES + b"\r\n--" in body
