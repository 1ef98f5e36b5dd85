"""Request dependencies of the clinic's pages: the signed-in provider, with one factor or two."""

from __future__ import annotations

from fastapi import Request

from app.clinic.sessions import PROVIDER_SESSIONS, CurrentProvider
from app.platform.deps import Redirect
from app.platform.sessions import signed_in

MFA_PATH = "/mfa"


def current_provider(request: Request) -> CurrentProvider:
    """The signed-in, active provider (password given), else a redirect to /login."""
    return signed_in(request, PROVIDER_SESSIONS)


def verified_provider(request: Request) -> CurrentProvider:
    """The provider when both factors were given; password only: a redirect to /mfa."""
    provider = current_provider(request)
    if not provider.mfa_verified:
        raise Redirect(MFA_PATH)
    return provider
