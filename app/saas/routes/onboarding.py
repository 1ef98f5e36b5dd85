"""The setup wizard pages; a user can only open the tenant's current step."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.platform.deps import Redirect, dbs
from app.platform.security import password_problems
from app.platform.templating import render
from app.saas.billing import active_subscription, load_plans, start_subscription
from app.saas.dates import today_la, utc_now
from app.saas.deps import current_user, gateway
from app.saas.onboarding import (
    COMPANY_SIZES,
    INDUSTRIES,
    StepError,
    complete_onboarding,
    organisation_problems,
    save_organisation,
    save_profile,
    step_path,
)
from app.saas.payments import PaymentError
from app.saas.plans import find_plan
from app.saas.sessions import CurrentUser

router = APIRouter(prefix="/onboarding")
User = Annotated[CurrentUser, Depends(current_user)]
ADDRESS_MIN, ADDRESS_MAX = 5, 500
NAME_MAX = 100


def _require_step(user: CurrentUser, step: str) -> None:
    if user.onboarding_step != step:
        raise Redirect(step_path(user.onboarding_step))


def _next(step: str) -> Response:
    return RedirectResponse(step_path(step), status_code=303)


@router.get("/organisation")
def organisation_form(request: Request, user: User) -> Response:
    _require_step(user, "organisation")
    return render(
        request, "onboarding_organisation.html", sizes=COMPANY_SIZES, industries=INDUSTRIES
    )


@router.post("/organisation")
def organisation_submit(
    request: Request,
    user: User,
    company_size: Annotated[str, Form()] = "",
    industry: Annotated[str, Form()] = "",
) -> Response:
    _require_step(user, "organisation")
    errors = organisation_problems(company_size, industry)
    if errors:
        return render(
            request, "onboarding_organisation.html", 400, sizes=COMPANY_SIZES,
            industries=INDUSTRIES, errors=errors,
            values={"company_size": company_size, "industry": industry},
        )  # fmt: skip
    # StepError means a double submit: the redirect below leads to the current step.
    with suppress(StepError):
        save_organisation(dbs(request).users, user.tenant_id, company_size, industry)
    return _next("profile")


@router.get("/profile")
def profile_form(request: Request, user: User) -> Response:
    _require_step(user, "profile")
    return render(request, "onboarding_profile.html")


@router.post("/profile")
def profile_submit(
    request: Request,
    user: User,
    first_name: Annotated[str, Form()] = "",
    last_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    _require_step(user, "profile")
    first, last = first_name.strip(), last_name.strip()
    errors: dict[str, str] = {}
    if not 1 <= len(first) <= NAME_MAX:
        errors["first_name"] = f"Enter your first name (at most {NAME_MAX} characters)."
    if not 1 <= len(last) <= NAME_MAX:
        errors["last_name"] = f"Enter your last name (at most {NAME_MAX} characters)."
    problems = password_problems(password, confirm_password)
    if problems:
        errors["password"] = " ".join(problems)
    if errors:
        return render(
            request, "onboarding_profile.html", 400, errors=errors,
            values={"first_name": first_name, "last_name": last_name},
        )  # fmt: skip
    with suppress(StepError):
        save_profile(dbs(request).users, user.tenant_id, user.user_id, first, last, password)
    return _next("billing")


@router.get("/billing")
def billing_form(request: Request, user: User) -> Response:
    _require_step(user, "billing")
    databases = dbs(request)
    if active_subscription(databases.billing, user.tenant_id) is not None:
        # Billing was stored but the users-database write after it failed: finish it now.
        complete_onboarding(databases.users, user.tenant_id)
        return RedirectResponse("/dashboard?welcome=1", status_code=303)
    return render(request, "onboarding_billing.html")


@router.post("/billing")
def billing_submit(
    request: Request,
    user: User,
    card_number: Annotated[str, Form()] = "",
    expiry: Annotated[str, Form()] = "",
    cvc: Annotated[str, Form()] = "",
    billing_address: Annotated[str, Form()] = "",
) -> Response:
    _require_step(user, "billing")
    databases = dbs(request)
    today = today_la()
    address = " ".join(billing_address.split())
    values = {"expiry": expiry, "billing_address": billing_address}
    try:
        if not ADDRESS_MIN <= len(address) <= ADDRESS_MAX:
            raise PaymentError(
                f"Enter the billing address ({ADDRESS_MIN} to {ADDRESS_MAX} characters)."
            )
        card = gateway(request).verify_card(card_number, expiry, cvc, today)
    except PaymentError as exc:
        return render(
            request, "onboarding_billing.html", 400, payment_error=str(exc), values=values
        )
    plan = find_plan(load_plans(databases.billing), user.tenant_plan)
    if plan is None:
        raise RuntimeError(f"tenant {user.tenant_id} has unknown plan {user.tenant_plan!r}")
    start_subscription(databases.billing, user.tenant_id, plan, card, address, today, utc_now())
    complete_onboarding(databases.users, user.tenant_id)
    return RedirectResponse("/dashboard?welcome=1", status_code=303)
