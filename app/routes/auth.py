"""Tenant user login and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.accounts import check_credentials
from app.dates import utc_now
from app.deps import clear_cookie, dbs, set_user_cookie, settings
from app.sessions import SUSPENDED, USER_COOKIE, end_user_session, start_user_session
from app.templating import render

router = APIRouter()
LOGIN_FAILED = "Incorrect email or password."


@router.get("/login")
def login_form(request: Request) -> Response:
    return render(request, "login.html")


@router.post("/login")
def login_submit(
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

    databases = dbs(request)
    found = check_credentials(databases.primary, email, password)
    if found is None:
        return render(request, "login.html", 401, values=values, login_error=LOGIN_FAILED)
    if found.tenant_status == SUSPENDED:
        return render(
            request, "login.html", 403, values=values, suspended=True,
            support_email=settings(request).support_email,
        )  # fmt: skip
    token = start_user_session(databases.primary, found.tenant_id, found.user_id, utc_now())
    response = RedirectResponse("/dashboard", status_code=303)
    set_user_cookie(request, response, token)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    token = request.cookies.get(USER_COOKIE)
    if token:
        end_user_session(dbs(request).primary, token)
    response = RedirectResponse("/login", status_code=303)
    clear_cookie(response, USER_COOKIE)
    return response
