"""POST /api/v1/tenants/{tenant_id}/usage: usage reports authenticated by API key.

The key, the tenant and the declared length are checked before any of the body is read; the
body is then read only up to its cap, and its JSON nesting bounded before it is decoded.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.platform.db import Databases, query_one
from app.platform.deps import dbs
from app.platform.security import sha256_hex
from app.saas.dates import utc_now
from app.saas.sessions import SUSPENDED
from app.saas.usage import UsageError, parse_usage
from app.saas.usage_body import BodyError, check_declared_length, decode, read_capped
from app.saas.usage_store import record_usage

router = APIRouter()


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _bearer_key(request: Request) -> str:
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ApiError(401, "Authorization header must be 'Bearer <api key>'")
    return key.strip()


def _authorise(databases: Databases, tenant_id: str, key: str) -> datetime:
    """The key must be the tenant's, unrevoked, and the tenant not suspended; returns when
    the tenant's account was created."""
    owner = query_one(
        databases.users,
        """
        SELECT TenantID FROM ApiKeys@{FORCE_INDEX=ApiKeysByHash}
        WHERE KeyHash = @hash AND RevokedAt IS NULL
        """,
        {"hash": sha256_hex(key)},
    )
    if owner is None:
        raise ApiError(401, "unknown or revoked API key")
    tenant = query_one(
        databases.users,
        "SELECT Status, CreatedAt FROM Tenants WHERE TenantID = @t",
        {"t": tenant_id},
    )
    if tenant is None:
        raise ApiError(404, f"unknown tenant {tenant_id!r}")
    if owner["TenantID"] != tenant_id:
        raise ApiError(403, "this API key belongs to another tenant")
    if tenant["Status"] == SUSPENDED:
        raise ApiError(403, "this tenant is suspended")
    return tenant["CreatedAt"]


def _record(databases: Databases, tenant_id: str, body: bytes, since: datetime) -> dict[str, str]:
    try:
        report = parse_usage(decode(body), utc_now(), since)
    except BodyError as exc:
        raise ApiError(exc.status, exc.message) from None
    except UsageError as exc:
        raise ApiError(400, str(exc)) from None
    metric_id = record_usage(databases.billing, tenant_id, report)
    return {"metric_id": metric_id, "period": report.period.isoformat()}


@router.post("/api/v1/tenants/{tenant_id}/usage")
async def post_usage(request: Request, tenant_id: str) -> JSONResponse:
    databases = dbs(request)
    try:
        key = _bearer_key(request)
        since = await run_in_threadpool(_authorise, databases, tenant_id, key)
        check_declared_length(request.headers.get("content-length"))
        body = await read_capped(request.stream())
        result = await run_in_threadpool(_record, databases, tenant_id, body, since)
    except BodyError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status)
    except ApiError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status)
    return JSONResponse(result, status_code=201)
