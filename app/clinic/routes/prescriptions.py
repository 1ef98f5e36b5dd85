"""Prescribing in a visit: the form, the signing page (the content shown, the password asked
again), the signed list, and the refusal of any change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.clinic import audit
from app.clinic.dates import utc_now
from app.clinic.deps import verified_provider
from app.clinic.prescriptions import (
    CHANGE_REFUSED,
    PrescriptionForm,
    SigningRefused,
    prescription,
    prescription_problems,
    prescriptions_of,
    refuse_change,
    sign_prescription,
)
from app.clinic.routes.common import ClinicRoute, InCare, Verified, checked_id
from app.clinic.routes.visits import OwnVisit, visit_path
from app.clinic.sessions import CurrentProvider
from app.clinic.visits import Visit
from app.platform.deps import dbs
from app.platform.templating import render

router = APIRouter(route_class=ClinicRoute, dependencies=[Depends(verified_provider)])
PRESCRIPTIONS = "/patients/{patient_id}/visits/{visit_id}/prescriptions"

FormText = Annotated[str, Form()]


def prescriptions_path(visit: Visit) -> str:
    return visit_path(visit.patient_id, visit.visit_id) + "/prescriptions"


def form_page(
    request: Request,
    provider: CurrentProvider,
    visit: Visit,
    form: PrescriptionForm | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request, "prescription_form.html", 400 if errors else 200, provider=provider,
        visit=visit, path=prescriptions_path(visit), values=form.__dict__ if form else {},
        errors=errors or {},
    )  # fmt: skip


@router.get(PRESCRIPTIONS)
def signed_list(
    request: Request, provider: Verified, visit: OwnVisit, signed: str | None = None
) -> Response:
    """The visit's signed prescriptions; ``signed`` names the one just signed. One
    PRESCRIPTIONS_VIEWED naming those shown, written before they are sent."""
    found = prescriptions_of(dbs(request), visit.patient_id, visit.visit_id)
    shown = ", ".join(p.prescription_id for p in found) or "none"
    audit.record(dbs(request).audit, audit.trail_of(request), audit.Entry(
        audit.PRESCRIPTIONS_VIEWED, provider.provider_id, audit.VISIT, visit.visit_id,
        visit.patient_id, f"{len(found)} shown: {shown}",
    ))  # fmt: skip
    return render(
        request, "prescriptions.html", provider=provider, visit=visit, prescriptions=found,
        path=prescriptions_path(visit),
        just_signed=next((p for p in found if p.prescription_id == signed), None),
    )  # fmt: skip


@router.get(PRESCRIPTIONS + "/new")
def new_prescription(request: Request, provider: Verified, visit: OwnVisit) -> Response:
    return form_page(request, provider, visit)


@router.post(PRESCRIPTIONS + "/new")
def prescribe(
    request: Request,
    provider: Verified,
    visit: OwnVisit,
    medication: FormText = "",
    dosage: FormText = "",
    duration: FormText = "",
) -> Response:
    """A valid form leads to the signing page, the content in hidden fields."""
    form = PrescriptionForm(medication, dosage, duration).trimmed()
    problems = prescription_problems(form)
    if problems:
        return form_page(request, provider, visit, form, problems)
    return render(request, "sign.html", provider=provider, visit=visit, form=form,
                  path=prescriptions_path(visit))  # fmt: skip


@router.post(PRESCRIPTIONS + "/sign")
def sign(
    request: Request,
    provider: Verified,
    visit: OwnVisit,
    medication: FormText = "",
    dosage: FormText = "",
    duration: FormText = "",
    password: FormText = "",
) -> Response:
    """Sign with the password again; the hidden content is checked again first."""
    form = PrescriptionForm(medication, dosage, duration).trimmed()
    problems = prescription_problems(form)
    if problems:
        return form_page(request, provider, visit, form, problems)
    try:
        prescription_id = sign_prescription(
            dbs(request), audit.trail_of(request), provider.provider_id, visit.patient_id,
            visit.visit_id, form, password, utc_now(),
        )  # fmt: skip
    except SigningRefused as refused:
        return render(request, "sign.html", 403, provider=provider, visit=visit, form=form,
                      path=prescriptions_path(visit), error=str(refused))  # fmt: skip
    return RedirectResponse(
        f"{prescriptions_path(visit)}?signed={prescription_id}", status_code=303
    )


@router.post(PRESCRIPTIONS + "/{prescription_id}/change")
def change(
    request: Request,
    provider: Verified,
    patient_id: InCare,
    visit_id: str,
    prescription_id: str,
    medication: FormText = "",
    dosage: FormText = "",
    duration: FormText = "",
) -> Response:
    """Never: a signed prescription stays as signed. The attempt is audited, then 409."""
    found = prescription(dbs(request), patient_id, checked_id(visit_id),
                         checked_id(prescription_id))  # fmt: skip
    if found is None:
        raise HTTPException(status_code=404)
    refuse_change(
        dbs(request), audit.trail_of(request), provider.provider_id, patient_id,
        prescription_id, PrescriptionForm(medication, dosage, duration),
    )  # fmt: skip
    return render(request, "change_refused.html", 409, provider=provider, message=CHANGE_REFUSED,
                  back=f"/patients/{patient_id}")  # fmt: skip
