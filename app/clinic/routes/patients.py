"""Finding a patient among those in one's care, and opening their chart (audited)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.clinic import audit, care, charts
from app.clinic.dates import utc_now
from app.clinic.deps import verified_provider
from app.clinic.routes.common import ClinicRoute, InCare, Verified
from app.clinic.routes.home import SEARCH_PATH
from app.platform.deps import dbs
from app.platform.templating import render

# Every /patients page and form needs both factors, whatever else it checks.
router = APIRouter(route_class=ClinicRoute, dependencies=[Depends(verified_provider)])


@router.get("/patients")
def patients() -> Response:
    return RedirectResponse(SEARCH_PATH, status_code=303)


def search_entries(
    provider_id: str, words: str, found: list[care.PatientCard]
) -> list[audit.Entry]:
    """The search and what it showed: PATIENT_SEARCHED (the query), then one PATIENT_LISTED
    per patient listed, so each patient's audit log tells who saw them in a list."""
    searched = audit.Entry(
        audit.PATIENT_SEARCHED, provider_id, audit.SEARCH,
        details=f"query {words!r}: {len(found)} found",
    )  # fmt: skip
    return [searched] + [
        audit.Entry(audit.PATIENT_LISTED, provider_id, audit.PATIENT, card.patient_id,
                    card.patient_id, "listed by a search")
        for card in found
    ]  # fmt: skip


@router.get(SEARCH_PATH)
def search(request: Request, provider: Verified, q: str | None = None) -> Response:
    """The form; with a query, the patients in the provider's care whose name contains it."""
    words = (q or "").strip()
    if not words:
        return render(request, "search.html", provider=provider, words=q, results=None)
    found = care.search(dbs(request).clinic, provider.provider_id, words, utc_now())
    audit.record(dbs(request).audit, audit.trail_of(request), *search_entries(
        provider.provider_id, words, found
    ))  # fmt: skip
    return render(request, "search.html", provider=provider, words=words, results=found)


@router.get("/patients/{patient_id}")
def chart(request: Request, provider: Verified, patient_id: InCare) -> Response:
    """The summary and the medical history: one PATIENT_VIEWED, written before they are sent."""
    database = dbs(request).clinic
    patient = charts.patient(database, patient_id)
    if patient is None:
        raise HTTPException(status_code=404)
    history = charts.history(database, patient_id)
    audit.record(dbs(request).audit, audit.trail_of(request), audit.Entry(
        audit.PATIENT_VIEWED, provider.provider_id, audit.PATIENT, patient_id, patient_id,
        "summary and medical history",
    ))  # fmt: skip
    return render(request, "patient.html", provider=provider, patient=patient, history=history)
