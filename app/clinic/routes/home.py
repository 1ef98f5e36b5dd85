"""The start page, the brief's sign-in address, and signing out (audited)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.clinic import audit
from app.clinic.sessions import PROVIDER_SESSIONS
from app.platform.deps import dbs
from app.platform.sessions import LOGIN_PATH, end_session, session_token

router = APIRouter()
SEARCH_PATH = "/patients/search"
SIGN_OUT_PATH = "/provider/logout"
log = logging.getLogger(__name__)


@router.get("/")
def home() -> Response:
    """The search (which sends a provider without both factors on to /login or /mfa)."""
    return RedirectResponse(SEARCH_PATH, status_code=303)


@router.get("/provider/login")
def provider_login() -> Response:
    """The brief's sign-in address; the sign-in page is the shared /login."""
    return RedirectResponse(LOGIN_PATH, status_code=303)


def audit_sign_out(request: Request) -> None:
    """SIGNED_OUT audited for the provider the browser is signed in as, whichever sign-out
    address ends the session (this one, or the platform's /logout through the product's
    ``signing_out`` hook). Never raises: signing out never waits on the audit log."""
    token = session_token(request, PROVIDER_SESSIONS)
    provider = PROVIDER_SESSIONS.load(dbs(request), token) if token else None
    if provider is None:
        return
    try:
        audit.record(dbs(request).audit, audit.trail_of(request), audit.Entry(
            audit.SIGNED_OUT, provider.provider_id, audit.PROVIDER, provider.provider_id,
            details="signed out" if provider.mfa_verified else "signed out, password only",
        ))  # fmt: skip
    except audit.AuditUnavailable:
        log.error("the sign-out of %s is not audited", provider.provider_id)


@router.post(SIGN_OUT_PATH)
def provider_logout(request: Request) -> Response:
    """The clinic's sign-out: SIGNED_OUT audited, then the session ended."""
    audit_sign_out(request)
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    end_session(request, response, PROVIDER_SESSIONS)
    return response
