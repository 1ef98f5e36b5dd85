"""Liveness/readiness: both databases must answer SELECT 1."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.db import ping
from app.deps import dbs

router = APIRouter()


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    databases = dbs(request)
    primary_ok = ping(databases.primary)
    secondary_ok = ping(databases.secondary)
    if primary_ok and secondary_ok:
        return JSONResponse({"status": "ok"})
    return JSONResponse(
        {"status": "unavailable", "primary": primary_ok, "secondary": secondary_ok},
        status_code=503,
    )
