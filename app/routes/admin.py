"""Platform admin: login, tenant search and suspension."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.accounts import check_admin_credentials
from app.dates import utc_now
from app.deps import clear_cookie, current_admin, dbs, set_session_cookie
from app.sessions import (
    ADMIN_COOKIE,
    SESSION_LIFETIME,
    CurrentAdmin,
    end_admin_session,
    start_admin_session,
)
from app.suspension import SuspensionError, reason_problem, repair_billing_sync, suspend_tenant
from app.templating import render
from app.tenants import get_tenant, search_tenants

router = APIRouter(prefix="/admin")
Admin = Annotated[CurrentAdmin, Depends(current_admin)]
LOGIN_FAILED = "Incorrect email or password."


@router.get("")
def admin_home() -> Response:
    return RedirectResponse("/admin/tenants", status_code=303)


@router.get("/login")
def login_form(request: Request) -> Response:
    return render(request, "admin_login.html")


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
        return render(request, "admin_login.html", 400, values=values, errors=errors)
    databases = dbs(request)
    admin_id = check_admin_credentials(databases.primary, email, password)
    if admin_id is None:
        return render(request, "admin_login.html", 401, values=values, login_error=LOGIN_FAILED)
    token = start_admin_session(databases.primary, admin_id, utc_now())
    response = RedirectResponse("/admin/tenants", status_code=303)
    set_session_cookie(request, response, ADMIN_COOKIE, token, SESSION_LIFETIME)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    token = request.cookies.get(ADMIN_COOKIE)
    if token:
        end_admin_session(dbs(request).primary, token)
    response = RedirectResponse("/admin/login", status_code=303)
    clear_cookie(response, ADMIN_COOKIE)
    return response


@router.get("/tenants")
def tenants_page(request: Request, admin: Admin, q: str = "", suspended: str = "") -> Response:
    databases = dbs(request)
    repair_billing_sync(databases)
    suspended_tenant = get_tenant(databases.primary, suspended) if suspended else None
    return render(
        request, "admin_tenants.html", admin=admin, q=q,
        tenants=search_tenants(databases.primary, q), suspended_tenant=suspended_tenant,
    )  # fmt: skip


@router.get("/tenants/{tenant_id}/suspend")
def suspend_form(request: Request, admin: Admin, tenant_id: str) -> Response:
    tenant = get_tenant(dbs(request).primary, tenant_id)
    if tenant is None:
        return render(request, "error.html", 404, admin=admin, message="Tenant not found.")
    return render(request, "admin_suspend.html", admin=admin, tenant=tenant)


@router.post("/tenants/{tenant_id}/suspend")
def suspend_submit(
    request: Request,
    admin: Admin,
    tenant_id: str,
    suspension_reason: Annotated[str, Form()] = "",
) -> Response:
    databases = dbs(request)
    repair_billing_sync(databases)
    tenant = get_tenant(databases.primary, tenant_id)
    if tenant is None:
        return render(request, "error.html", 404, admin=admin, message="Tenant not found.")
    values = {"suspension_reason": suspension_reason}
    problem = reason_problem(suspension_reason)
    if problem:
        return render(
            request, "admin_suspend.html", 400, admin=admin, tenant=tenant, values=values,
            errors={"suspension_reason": problem},
        )  # fmt: skip
    try:
        suspend_tenant(databases, tenant_id, suspension_reason, admin.admin_id)
    except SuspensionError as exc:
        return render(
            request, "admin_suspend.html", 409, admin=admin, tenant=tenant, values=values,
            error=str(exc),
        )  # fmt: skip
    return RedirectResponse(f"/admin/tenants?{urlencode({'suspended': tenant_id})}", 303)
