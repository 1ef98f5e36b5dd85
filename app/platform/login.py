"""The one login page (GET/POST /login) and POST /logout, for every kind of account.

The product's authenticator says whom the credentials belong to; this module checks the
form, sets the session cookie and sends the browser where the authenticator says.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.platform.deps import dbs
from app.platform.security import HashingBusy, hash_concurrency, hash_wait_seconds
from app.platform.sessions import (
    LOGIN_PATH,
    Authenticator,
    Refused,
    clear_cookie,
    set_session_cookie,
)
from app.platform.templating import render

router = APIRouter()
LOGIN_FAILED = "Incorrect email or password."
# A login check is one hash among several database calls: a few checks per hashing slot keep
# the slots busy while others wait on Spanner, and still hold only a few worker threads.
LOGINS_PER_HASH_SLOT = 4


def _authenticator(request: Request) -> Authenticator:
    return request.app.state.authenticator


@asynccontextmanager
async def _login_turn(request: Request) -> AsyncIterator[None]:
    """One of at most LOGINS_PER_HASH_SLOT login checks per hashing slot at once; the others
    wait in the event loop, not in a worker thread, so a burst of logins cannot take every
    thread the other pages need."""
    turns: asyncio.Semaphore | None = getattr(request.app.state, "login_turns", None)
    if turns is None:
        turns = request.app.state.login_turns = asyncio.Semaphore(
            LOGINS_PER_HASH_SLOT * hash_concurrency()
        )
    try:
        await asyncio.wait_for(turns.acquire(), timeout=hash_wait_seconds())
    except TimeoutError:
        raise HashingBusy(hash_wait_seconds()) from None
    try:
        yield
    finally:
        turns.release()


@router.get(LOGIN_PATH)
def login_form(request: Request) -> Response:
    return render(request, "login.html")


@router.post(LOGIN_PATH)
async def login_submit(
    request: Request,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    values = {"email": email}
    errors: dict[str, str] = {}
    if not email.strip():
        errors["email"] = "Enter your email address."
    if not password:
        errors["password"] = "Enter your password."
    if errors:
        return render(request, "login.html", 400, values=values, errors=errors)

    async with _login_turn(request):
        outcome = await run_in_threadpool(
            _authenticator(request).log_in, dbs(request), email, password
        )
    if outcome is None:
        return render(request, "login.html", 401, values=values, login_error=LOGIN_FAILED)
    if isinstance(outcome, Refused):
        return render(request, "login.html", outcome.status, values=values, notice=outcome.notice)
    response = RedirectResponse(outcome.landing, status_code=303)
    set_session_cookie(request, response, outcome.cookie, outcome.token)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End every session the browser holds, whatever its kind."""
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    for store in _authenticator(request).stores:
        token = request.cookies.get(store.cookie)
        if token:
            store.end(dbs(request), token)
            clear_cookie(response, store.cookie)
    return response
