"""Sessions: what a product's authenticator and session stores give the platform, and cookies.

A browser holds one cookie per kind of session (e.g. one for users, one for operators). The
cookie carries a random token; the product's store keeps only its SHA-256 (``session_id``).

Cookies are HttpOnly and SameSite=Lax; when the public URL is https they are also Secure and
named with the ``__Host-`` prefix (no Domain, Path=/), so no sibling subdomain can set or
shadow them. Over plain http (the suite's apps on http://127.0.0.1) neither applies: a
client that is not a browser (httpx, the suite's concurrent writers) keeps Secure cookies
to https. Beside the store's absolute lifetime, a session unused for the idle timeout ends
(its last use is kept in the platform's SessionActivity).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, TypeVar

from fastapi import Request
from starlette.responses import Response

from app.platform.db import Databases
from app.platform.deps import Redirect, dbs, settings, sign_in_records
from app.platform.security import new_token, sha256_hex

SESSION_LIFETIME = timedelta(hours=8)
LOGIN_PATH = "/login"
HOST_PREFIX = "__Host-"
# a session's last use is written at most this often (a write per page would cost more)
SEEN_EVERY_SECONDS = 30

P = TypeVar("P", covariant=True)


class SessionStore(Protocol[P]):
    """One kind of session: its cookie, and how the product loads and ends one."""

    @property
    def cookie(self) -> str: ...

    def load(self, databases: Databases, token: str) -> P | None:
        """Who the unexpired session belongs to, or None (unknown, expired or refused)."""
        ...

    def end(self, databases: Databases, token: str) -> None: ...


@dataclass(frozen=True)
class Granted:
    """A successful login: set ``cookie`` to ``token`` and send the browser to ``landing``."""

    cookie: str
    token: str
    landing: str


@dataclass(frozen=True)
class Refused:
    """Right credentials but no entry: the login page shows the ``notice`` template."""

    status: int
    notice: str


class Authenticator(Protocol):
    """The product decides whom an email and password belong to and starts their session."""

    @property
    def stores(self) -> Sequence[SessionStore[object]]: ...

    def log_in(self, databases: Databases, email: str, password: str) -> Granted | Refused | None:
        """Granted or Refused when the credentials match someone, else None."""
        ...


def new_session() -> tuple[str, str]:
    """A fresh cookie token and the session id (its SHA-256) a store keeps."""
    token = new_token()
    return token, session_id(token)


def session_id(token: str) -> str:
    return sha256_hex(token)


class RenewableSessionStore(SessionStore[P], Protocol[P]):
    """A store whose session can take a new id, keeping its owner and what it was granted."""

    def replace(self, databases: Databases, old_session_id: str, new_session_id: str) -> bool:
        """Give the session ``old_session_id`` the id ``new_session_id``; False if gone."""
        ...


def cookie_name(request: Request, name: str) -> str:
    """The name a session's cookie really has: ``__Host-<name>`` behind https."""
    return f"{HOST_PREFIX}{name}" if settings(request).https else name


def session_token(request: Request, store: SessionStore[object]) -> str | None:
    """The token of the request's session of this kind, if the browser sent one."""
    return request.cookies.get(cookie_name(request, store.cookie)) or None


def signed_in(request: Request, store: SessionStore[P]) -> P:
    """The owner of the request's session of this kind, else a redirect to the login page.

    A session idle for longer than the idle timeout is ended here."""
    name = cookie_name(request, store.cookie)
    token = session_token(request, store)
    principal = store.load(dbs(request), token) if token else None
    if principal is None or token is None:
        raise Redirect(LOGIN_PATH, clear_cookie=name if token else None)
    records = sign_in_records(request)
    sid = session_id(token)
    idle = records.idle_seconds(sid)
    if idle is not None and idle >= settings(request).session_idle_minutes * 60:
        store.end(dbs(request), token)
        records.forget(sid)
        raise Redirect(LOGIN_PATH, clear_cookie=name)
    if idle is None or idle >= SEEN_EVERY_SECONDS:
        records.seen(sid)
    return principal


def started_session(request: Request, token: str) -> None:
    """A session was just granted: its idle time counts from now."""
    sign_in_records(request).seen(session_id(token))


def end_session(request: Request, response: Response, store: SessionStore[object]) -> None:
    """End the request's session of this kind and clear its cookie."""
    token = session_token(request, store)
    if token:
        store.end(dbs(request), token)
        sign_in_records(request).forget(session_id(token))
    clear_cookie(response, cookie_name(request, store.cookie))


def renew_session(
    request: Request, response: Response, store: RenewableSessionStore[object]
) -> str | None:
    """A new token for the request's session (call it when the session gains a privilege,
    e.g. after the second factor): the old token stops working. The new token, set as the
    cookie on ``response``; None when the request had no live session of this kind."""
    old = session_token(request, store)
    if old is None:
        return None
    token, new_sid = new_session()
    if not store.replace(dbs(request), session_id(old), new_sid):
        return None
    sign_in_records(request).moved(session_id(old), new_sid)
    set_session_cookie(request, response, store.cookie, token)
    return token


def set_session_cookie(request: Request, response: Response, name: str, token: str) -> None:
    """Set the session cookie ``name`` (the store's name; prefixed here behind https)."""
    https = settings(request).https
    response.set_cookie(
        cookie_name(request, name),
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=https,
    )


def clear_cookie(response: Response, name: str) -> None:
    """Delete the cookie ``name`` as it was set (its real name, prefix included)."""
    secure = name.startswith(HOST_PREFIX)
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=secure)
