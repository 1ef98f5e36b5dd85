"""The one login page (GET/POST /login) and POST /logout, for every kind of account.

The product's authenticator says whom the credentials belong to; this module checks the
form, sets the session cookie and sends the browser where the authenticator says.

Before the password is checked, the client's address must not have used up its failed
sign-ins (app/platform/throttle.py) and the login name must not be locked; N wrong passwords
in a row lock it for M minutes (settings). A locked name gets the same answer as a wrong
password, known account or not. The product hears of every failed sign-in
(``AppProduct.sign_in_failed``).
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

from app.platform.deps import client_address, dbs, settings, sign_in_records
from app.platform.product import FailedSignIn
from app.platform.security import HashingBusy, hash_concurrency, hash_wait_seconds
from app.platform.sessions import (
    LOGIN_PATH,
    Authenticator,
    Granted,
    Refused,
    end_session,
    session_token,
    set_session_cookie,
    started_session,
)
from app.platform.sign_in_records import MAX_LOGIN_NAME, login_name
from app.platform.templating import render
from app.platform.throttle import AddressThrottle

router = APIRouter()
LOGIN_FAILED = "Incorrect email or password."
# A login check is one hash among several database calls: a few checks per hashing slot keep
# the slots busy while others wait on Spanner, and still hold only a few worker threads.
LOGINS_PER_HASH_SLOT = 4
TOO_MANY_FROM_ADDRESS = (
    "Too many failed sign-ins from your network: please wait a few minutes and try again."
)


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


def _throttle(request: Request) -> AddressThrottle:
    throttle: AddressThrottle | None = getattr(request.app.state, "login_throttle", None)
    if throttle is None:
        rate = settings(request).login_failures_per_address
        throttle = request.app.state.login_throttle = AddressThrottle(rate)
    return throttle


def _sign_in_failed(request: Request, name: str, was_locked: bool, locks_now: bool) -> None:
    """Count the failure (unless the name was locked already) and tell the product."""
    address = client_address(request)
    _throttle(request).failed(address)
    hook = request.app.state.sign_in_failed
    if hook is not None:
        hook(dbs(request), FailedSignIn(name, address, was_locked, locks_now))


def _check(request: Request, email: str, password: str) -> object:
    """The authenticator's answer, or None for a wrong password or a locked login name."""
    name = login_name(email)
    if len(name) > MAX_LOGIN_NAME:
        _sign_in_failed(request, name[:MAX_LOGIN_NAME], False, False)
        return None
    records = sign_in_records(request)
    if records.locked(name):
        _sign_in_failed(request, name, True, False)
        return None
    outcome = _authenticator(request).log_in(dbs(request), email, password)
    if outcome is None:
        config = settings(request)
        locks = records.failed(name, config.login_failures_before_lock, config.login_lock_minutes)
        _sign_in_failed(request, name, False, locks)
    else:
        records.succeeded(name)
    return outcome


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

    throttle = _throttle(request)
    address = client_address(request)
    if not throttle.allows(address):
        response = render(
            request, "login.html", 429, values=values, login_error=TOO_MANY_FROM_ADDRESS
        )
        response.headers["Retry-After"] = str(throttle.retry_after_seconds(address))
        return response
    async with _login_turn(request):
        outcome = await run_in_threadpool(_check, request, email, password)
    if outcome is None:
        return render(request, "login.html", 401, values=values, login_error=LOGIN_FAILED)
    if isinstance(outcome, Refused):
        return render(request, "login.html", outcome.status, values=values, notice=outcome.notice)
    assert isinstance(outcome, Granted)
    response = RedirectResponse(outcome.landing, status_code=303)
    await run_in_threadpool(started_session, request, outcome.token)
    set_session_cookie(request, response, outcome.cookie, outcome.token)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End every session the browser holds, whatever its kind (the product told first)."""
    hook = request.app.state.signing_out
    if hook is not None:
        hook(request)
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    for store in _authenticator(request).stores:
        if session_token(request, store):
            end_session(request, response, store)
    return response
