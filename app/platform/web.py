"""The FastAPI application of a product: wiring, the start-up hook and error pages."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.platform import health, login
from app.platform.access_log import AccessLog
from app.platform.csrf import CsrfProtection, Refusal
from app.platform.db import Databases, connect
from app.platform.deps import Redirect
from app.platform.headers import SecurityHeaders
from app.platform.product import AppProduct
from app.platform.security import HashingBusy, limit_hashing
from app.platform.sessions import HOST_PREFIX, clear_cookie
from app.platform.settings import Settings
from app.platform.templating import make_templates, render

log = logging.getLogger(__name__)

STARTUP_SECONDS = 10


def _run_startup(hook: Callable[[Databases], None], databases: Databases) -> None:
    try:
        hook(databases)
    except Exception:
        log.exception("the start-up hook failed; the app serves anyway")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _refuse(scope: Scope, receive: Receive, send: Send, refusal: Refusal) -> None:
    """The error page (or JSON under /api/) for a request the CSRF check refused."""
    request = Request(scope, receive)
    status, message = refusal
    if _is_api(request):
        response: Response = JSONResponse({"error": message}, status_code=status)
    else:
        response = render(request, "error.html", status, message=message)
    await response(scope, receive, send)


def create_app(
    product: AppProduct,
    settings: Settings,
    databases: Databases | None = None,
    services: Mapping[str, object] | None = None,
) -> FastAPI:
    """The product's web app; ``databases`` and ``services`` replace the product's own
    (tests pass them; the app then leaves closing the databases to the caller)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = databases is None
        app.state.dbs = databases if databases is not None else connect(settings)
        if product.startup is not None:
            # Bounded so an unreachable database cannot keep the app from listening (healthz
            # then reports it); the hook goes on in its thread.
            hook = asyncio.ensure_future(
                run_in_threadpool(_run_startup, product.startup, app.state.dbs)
            )
            done, _ = await asyncio.wait({hook}, timeout=STARTUP_SECONDS)
            if not done:
                log.warning("start-up hook still running after %ss; continuing", STARTUP_SECONDS)
        yield
        if owned:
            app.state.dbs.close()

    limit_hashing(settings.password_hash_concurrency, settings.password_hash_wait_seconds)
    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.authenticator = product.authenticator
    app.state.make_sign_in_records = product.sign_in_records
    app.state.sign_in_failed = product.sign_in_failed
    app.state.signing_out = product.signing_out
    app.state.templates = make_templates(product.templates, product.title, settings.support_email)
    for name, service in (services if services is not None else product.services()).items():
        setattr(app.state, name, service)
    if databases is not None:
        app.state.dbs = databases

    for router in (health.router, login.router, *product.routers):
        app.include_router(router)

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

    @app.middleware("http")
    async def server_timing(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """How long the app spent on the request (W3C Server-Timing): a browser's Resource
        Timing shows it beside the network's time, so a load test can tell them apart."""
        started = time.perf_counter()
        response = await call_next(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response.headers.append("Server-Timing", f"app;dur={elapsed_ms:.1f}")
        return response

    # outermost last: the headers go on every answer, the CSRF refusals' too
    cookies = frozenset(
        name
        for store in product.authenticator.stores
        for name in (store.cookie, f"{HOST_PREFIX}{store.cookie}")
    )
    app.add_middleware(CsrfProtection, settings=settings, session_cookies=cookies, refuse=_refuse)
    app.add_middleware(AccessLog)
    app.add_middleware(SecurityHeaders, settings=settings)

    @app.exception_handler(Redirect)
    async def redirect(request: Request, exc: Redirect) -> Response:
        response = RedirectResponse(exc.location, status_code=303)
        if exc.clear_cookie:
            clear_cookie(response, exc.clear_cookie)
        return response

    @app.exception_handler(HashingBusy)
    async def hashing_busy(request: Request, exc: HashingBusy) -> Response:
        log.warning("%s %s refused: %s", request.method, request.url.path, exc)
        headers = {"Retry-After": str(exc.retry_after_seconds)}
        if _is_api(request):
            return JSONResponse({"error": "busy, try again"}, status_code=503, headers=headers)
        response = render(
            request,
            "error.html",
            503,
            message="Too many sign-ins at once: please try again in a few seconds.",
        )
        response.headers.update(headers)
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
