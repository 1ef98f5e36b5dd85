"""GET /healthz: ready when every database of the product answers SELECT 1."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.platform.db import ping
from app.platform.deps import dbs

router = APIRouter()


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    """200 {"status": "ok"}, else 503 with each database's name and whether it answered."""
    answers = ping(dbs(request))
    if all(answers.values()):
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "unavailable", **answers}, status_code=503)
