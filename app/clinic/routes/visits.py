"""Recording a visit of a patient in one's care, and the visit's page for its author."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.clinic import audit
from app.clinic.deps import verified_provider
from app.clinic.routes.common import ClinicRoute, InCare, Verified, checked_id
from app.clinic.visits import Visit, VisitForm, record_visit, visit_by, visit_problems
from app.platform.deps import dbs
from app.platform.templating import render

router = APIRouter(route_class=ClinicRoute, dependencies=[Depends(verified_provider)])
NEW_VISIT = "/patients/{patient_id}/visits/new"


def visit_path(patient_id: str, visit_id: str) -> str:
    return f"/patients/{patient_id}/visits/{visit_id}"


def own_visit(request: Request, provider: Verified, patient_id: InCare, visit_id: str) -> Visit:
    """The visit when the provider recorded it, else 404."""
    visit = visit_by(dbs(request), patient_id, checked_id(visit_id), provider.provider_id)
    if visit is None:
        raise HTTPException(status_code=404)
    return visit


OwnVisit = Annotated[Visit, Depends(own_visit)]


@router.get(NEW_VISIT)
def new_visit(request: Request, provider: Verified, patient_id: InCare) -> Response:
    return render(request, "visit_form.html", provider=provider, patient_id=patient_id)


@router.post(NEW_VISIT)
def save_visit(
    request: Request,
    provider: Verified,
    patient_id: InCare,
    reason: Annotated[str, Form()] = "",
    diagnosis: Annotated[str, Form()] = "",
    treatment_plan: Annotated[str, Form()] = "",
) -> Response:
    form = VisitForm(reason, diagnosis, treatment_plan).trimmed()
    problems = visit_problems(form)
    if problems:
        return render(
            request, "visit_form.html", 400, provider=provider, patient_id=patient_id,
            errors=problems, values=form.__dict__,
        )  # fmt: skip
    visit_id = record_visit(
        dbs(request), audit.trail_of(request), provider.provider_id, patient_id, form
    )
    return RedirectResponse(visit_path(patient_id, visit_id), status_code=303)


@router.get("/patients/{patient_id}/visits/{visit_id}")
def visit_page(request: Request, provider: Verified, visit: OwnVisit) -> Response:
    """The reason, diagnosis and treatment plan: one VISIT_VIEWED, written before they are sent."""
    audit.record(dbs(request).audit, audit.trail_of(request), audit.Entry(
        audit.VISIT_VIEWED, provider.provider_id, audit.VISIT, visit.visit_id, visit.patient_id,
        "reason, diagnosis and treatment plan",
    ))  # fmt: skip
    return render(request, "visit.html", provider=provider, visit=visit)
