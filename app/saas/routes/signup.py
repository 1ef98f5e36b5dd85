"""Sign-up and email verification."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.platform.deps import dbs, settings
from app.platform.mail import MailError
from app.platform.sessions import set_session_cookie
from app.platform.templating import render
from app.saas import validation
from app.saas.accounts import (
    SignupRequest,
    VerificationError,
    send_existing_account_email,
    send_verification_email,
    sign_up,
    verify_email,
)
from app.saas.billing import load_plans
from app.saas.dates import utc_now
from app.saas.deps import signup_rules
from app.saas.plans import find_plan
from app.saas.sessions import USER_COOKIE
from app.saas.validation import FieldError

log = logging.getLogger(__name__)
router = APIRouter()


@router.get("/")
def home() -> Response:
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/signup")
def signup_form(request: Request) -> Response:
    return render(request, "signup.html", plans=load_plans(dbs(request).billing))


@router.post("/signup")
def signup_submit(
    request: Request,
    company_name: Annotated[str, Form()] = "",
    domain: Annotated[str, Form()] = "",
    admin_email: Annotated[str, Form()] = "",
    plan: Annotated[str, Form()] = "",
) -> Response:
    databases = dbs(request)
    plans = load_plans(databases.billing)
    values = {"company_name": company_name, "domain": domain, "admin_email": admin_email,
              "plan": plan}  # fmt: skip
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for field, check in (
        ("company_name", validation.company_name),
        ("domain", validation.hostname),
        ("admin_email", validation.email),
    ):
        try:
            cleaned[field] = check(values[field])
        except FieldError as exc:
            errors[field] = exc.message
    if find_plan(plans, plan) is None:
        errors["plan"] = "Choose a plan from the list."
    rules = signup_rules(request)
    if not errors:
        try:
            request_data = SignupRequest(
                cleaned["company_name"], cleaned["domain"], cleaned["admin_email"], plan
            )
            outcome = sign_up(databases.users, request_data, utc_now(), rules.pending_lifetime)
        except FieldError as exc:
            errors[exc.field] = exc.message
    if errors:
        return render(request, "signup.html", 400, plans=plans, values=values, errors=errors)

    try:
        if outcome.token is None:
            # The same answer as a new sign-up: the form never tells whether an address
            # has an account; its owner learns of the attempt by email.
            send_existing_account_email(settings(request), str(outcome.existing_account))
        else:
            send_verification_email(
                settings(request), request_data.admin_email, outcome.token, rules.pending_hours
            )
    except MailError:
        log.exception("verification email not sent")
        return render(
            request,
            "error.html",
            502,
            message="Your organisation was created, but we could not send the verification "
            f"email. Please contact {settings(request).support_email}.",
        )
    return RedirectResponse("/signup/check-email", status_code=303)


@router.get("/signup/check-email")
def check_email(request: Request) -> Response:
    return render(request, "check_email.html", hours=signup_rules(request).pending_hours)


@router.get("/verify")
def verify_page(request: Request, token: str = "") -> Response:
    """The emailed link: a page with a button, and nothing more. A mail scanner or a link
    preview that opens the link neither uses it up nor gets a session."""
    return render(request, "verify.html", confirm_token=token)


@router.post("/verify")
def verify(request: Request, token: Annotated[str, Form()] = "") -> Response:
    """The button: uses the link once and signs the admin in."""
    try:
        session_token = verify_email(dbs(request).users, token, utc_now())
    except VerificationError as exc:
        return render(request, "verify.html", 400, error=str(exc))
    response = render(request, "verify.html", verified=True)
    set_session_cookie(request, response, USER_COOKIE, session_token)
    return response
