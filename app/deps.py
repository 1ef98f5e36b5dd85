"""Request dependencies: databases, settings, the signed-in user or platform admin."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request
from starlette.responses import Response

from app.config import Settings
from app.db import Databases
from app.onboarding import step_path
from app.payments import Gateway
from app.sessions import (
    ADMIN_COOKIE,
    SESSION_LIFETIME,
    USER_COOKIE,
    CurrentAdmin,
    CurrentUser,
    load_admin,
    load_user,
)


class Redirect(Exception):  # noqa: N818 - control flow, not an error
    """Answer with a 303 redirect; clear_cookie also logs the browser out."""

    def __init__(self, location: str, clear_cookie: str | None = None) -> None:
        super().__init__(location)
        self.location = location
        self.clear_cookie = clear_cookie


def settings(request: Request) -> Settings:
    return request.app.state.settings


def dbs(request: Request) -> Databases:
    return request.app.state.dbs


def gateway(request: Request) -> Gateway:
    return request.app.state.gateway


def current_user(request: Request) -> CurrentUser:
    """The signed-in user of an unsuspended tenant, else a redirect to /login."""
    token = request.cookies.get(USER_COOKIE)
    user = load_user(dbs(request).primary, token)
    if user is None:
        raise Redirect("/login", clear_cookie=USER_COOKIE if token else None)
    return user


def onboarded_user(request: Request) -> CurrentUser:
    """A signed-in user whose tenant finished the setup wizard."""
    user = current_user(request)
    if user.onboarding_step != "complete":
        raise Redirect(step_path(user.onboarding_step))
    return user


def current_admin(request: Request) -> CurrentAdmin:
    token = request.cookies.get(ADMIN_COOKIE)
    admin = load_admin(dbs(request).primary, token)
    if admin is None:
        raise Redirect("/admin/login", clear_cookie=ADMIN_COOKIE if token else None)
    return admin


def set_session_cookie(
    request: Request, response: Response, name: str, token: str, lifetime: timedelta
) -> None:
    response.set_cookie(
        name,
        token,
        max_age=int(lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings(request).public_url.startswith("https://"),
    )


def set_user_cookie(request: Request, response: Response, token: str) -> None:
    set_session_cookie(request, response, USER_COOKIE, token, SESSION_LIFETIME)


def clear_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="lax")
