"""The dashboard's profile API (PATCH /api/profile) as a client of its own sends it, signed in
with the browser's session: a body given byte for byte (padded, or in another encoding than
UTF-8), its length announced or not."""

from __future__ import annotations

import json
import uuid
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Page

from pages.shared.security import csrf_header

PROFILE_API = "/api/profile"
CHUNK_BYTES = 1024  # a body sent without its length goes in pieces of this size


def name_change(name: str, size: int | None = None, encoding: str = "utf-8") -> bytes:
    """The change's JSON, in that encoding, padded with spaces to ``size`` bytes when given."""
    body = json.dumps({"display_name": name}, ensure_ascii=False).encode(encoding)
    if size is None:
        return body
    if len(body) > size:
        raise ValueError(f"{body!r} is already longer than {size} bytes")
    return body + b" " * (size - len(body))


class ProfileApi:
    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")

    def send(
        self, body: bytes, announce: bool = True, content_type: str | None = "application/json"
    ) -> httpx.Response:
        """Sends the body as the dashboard's script sends a change (its session, its CSRF token,
        a new idempotency key), with Content-Length, or chunked without it; with no
        Content-Type at all when ``content_type`` is None."""
        parts = urlsplit(self.base_url)
        cookies = {c["name"]: c["value"] for c in self.page.context.cookies(self.base_url)}
        headers = {
            **({"Content-Type": content_type} if content_type else {}),
            "Idempotency-Key": str(uuid.uuid4()),
            "Origin": f"{parts.scheme}://{parts.netloc}",
            "Sec-Fetch-Site": "same-origin",
            **csrf_header(self.page),
        }
        content = (
            body
            if announce
            else (body[i : i + CHUNK_BYTES] for i in range(0, len(body), CHUNK_BYTES))
        )
        with httpx.Client(base_url=self.base_url, cookies=cookies, timeout=10) as client:
            return client.patch(PROFILE_API, headers=headers, content=content)
