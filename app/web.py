"""The FastAPI application: wiring, start-up repair and error pages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from app.config import Settings
from app.db import Databases, connect
from app.deps import Redirect, clear_cookie
from app.payments import Gateway
from app.routes import admin, auth, billing, dashboard, health, onboarding, signup, usage_api
from app.suspension import repair_billing_sync
from app.templating import render

log = logging.getLogger(__name__)


STARTUP_REPAIR_SECONDS = 10


def _startup_repair(databases: Databases) -> None:
    try:
        repaired = repair_billing_sync(databases)
    except Exception:
        log.exception("start-up repair of suspensions failed; retried on next admin action")
        return
    if repaired:
        log.warning("start-up: repaired %d suspension billing sync(s)", repaired)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(
    settings: Settings, databases: Databases | None = None, payment_gateway: Gateway | None = None
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = databases is None
        app.state.dbs = databases if databases is not None else connect(settings)
        # Bounded so an unreachable database cannot keep the app from listening (healthz then
        # reports it); the repair goes on in its thread and also runs on every admin action.
        repair = asyncio.ensure_future(run_in_threadpool(_startup_repair, app.state.dbs))
        done, _ = await asyncio.wait({repair}, timeout=STARTUP_REPAIR_SECONDS)
        if not done:
            log.warning(
                "start-up repair still running after %ss; continuing", STARTUP_REPAIR_SECONDS
            )
        yield
        if owned:
            app.state.dbs.close()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.gateway = payment_gateway or Gateway()
    if databases is not None:
        app.state.dbs = databases

    for module in (health, signup, auth, onboarding, dashboard, billing, usage_api, admin):
        app.include_router(module.router)

    @app.middleware("http")
    async def hide_errors(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        try:
            return await call_next(request)
        except Exception:
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            if _is_api(request):
                return JSONResponse({"error": "internal error"}, status_code=500)
            return render(request, "error.html", 500, message="Something went wrong on our side.")

    @app.exception_handler(Redirect)
    async def redirect(request: Request, exc: Redirect) -> Response:
        response = RedirectResponse(exc.location, status_code=303)
        if exc.clear_cookie:
            clear_cookie(response, exc.clear_cookie)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: "Page not found.", 405: "Method not allowed."}.get(
            exc.status_code, str(exc.detail)
        )
        if _is_api(request):
            return JSONResponse({"error": message}, status_code=exc.status_code)
        return render(request, "error.html", exc.status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"error": "malformed request"}, status_code=400)
        return render(request, "error.html", 400, message="The request was malformed.")

    return app
