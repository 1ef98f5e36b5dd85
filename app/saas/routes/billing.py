"""Settings, the billing tab, plan upgrades and the usage page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.platform.deps import dbs
from app.platform.templating import render
from app.saas.billing import card_on_file, load_plans
from app.saas.dates import today_la
from app.saas.deps import gateway, onboarded_user
from app.saas.invoice_emails import NotAllowedError, emails_invoices, save_invoice_emails
from app.saas.payments import PaymentError
from app.saas.plans import PlanError, upgrade_options
from app.saas.sessions import CurrentUser
from app.saas.upgrade import confirm_upgrade, effective_plan, quote_upgrade
from app.saas.usage_store import usage_summary

router = APIRouter()
User = Annotated[CurrentUser, Depends(onboarded_user)]


@router.get("/settings")
def settings_page(request: Request, user: User) -> Response:
    return render(request, "settings.html", user=user)


def _billing(request: Request, user: CurrentUser, status: int = 200, **shown: object) -> Response:
    databases = dbs(request)
    plans = load_plans(databases.billing)
    plan, subscription = effective_plan(databases, user, plans)
    return render(
        request, "billing.html", status, user=user, plan=plan, subscription=subscription,
        card=card_on_file(databases.billing, user.tenant_id),
        can_upgrade=bool(plan and subscription and upgrade_options(plans, plan)),
        email_invoices=emails_invoices(databases.billing, user.tenant_id), **shown,
    )  # fmt: skip


@router.get("/settings/billing")
def billing_page(request: Request, user: User, upgraded: str = "", saved: str = "") -> Response:
    return _billing(request, user, upgraded=upgraded == "1", saved=saved == "invoice-emails")


@router.post("/settings/billing/invoice-emails")
def invoice_emails(
    request: Request, user: User, email_invoices: Annotated[str, Form()] = ""
) -> Response:
    # A check box sends its value only when ticked.
    try:
        save_invoice_emails(dbs(request).billing, user, email_invoices == "yes")
    except NotAllowedError as exc:
        return _billing(request, user, 403, refused=str(exc))
    return RedirectResponse("/settings/billing?saved=invoice-emails", status_code=303)


@router.get("/settings/billing/upgrade")
def upgrade_list(request: Request, user: User) -> Response:
    databases = dbs(request)
    plans = load_plans(databases.billing)
    plan, subscription = effective_plan(databases, user, plans)
    error = None
    if not user.is_admin:
        error = "Only administrators can change the plan."
    elif plan is None or subscription is None:
        error = "There is no active subscription to upgrade."
    options = upgrade_options(plans, plan) if plan and not error else []
    return render(
        request, "upgrade_list.html", 403 if error else 200, user=user, plan=plan,
        options=options, error=error,
    )  # fmt: skip


@router.get("/settings/billing/upgrade/{plan_id}")
def upgrade_summary(request: Request, user: User, plan_id: str) -> Response:
    try:
        quote = quote_upgrade(dbs(request), user, plan_id, today_la())
    except PlanError as exc:
        return render(request, "upgrade_summary.html", 400, user=user, error=str(exc))
    card = card_on_file(dbs(request).billing, user.tenant_id)
    return render(request, "upgrade_summary.html", user=user, quote=quote, card=card)


@router.post("/settings/billing/upgrade/{plan_id}")
def upgrade_confirm(
    request: Request, user: User, plan_id: str, expected_amount: Annotated[str, Form()] = ""
) -> Response:
    databases = dbs(request)
    try:
        quote = quote_upgrade(databases, user, plan_id, today_la())
    except PlanError as exc:
        return render(request, "upgrade_summary.html", 400, user=user, error=str(exc))
    card = card_on_file(databases.billing, user.tenant_id)
    if expected_amount != quote.amount_text:
        # The price moved (e.g. the day changed) since the summary was shown.
        return render(
            request, "upgrade_summary.html", 409, user=user, quote=quote, card=card,
            notice="The prorated amount has changed; please review it and confirm again.",
        )  # fmt: skip
    try:
        confirm_upgrade(databases, gateway(request), quote)
    except (PaymentError, PlanError) as exc:
        return render(
            request, "upgrade_summary.html", 402 if isinstance(exc, PaymentError) else 409,
            user=user, quote=quote, card=card, notice=str(exc),
        )  # fmt: skip
    return RedirectResponse("/settings/billing?upgraded=1", status_code=303)


@router.get("/billing/usage")
def usage_page(request: Request, user: User) -> Response:
    today = today_la()
    summary = usage_summary(dbs(request).billing, user.tenant_id, today)
    return render(request, "usage.html", user=user, summary=summary, today=today)
