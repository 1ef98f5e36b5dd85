"""The second factor's page: after the password, the current code of the authenticator."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.clinic import audit
from app.clinic.dates import utc_now
from app.clinic.deps import MFA_PATH
from app.clinic.mfa import second_factor
from app.clinic.routes.common import ClinicRoute, SignedIn
from app.clinic.routes.home import SEARCH_PATH
from app.clinic.sessions import PROVIDER_SESSIONS
from app.platform.deps import Redirect, dbs
from app.platform.sessions import LOGIN_PATH, renew_session
from app.platform.templating import render

router = APIRouter(route_class=ClinicRoute)


@router.get(MFA_PATH)
def mfa_form(request: Request, provider: SignedIn) -> Response:
    if provider.mfa_verified:
        return RedirectResponse(SEARCH_PATH, status_code=303)
    return render(request, "mfa.html", provider=provider)


@router.post(MFA_PATH)
def mfa_submit(request: Request, provider: SignedIn, code: Annotated[str, Form()] = "") -> Response:
    """An accepted code renews the session: the browser gets a new token's cookie, and the
    token it had before the code no longer opens anything."""
    response = RedirectResponse(SEARCH_PATH, status_code=303)
    decision, verified = second_factor(
        dbs(request), audit.trail_of(request), provider, code, utc_now(),
        renew=lambda: renew_session(request, response, PROVIDER_SESSIONS),
    )  # fmt: skip
    if verified:
        return response
    if decision.accepted:  # the session ended meanwhile (signed out elsewhere)
        raise Redirect(LOGIN_PATH)
    status = 423 if decision.shut else 401
    return render(request, "mfa.html", status, provider=provider, error=decision.message)
