"""What the clinic's routes share: the route class that turns an unwritable audit entry into
503 and a refused patient into 403, the provider dependencies, and the care guard."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.routing import APIRoute
from starlette.responses import Response

from app.clinic import audit, care
from app.clinic.dates import utc_now
from app.clinic.deps import current_provider, verified_provider
from app.clinic.sessions import CurrentProvider
from app.platform.deps import dbs
from app.platform.templating import render

NOT_IN_CARE = "This patient is not in your care."
NOTHING_CHANGED = "The action could not be recorded in the audit log; nothing was changed."
NOT_SHOWN = "The access could not be recorded in the audit log, so it is not shown."
# the ids the clinic makes (uuid4) and seeds (patient-001); anything else is no page of ours
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

SignedIn = Annotated[CurrentProvider, Depends(current_provider)]
Verified = Annotated[CurrentProvider, Depends(verified_provider)]


class AccessDenied(Exception):  # noqa: N818 - a refusal shown to the provider
    """The patient is not in the provider's care (the attempt is already audited)."""


class ClinicRoute(APIRoute):
    """A route whose refusals become their pages, whatever raised them (handler or
    dependency): AccessDenied -> 403, AuditUnavailable -> 503 without the page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except AccessDenied:
                return render(request, "access_denied.html", 403, message=NOT_IN_CARE)
            except audit.AuditUnavailable:
                message = NOT_SHOWN if request.method in ("GET", "HEAD") else NOTHING_CHANGED
                return render(request, "audit_unavailable.html", 503, message=message)

        return guarded


def checked_id(value: str) -> str:
    """A path id as the clinic writes them, else 404."""
    if not _ID.match(value):
        raise HTTPException(status_code=404)
    return value


def patient_in_care(request: Request, provider: Verified, patient_id: str) -> str:
    """The patient's id when they are in the provider's care now; otherwise the attempt is
    audited (ACCESS_DENIED) and AccessDenied raised. Guards every page and form of a patient."""
    checked_id(patient_id)
    if care.may_open(dbs(request).clinic, provider.provider_id, patient_id, utc_now()):
        return patient_id
    audit.record(dbs(request).audit, audit.trail_of(request), audit.Entry(
        audit.ACCESS_DENIED, provider.provider_id, audit.PATIENT, patient_id, patient_id,
        f"not in care: {request.method} {request.url.path}"[: audit.MAX_DETAILS],
    ))  # fmt: skip
    raise AccessDenied()


InCare = Annotated[str, Depends(patient_in_care)]
