"""Cross-site request forgery: a state-changing request must come from the app's own pages.

Two checks on every POST, PUT, PATCH and DELETE, before the app reads the request:

1. Where it comes from: a browser's ``Sec-Fetch-Site`` must be ``same-origin`` (or ``none``,
   typed by the person), and an ``Origin`` header must be the app's own (its public URL).
   A page of another site, a sibling subdomain or another port of the same host is refused,
   whatever SameSite lets through.
2. A token (double submit): the cookie ``csrf`` (``__Host-csrf`` behind https; HttpOnly,
   SameSite=Strict) holds a random token the app renders into every form (``csrf_field()``,
   as the form's first field) and into the page's ``<meta name="csrf-token">`` for scripts,
   which send it as the ``X-CSRF-Token`` header. The request's token must equal the cookie's.
   The login form has one too (login CSRF). A request that carries no session cookie and is
   not a form (a JSON API client with a key in a header, e.g. a usage API) needs no
   token: it has no ambient credential to abuse, and a browser cannot send it cross-site
   without a CORS preflight, which no app grants.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.platform.settings import Settings

log = logging.getLogger(__name__)

FIELD = "csrf_token"
HEADER = "x-csrf-token"
COOKIE = "csrf"
RENDERED = "csrf_rendered"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})
# a urlencoded form is read whole up to this size; a multipart one only up to its first part
MAX_FORM_BYTES = 1024 * 1024
MAX_FIRST_PART_BYTES = 64 * 1024
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_BOUNDARY_RE = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)

# (status, message) of a refusal; the app's error page shows it (web.py)
Refusal = tuple[int, str]
Refuse = Callable[[Scope, Receive, Send, Refusal], Awaitable[None]]
FOREIGN = (403, "This request did not come from this site's own pages, so nothing was changed.")
NO_TOKEN = (403, "This form has expired or was not sent from this site: reload the page.")
TOO_LARGE = (413, "The form is too large.")


def cookie_name(settings: Settings) -> str:
    return f"__Host-{COOKIE}" if settings.https else COOKIE


def _cookies(headers: MutableHeaders) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for value in headers.getlist("cookie"):
        try:
            jar.load(value)
        except Exception:  # a malformed cookie header: as if none was sent
            continue
    return {name: morsel.value for name, morsel in jar.items()}


def origin_refusal(headers: MutableHeaders, own_origin: str) -> str | None:
    """Why a browser's request is not from the app's own pages, or None."""
    site = headers.get("sec-fetch-site")
    if site is not None and site.lower() not in ALLOWED_FETCH_SITES:
        return f"Sec-Fetch-Site is {site!r}"
    origin = headers.get("origin")
    if origin is not None and origin.lower().rstrip("/") != own_origin:
        return f"Origin {origin!r} is not {own_origin!r}"
    return None


class CsrfProtection:
    """ASGI middleware; ``refuse`` sends the app's error page for a refusal."""

    def __init__(
        self, app: ASGIApp, settings: Settings, session_cookies: frozenset[str], refuse: Refuse
    ) -> None:
        self.app = app
        self.session_cookies = session_cookies
        self.origin = settings.origin
        self.cookie = cookie_name(settings)
        self.secure = settings.https
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = MutableHeaders(scope=scope)
        cookies = _cookies(headers)
        held = cookies.get(self.cookie, "")
        token = held if _TOKEN_RE.match(held) else secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state["csrf_token"] = token
        send = self._setting_cookie(send, token, state) if token != held else send

        if scope["method"] in UNSAFE_METHODS:
            where = f"{scope['method']} {scope['path']}"
            foreign = origin_refusal(headers, self.origin)
            if foreign is not None:
                log.warning("CSRF: %s refused: %s", where, foreign)
                await self.refuse(scope, receive, send, FOREIGN)
                return
            content_type = headers.get("content-type", "").lower()
            is_form = content_type.startswith(FORM_TYPES)
            if is_form or self.session_cookies.intersection(cookies):
                sent, receive, too_large = await self._sent_token(headers, content_type, receive)
                if too_large:
                    await self.refuse(scope, receive, send, TOO_LARGE)
                    return
                if not held or not sent or not hmac.compare_digest(sent, held):
                    why = "no csrf cookie" if not held else "no token" if not sent else "mismatch"
                    log.warning("CSRF: %s refused: %s", where, why)
                    await self.refuse(scope, receive, send, NO_TOKEN)
                    return
        await self.app(scope, receive, send)

    def _setting_cookie(self, send: Send, token: str, state: dict[str, object]) -> Send:
        """Set the cookie on an answer whose page holds the token (RENDERED in the state)."""

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and state.get(RENDERED):
                cookie = f"{self.cookie}={token}; Path=/; HttpOnly; SameSite=Strict"
                if self.secure:
                    cookie += "; Secure"
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        return send_with_cookie

    async def _sent_token(
        self, headers: MutableHeaders, content_type: str, receive: Receive
    ) -> tuple[str, Receive, bool]:
        """The token in the header, else in the form's body (read as far as needed, then
        handed on to the app unchanged); whether the body was too large to look into."""
        if headers.get(HEADER):
            return headers[HEADER], receive, False
        if content_type.startswith("application/x-www-form-urlencoded"):
            body, receive, complete = await _read(receive, MAX_FORM_BYTES)
            if not complete:
                return "", receive, True
            return _urlencoded_token(body), receive, False
        if content_type.startswith("multipart/form-data"):
            # the boundary as sent: it is case-sensitive
            match = _BOUNDARY_RE.search(headers.get("content-type", ""))
            if not match:
                return "", receive, False
            boundary = b"--" + match.group(1).encode("latin-1")
            body, receive, _ = await _read(receive, MAX_FIRST_PART_BYTES, until=boundary, count=2)
            return _first_part_token(body, boundary), receive, False
        return "", receive, False


def _urlencoded_token(body: bytes) -> str:
    values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(FIELD)
    return values[0] if values else ""


def _first_part_token(body: bytes, boundary: bytes) -> str:
    """The token when the multipart body's first part is the field csrf_token."""
    parts = body.split(boundary)
    if len(parts) < 3:
        return ""
    head, _, value = parts[1].partition(b"\r\n\r\n")
    if f'name="{FIELD}"'.encode() not in head:
        return ""
    return value.removesuffix(b"\r\n").decode("latin-1")


async def _read(
    receive: Receive, limit: int, until: bytes | None = None, count: int = 0
) -> tuple[bytes, Receive, bool]:
    """Read the body up to ``limit`` bytes (or until ``until`` was seen ``count`` times);
    the body read, a receive that replays it and goes on, and whether the body ended."""
    messages: list[Message] = []
    body = b""
    ended = False
    while len(body) <= limit:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            ended = True
            break
        body += message.get("body", b"")
        if not message.get("more_body", False):
            ended = True
            break
        if until is not None and body.count(until) >= count:
            break

    async def replay() -> Message:
        if messages:
            return messages.pop(0)
        return await receive()

    return body, replay, ended and len(body) <= limit
