"""A made-up product for the platform's tests: the platform must serve any product, not
only the SaaS one. Its accounts and sessions live in memory; it has two kinds of account
(members and wardens) and one account that is refused entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse
from starlette.responses import Response

from app.platform.db import Databases
from app.platform.product import AppProduct
from app.platform.sessions import (
    Granted,
    Refused,
    SessionStore,
    new_session,
    renew_session,
    session_id,
    signed_in,
)
from app.platform.sign_in_records import SignInRecords
from app.platform.templating import render

PASSWORD = "Correct-Horse-9"
TITLE = "Test Product"
SUPPORT = "help@product.example.org"


@dataclass
class MemoryStore:
    """Sessions of one kind of account, in memory: session id (the token's hash) -> email."""

    cookie: str
    sessions: dict[str, str] = field(default_factory=dict)

    def start(self, email: str) -> str:
        token, sid = new_session()
        self.sessions[sid] = email
        return token

    def load(self, databases: Databases, token: str) -> str | None:
        return self.sessions.get(session_id(token))

    def end(self, databases: Databases, token: str) -> None:
        self.sessions.pop(session_id(token), None)

    def replace(self, databases: Databases, old_session_id: str, new_session_id: str) -> bool:
        if old_session_id not in self.sessions:
            return False
        self.sessions[new_session_id] = self.sessions.pop(old_session_id)
        return True


@dataclass
class MemoryAuthenticator:
    members: MemoryStore = field(default_factory=lambda: MemoryStore("member_session"))
    wardens: MemoryStore = field(default_factory=lambda: MemoryStore("warden_session"))

    @property
    def stores(self) -> Sequence[SessionStore[object]]:
        return (self.members, self.wardens)

    def log_in(self, databases: Databases, email: str, password: str) -> Granted | Refused | None:
        if password != PASSWORD:
            return None
        if email == "member@product.example.org":
            return Granted(self.members.cookie, self.members.start(email), "/member")
        if email == "warden@product.example.org":
            return Granted(self.wardens.cookie, self.wardens.start(email), "/warden")
        if email == "blocked@product.example.org":
            return Refused(423, "_blocked.html")
        return None


@dataclass
class MemorySignInRecords:
    """The platform's sign-in records in memory (the made-up product has no Spanner); the
    clock is ``now`` seconds, moved by the tests."""

    now: float = 0.0
    failures: dict[str, int] = field(default_factory=dict)
    locked_until: dict[str, float] = field(default_factory=dict)
    last_seen: dict[str, float] = field(default_factory=dict)

    def locked(self, name: str) -> bool:
        return self.locked_until.get(name, float("-inf")) > self.now

    def failed(self, name: str, limit: int, lock_minutes: int) -> bool:
        count = self.failures.get(name, 0) + 1
        locks = count >= limit
        self.failures[name] = 0 if locks else count
        if locks:
            self.locked_until[name] = self.now + lock_minutes * 60
        return locks

    def succeeded(self, name: str) -> None:
        self.failures.pop(name, None)
        self.locked_until.pop(name, None)

    def unlock(self, name: str) -> bool:
        counted = self.failures.pop(name, None) is not None
        locked = self.locked_until.pop(name, None) is not None
        return counted or locked

    def idle_seconds(self, session_id: str) -> int | None:
        seen = self.last_seen.get(session_id)
        return None if seen is None else int(self.now - seen)

    def seen(self, session_id: str) -> None:
        self.last_seen[session_id] = self.now

    def forget(self, session_id: str) -> None:
        self.last_seen.pop(session_id, None)

    def moved(self, old_session_id: str, new_session_id: str) -> None:
        self.last_seen.pop(old_session_id, None)
        self.last_seen[new_session_id] = self.now


TEMPLATES = {
    "_nav.html": '{% if who %}<nav data-testid="nav">signed in as {{ who }}</nav>{% endif %}',
    "_login_footer.html": '<p data-testid="login-footer">Made-up product</p>',
    "_blocked.html": '<div class="blocked">Blocked; write to {{ support_email }}.</div>',
    "page.html": '{% extends "base.html" %}{% block content %}<p>{{ who }}</p>{% endblock %}',
}


def make_product(folder: Path, databases: tuple[str, ...] = ("things",)) -> AppProduct:
    """The made-up product, its templates written to ``folder``."""
    for name, text in TEMPLATES.items():
        (folder / name).write_text(text)
    authenticator = MemoryAuthenticator()
    records: SignInRecords = MemorySignInRecords()
    router = APIRouter()
    # Dependencies are closures over this product's stores: plain defaults, not Annotated
    # (string annotations of closures cannot be resolved).

    def member(request: Request) -> str:
        return signed_in(request, authenticator.members)

    def warden(request: Request) -> str:
        return signed_in(request, authenticator.wardens)

    @router.get("/member")
    def member_page(request: Request, who: str = Depends(member)) -> Response:  # noqa: B008
        return render(request, "page.html", who=who)

    @router.get("/warden")
    def warden_page(who: str = Depends(warden)) -> Response:  # noqa: B008
        return PlainTextResponse(f"warden {who}")

    @router.post("/member/renew")
    def renew(request: Request, who: str = Depends(member)) -> Response:  # noqa: B008
        response = PlainTextResponse(f"renewed {who}")
        renew_session(request, response, authenticator.members)
        return response

    @router.get("/boom")
    def boom() -> Response:
        raise RuntimeError("a bug")

    return AppProduct(
        title=TITLE,
        databases=databases,
        routers=(router,),
        templates=folder,
        authenticator=authenticator,
        mail_from="robot@product.example.org",
        support_email=SUPPORT,
        sign_in_records=lambda databases: records,
    )
