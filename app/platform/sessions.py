"""Sessions: what a product's authenticator and session stores give the platform, and cookies.

A browser holds one cookie per kind of session (e.g. one for users, one for operators). The
cookie carries a random token; the product's store keeps only its SHA-256 (``session_id``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, TypeVar

from fastapi import Request
from starlette.responses import Response

from app.platform.db import Databases
from app.platform.deps import Redirect, dbs, settings
from app.platform.security import new_token, sha256_hex

SESSION_LIFETIME = timedelta(hours=8)
LOGIN_PATH = "/login"

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


def signed_in(request: Request, store: SessionStore[P]) -> P:
    """The owner of the request's session of this kind, else a redirect to the login page."""
    token = request.cookies.get(store.cookie)
    principal = store.load(dbs(request), token) if token else None
    if principal is None:
        raise Redirect(LOGIN_PATH, clear_cookie=store.cookie if token else None)
    return principal


def set_session_cookie(request: Request, response: Response, name: str, token: str) -> None:
    response.set_cookie(
        name,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings(request).public_url.startswith("https://"),
    )


def clear_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="lax")
