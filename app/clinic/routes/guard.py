"""Any other /patients address: both factors first (password only: /mfa), then 404. Included
last, so it answers only what no other route does."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from app.clinic.deps import verified_provider
from app.clinic.routes.common import ClinicRoute

router = APIRouter(route_class=ClinicRoute, dependencies=[Depends(verified_provider)])


@router.api_route("/patients/{rest:path}", methods=["GET", "POST"])
def unknown_patient_page(rest: str) -> None:
    raise HTTPException(status_code=404)
