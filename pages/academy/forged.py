"""What a student can send the academy without its pages' help, from their own signed-in
browser session: a video's end reported by hand, answers posted past a closed quiz, and an
upload that announces a huge size (sent over a plain socket, so that the body can stop after
its first bytes). Each carries the session's cookies and, when the page has one, its form
token, as the page's own requests would: only the learning is skipped, not the session."""

from __future__ import annotations

import http.client
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.sync_api import APIResponse, Page

CSRF_META = 'meta[name="csrf-token"]'
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def form_token(page: Page) -> str | None:
    """The form token of the page the browser shows, if the academy gives one."""
    meta = page.locator(CSRF_META)
    return meta.first.get_attribute("content") if meta.count() else None


def _headers(page: Page) -> dict[str, str]:
    token = form_token(page)
    return {CSRF_HEADER: token} if token else {}


def report_video_end(page: Page, module_path: str) -> APIResponse:
    """POST <module>/video-finished, as the module page's script does when the player ends."""
    return page.request.post(
        f"{module_path}/video-finished",
        headers={"Accept": "application/json", **_headers(page)},
        max_redirects=0,
    )


def fetch_video(page: Page, module_path: str) -> APIResponse:
    """GET <module>/video, as the module page's player does."""
    return page.request.get(f"{module_path}/video", max_redirects=0)


def post_answers(page: Page, quiz_path: str, answers: Mapping[str, str]) -> APIResponse:
    """POST the quiz form with these fields, whatever the quiz page offers."""
    token = form_token(page)
    form = {**({CSRF_FIELD: token} if token else {}), **answers}
    return page.request.post(quiz_path, form=form, headers=_headers(page), max_redirects=0)


@dataclass(frozen=True)
class EarlyAnswer:
    status: int
    body: str
    sent_bytes: int  # of the body, when the answer came
    announced_bytes: int


def start_huge_upload(
    page: Page, base_url: str, path: str, announced: int, first: int, timeout: float
) -> EarlyAnswer:
    """A multipart upload that announces ``announced`` bytes and sends only its first ``first``
    bytes (the form token, then the file's start), then waits up to ``timeout`` seconds for the
    academy's answer without sending more. TimeoutError when it does not answer: it is waiting
    for the rest of the body."""
    parts = urlsplit(base_url)
    boundary = f"----academy{uuid.uuid4().hex}"
    token = form_token(page)
    head = b""
    if token:
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{CSRF_FIELD}"\r\n\r\n'
            f"{token}\r\n"
        ).encode()
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ).encode()
    cookies = "; ".join(
        f"{cookie['name']}={cookie['value']}" for cookie in page.context.cookies(base_url)
    )
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.putrequest("POST", path)
        for name, value in {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(announced),
            "Cookie": cookies,
            "Origin": f"{parts.scheme}://{parts.netloc}",
            **_headers(page),
        }.items():
            connection.putheader(name, value)
        body_start = head + b"%" * (first - len(head))
        connection.endheaders(body_start)
        try:
            response = connection.getresponse()
        except TimeoutError:
            raise TimeoutError(
                f"no answer within {timeout} s after {first} of {announced} announced bytes"
            ) from None
        return EarlyAnswer(response.status, response.read().decode(errors="replace"), first,
                           announced)  # fmt: skip
    finally:
        connection.close()
