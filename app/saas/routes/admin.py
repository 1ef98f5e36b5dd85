"""Platform operators' pages: tenant search and suspension (login is the platform's)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.platform.deps import dbs, sign_in_records
from app.platform.templating import render
from app.saas.deps import current_admin
from app.saas.sessions import CurrentAdmin
from app.saas.sign_in_locks import email_of, locked_people, unlock_person
from app.saas.suspension import (
    SuspensionError,
    reason_problem,
    reinstate_tenant,
    repair_billing_sync,
    suspend_tenant,
)
from app.saas.tenants import get_tenant, search_tenants

router = APIRouter(prefix="/admin")
Admin = Annotated[CurrentAdmin, Depends(current_admin)]


@router.get("")
def admin_home() -> Response:
    return RedirectResponse("/admin/tenants", status_code=303)


@router.get("/tenants")
def tenants_page(
    request: Request, admin: Admin, q: str = "", suspended: str = "", reinstated: str = ""
) -> Response:
    databases = dbs(request)
    repair_billing_sync(databases)
    suspended_tenant = get_tenant(databases.users, suspended) if suspended else None
    reinstated_tenant = get_tenant(databases.users, reinstated) if reinstated else None
    return render(
        request, "admin_tenants.html", admin=admin, q=q,
        tenants=search_tenants(databases.users, q), suspended_tenant=suspended_tenant,
        reinstated_tenant=reinstated_tenant,
    )  # fmt: skip


@router.get("/tenants/{tenant_id}/suspend")
def suspend_form(request: Request, admin: Admin, tenant_id: str) -> Response:
    tenant = get_tenant(dbs(request).users, tenant_id)
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
    tenant = get_tenant(databases.users, tenant_id)
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


@router.post("/tenants/{tenant_id}/reinstate")
def reinstate_submit(request: Request, admin: Admin, tenant_id: str) -> Response:
    databases = dbs(request)
    tenant = get_tenant(databases.users, tenant_id)
    if tenant is None:
        return render(request, "error.html", 404, admin=admin, message="Tenant not found.")
    try:
        reinstate_tenant(databases, tenant_id)
    except SuspensionError as exc:
        return render(request, "error.html", 409, admin=admin, message=str(exc))
    return RedirectResponse(f"/admin/tenants?{urlencode({'reinstated': tenant_id})}", 303)


@router.get("/tenants/{tenant_id}/sign-ins")
def locked_sign_ins_page(
    request: Request, admin: Admin, tenant_id: str, unlocked: str = ""
) -> Response:
    databases = dbs(request)
    tenant = get_tenant(databases.users, tenant_id)
    if tenant is None:
        return render(request, "error.html", 404, admin=admin, message="Tenant not found.")
    return render(
        request, "admin_sign_ins.html", admin=admin, tenant=tenant,
        locked=locked_people(databases, tenant_id),
        unlocked_email=email_of(databases, tenant_id, unlocked) if unlocked else None,
    )  # fmt: skip


@router.post("/tenants/{tenant_id}/people/{user_id}/unlock")
def unlock_submit(request: Request, admin: Admin, tenant_id: str, user_id: str) -> Response:
    """Only an operator (Admin) lifts a person's sign-in lock; the unlock is recorded."""
    databases = dbs(request)
    email = unlock_person(databases, sign_in_records(request), tenant_id, user_id, admin.admin_id)
    if email is None:
        return render(request, "error.html", 404, admin=admin, message="Person not found.")
    query = urlencode({"unlocked": user_id})
    return RedirectResponse(f"/admin/tenants/{tenant_id}/sign-ins?{query}", 303)
