"""AppProduct: the declaration through which a product plugs into the platform."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request

from app.platform.db import Databases
from app.platform.sessions import Authenticator
from app.platform.sign_in_records import SignInRecords, spanner_records

_DATABASE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def _no_services() -> Mapping[str, object]:
    return {}


@dataclass(frozen=True)
class FailedSignIn:
    """A sign-in that did not get in, for the product to audit: the login name tried, the
    client's address, whether the name was locked already, and whether this attempt locked it."""

    login_name: str
    client_address: str
    was_locked: bool
    locks_now: bool


@dataclass(frozen=True)
class AppProduct:
    """What the platform needs to know to serve a product.

    ``templates`` is searched before the platform's own templates. The platform's pages
    include, when the product has them, ``_head.html`` (extra <head> content), ``_nav.html``
    (the header's navigation) and ``_login_footer.html`` (below the login form).
    ``services`` builds objects put on ``app.state`` by name (e.g. a payment gateway).
    ``startup`` runs once when the app starts, bounded in time, after the databases open.
    ``session_idle_minutes``: a session unused this long ends (APP_SESSION_IDLE_MINUTES
    overrides it). ``sign_in_records`` keeps failed sign-ins, locks and session activity
    (default: tables in the first database). ``sign_in_failed`` is told of every sign-in
    that did not get in (in a worker thread; an exception from it answers 500).
    ``signing_out`` is told of a sign-out at the shared POST /logout before its sessions end
    (e.g. to audit it); it must not raise: a sign-out never waits on anything.
    """

    title: str
    databases: tuple[str, ...]
    routers: tuple[APIRouter, ...]
    templates: Path
    authenticator: Authenticator
    mail_from: str
    support_email: str
    startup: Callable[[Databases], None] | None = None
    services: Callable[[], Mapping[str, object]] = _no_services
    session_idle_minutes: int = 60
    sign_in_records: Callable[[Databases], SignInRecords] = spanner_records
    sign_in_failed: Callable[[Databases, FailedSignIn], None] | None = None
    signing_out: Callable[[Request], None] | None = None

    def __post_init__(self) -> None:
        if not self.databases:
            raise ValueError("a product needs at least one database")
        for name in self.databases:
            if not _DATABASE_NAME_RE.match(name) or name == "status":
                raise ValueError(
                    f"database name {name!r} must match [a-z][a-z0-9_]* and not be 'status'"
                )
