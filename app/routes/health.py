"""Liveness/readiness: both databases must answer SELECT 1."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.db import ping
from app.deps import dbs

router = APIRouter()


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    answers = ping(dbs(request))
    if all(answers.values()):
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "unavailable", **answers}, status_code=503)
