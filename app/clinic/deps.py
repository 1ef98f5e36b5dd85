"""Request dependencies of the clinic's pages: the signed-in provider, with one factor or two.

A session idle for longer than the idle timeout is ended by the platform (signed_in); the
clinic audits that automatic logoff first (SIGNED_OUT_IDLE)."""

from __future__ import annotations

import logging

from fastapi import Request

from app.clinic import audit
from app.clinic.sessions import PROVIDER_SESSIONS, CurrentProvider
from app.platform.deps import Redirect, dbs, settings, sign_in_records
from app.platform.sessions import session_id, session_token, signed_in

MFA_PATH = "/mfa"
log = logging.getLogger(__name__)


def _audit_if_idle(request: Request) -> None:
    """When the request's session has been idle past the timeout (the platform is about to
    end it), audit the automatic logoff of its provider."""
    token = session_token(request, PROVIDER_SESSIONS)
    if token is None:
        return
    idle = sign_in_records(request).idle_seconds(session_id(token))
    minutes = settings(request).session_idle_minutes
    if idle is None or idle < minutes * 60:
        return
    provider = PROVIDER_SESSIONS.load(dbs(request), token)
    if provider is None:
        return
    try:
        audit.record(dbs(request).audit, audit.trail_of(request), audit.Entry(
            audit.SIGNED_OUT_IDLE, provider.provider_id, audit.PROVIDER, provider.provider_id,
            details=f"idle for {idle // 60} minutes, more than {minutes}",
        ))  # fmt: skip
    except audit.AuditUnavailable:
        # the session ends either way: ending one never waits on the audit log
        log.error("the idle logoff of %s is not audited", provider.provider_id)


def current_provider(request: Request) -> CurrentProvider:
    """The signed-in, active provider (password given), else a redirect to /login."""
    _audit_if_idle(request)
    return signed_in(request, PROVIDER_SESSIONS)


def verified_provider(request: Request) -> CurrentProvider:
    """The provider when both factors were given; password only: a redirect to /mfa."""
    provider = current_provider(request)
    if not provider.mfa_verified:
        raise Redirect(MFA_PATH)
    return provider
