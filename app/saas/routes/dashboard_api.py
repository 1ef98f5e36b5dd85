"""The dashboard's JSON API: GET /api/dashboard and PATCH /api/profile (session cookie).

Answers are the signed-in person's own, so none may be kept by a shared cache.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.platform.deps import dbs
from app.platform.sessions import session_token
from app.saas.idempotency import KEY_HEADER, REPLAYED_HEADER, IdempotencyError, keyed_request
from app.saas.profile import NameChange, ProfileMissing, change_display_name, dashboard_view
from app.saas.profile import display_name as clean_display_name
from app.saas.sessions import USER_SESSIONS, CurrentUser
from app.saas.usage_body import BodyError, check_declared_length, read_capped
from app.saas.validation import FieldError

router = APIRouter(prefix="/api")
PROFILE_PATH = "/api/profile"
MAX_BODY_BYTES = 4 * 1024
TOO_LARGE = "The change is too large."
PRIVATE = {"Cache-Control": "no-store", "Vary": "Cookie"}


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field

    def response(self) -> JSONResponse:
        body = {"error": self.message} | ({"field": self.field} if self.field else {})
        return JSONResponse(body, status_code=self.status, headers=PRIVATE)


def _signed_in(request: Request) -> CurrentUser:
    token = session_token(request, USER_SESSIONS)
    user = USER_SESSIONS.load(dbs(request), token) if token else None
    if user is None:
        raise ApiError(401, "Not signed in.")
    if user.onboarding_step != "complete":
        raise ApiError(403, "Finish setting up your organisation first.")
    return user


def _dashboard(request: Request) -> JSONResponse:
    user = _signed_in(request)
    return JSONResponse(dashboard_view(dbs(request), user), headers=PRIVATE)


@router.get("/dashboard")
async def get_dashboard(request: Request) -> JSONResponse:
    try:
        return await run_in_threadpool(_dashboard, request)
    except ApiError as exc:
        return exc.response()


def _payload(request: Request, body: bytes) -> dict[str, object]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ApiError(415, "Send the change as application/json.")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "The body must be valid JSON.") from None
    if not isinstance(payload, dict) or set(payload) != {"display_name"}:
        raise ApiError(400, 'The body must be {"display_name": "..."}.')
    return payload


def _change_profile(request: Request, body: bytes) -> JSONResponse:
    user = _signed_in(request)
    payload = _payload(request, body)
    try:
        name = clean_display_name(payload["display_name"])
        keyed = keyed_request(request.headers.get(KEY_HEADER), "PATCH", PROFILE_PATH, payload)
        answer = change_display_name(dbs(request).users, NameChange(user, name, keyed))
    except FieldError as exc:
        raise ApiError(400, exc.message, exc.field) from None
    except IdempotencyError as exc:
        raise ApiError(exc.status, exc.message) from None
    except ProfileMissing:
        raise ApiError(409, "This account has no profile to change yet.") from None
    headers = PRIVATE | ({REPLAYED_HEADER: "true"} if answer.replayed else {})
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)


@router.patch("/profile")
async def patch_profile(request: Request) -> JSONResponse:
    try:
        # judged by its length before it is read, and while it is read when none is sent
        check_declared_length(request.headers.get("content-length"), MAX_BODY_BYTES, TOO_LARGE)
        body = await read_capped(request.stream(), MAX_BODY_BYTES, TOO_LARGE)
    except BodyError as exc:
        return ApiError(exc.status, exc.message).response()
    try:
        return await run_in_threadpool(_change_profile, request, body)
    except ApiError as exc:
        return exc.response()
