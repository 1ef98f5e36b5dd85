"""POST /api/v1/tenants/{tenant_id}/usage: usage reports authenticated by API key."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.platform.db import Databases, query_one
from app.platform.deps import dbs
from app.platform.security import sha256_hex
from app.saas.dates import utc_now
from app.saas.sessions import SUSPENDED
from app.saas.tenants import get_tenant
from app.saas.usage import UsageError, parse_usage
from app.saas.usage_store import record_usage

router = APIRouter()
MAX_BODY_BYTES = 16 * 1024


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


def _record(databases: Databases, tenant_id: str, key: str, body: bytes) -> dict[str, str]:
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
    tenant = get_tenant(databases.users, tenant_id)
    if tenant is None:
        raise ApiError(404, f"unknown tenant {tenant_id!r}")
    if owner["TenantID"] != tenant_id:
        raise ApiError(403, "this API key belongs to another tenant")
    if tenant.status == SUSPENDED:
        raise ApiError(403, "this tenant is suspended")
    if len(body) > MAX_BODY_BYTES:
        raise ApiError(400, "body is too large")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "body must be valid JSON") from None
    try:
        report = parse_usage(payload, utc_now())
    except UsageError as exc:
        raise ApiError(400, str(exc)) from None
    metric_id = record_usage(databases.billing, tenant_id, report)
    return {"metric_id": metric_id, "period": report.period.isoformat()}


@router.post("/api/v1/tenants/{tenant_id}/usage")
async def post_usage(request: Request, tenant_id: str) -> JSONResponse:
    try:
        key = _bearer_key(request)
        body = await request.body()
        result = await run_in_threadpool(_record, dbs(request), tenant_id, key, body)
    except ApiError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status)
    return JSONResponse(result, status_code=201)
