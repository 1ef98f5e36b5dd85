"""Request dependencies of the SaaS pages: the signed-in user or operator, the gateway."""

from __future__ import annotations

from fastapi import Request

from app.platform.deps import Redirect
from app.platform.sessions import signed_in
from app.saas.onboarding import step_path
from app.saas.payments import Gateway
from app.saas.rules_settings import SignupRules
from app.saas.sessions import ADMIN_SESSIONS, USER_SESSIONS, CurrentAdmin, CurrentUser


def gateway(request: Request) -> Gateway:
    return request.app.state.gateway


def signup_rules(request: Request) -> SignupRules:
    return request.app.state.signup_rules


def current_user(request: Request) -> CurrentUser:
    """The signed-in user of an unsuspended tenant, else a redirect to /login."""
    return signed_in(request, USER_SESSIONS)


def onboarded_user(request: Request) -> CurrentUser:
    """A signed-in user whose tenant finished the setup wizard."""
    user = current_user(request)
    if user.onboarding_step != "complete":
        raise Redirect(step_path(user.onboarding_step))
    return user


def current_admin(request: Request) -> CurrentAdmin:
    """The signed-in platform operator, else a redirect to /login."""
    return signed_in(request, ADMIN_SESSIONS)
