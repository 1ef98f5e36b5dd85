"""SaaS platform: verification links, who signs in, sessions on several devices, and what a
tenant's people see (their own organisation, nothing of another)."""

from __future__ import annotations

import re

from behave import given, then, when
from playwright.sync_api import expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from app.platform.security import new_token, sha256_hex
from harness.browser import open_scenario_browser
from harness.page_answers import assert_page_answered
from pages.saas.access import (
    AnyDevice,
    OrganisationPage,
    StartPage,
    add_session_cookie,
    session_token_of,
)
from pages.saas.account import DashboardScreen, SuspensionNotice
from pages.saas.signup import SignupScreen, VerificationScreen, verification_link
from pages.shared.login import LoginScreen
from products.saas.access_words import age_in_seconds
from products.saas.step_types import LANDINGS, SINCE
from products.saas.words import plan_id
from queries.saas.accounts import (
    account_state,
    age_verification_link,
    billing_view,
    expire_session,
    live_sessions_of,
    start_session,
    tenant_named,
    tenant_of_user,
    usage_readings_of,
)
from spanner.assertions import eventually

USER_COOKIE = "session"


# --- verification links


@given('"{company}" signed up as "{domain}" with the admin "{email}", {age} ago')
def step_signed_up_ago(context, company, domain, email, age):
    """Signs up in the browser, waits for the emailed link, then moves the link back in time."""
    SignupScreen(context.page).open().sign_up(company, domain, email, plan_id("Basic"))
    expect(SignupScreen(context.page).verification_notice).to_be_visible()
    context.mail.wait_for(email)
    aged = age_verification_link(context.db.users, email, age_in_seconds(age))
    assert aged == 1, f"expected one verification link of {email} to age, aged {aged}"


@given('the admin "{email}" has confirmed their email address from the link emailed to them')
def step_followed_link_once(context, email):
    """Confirms from the emailed link once."""
    VerificationScreen(context.page).confirm_from(verification_link(context.mail, email))
    expect(VerificationScreen(context.page).success).to_be_visible()


@then('the link is refused, telling them "{message}"')
def step_link_refused(context, message):
    """The verification page says why the link does not work: 400 Bad Request."""
    rule = "a verification link works once, and for 24 hours after sign-up"
    expect(VerificationScreen(context.page).error, rule).to_have_text(message)
    assert_page_answered(context, 400, rule)


@then('"{email}" still waits to confirm their email address, and is not signed in')
def step_still_unconfirmed(context, email):
    """Rule: a link that does not work activates nobody and starts no session."""
    state = account_state(context.db.users, email)
    found = (state["UserStatus"], state["TenantStatus"], state["Sessions"])
    assert found == ("pending_verification", "pending_verification", 0), (
        f"a verification link that has run out activates nobody and signs nobody in: {email} "
        f"is {state['UserStatus']}, their tenant {state['TenantStatus']}, with "
        f"{state['Sessions']} sessions"
    )


@then('"{email}" has only the session their first confirmation gave them')
def step_only_first_session(context, email):
    """Rule: a link used a second time starts no second session."""
    state = account_state(context.db.users, email)
    assert state["Sessions"] == 1, (
        f"a verification link works once: {email} should have the one session of its first "
        f"use, has {state['Sessions']}"
    )


# --- signing in


@then('"{email}" is signed in and sees {landing:Landing}')
def step_signed_in_and_sees(context, email, landing):
    """The browser lands where this kind of person works, with one live session of theirs."""
    expect(
        context.page, f"{email} signs in with their own password and lands on {landing}"
    ).to_have_url(re.compile(re.escape(LANDINGS[landing]) + r"(\?|$)"))
    if landing == "their organisation's dashboard":
        tenant = tenant_of_user(context.db.users, email)
        expect(DashboardScreen(context.page).dashboard).to_be_visible()
        expect(
            OrganisationPage(context.page).tenant_name,
            f"{email} signs in to their own organisation",
        ).to_have_text(tenant["Name"])
    sessions = live_sessions_of(context.db.users, email)
    assert sessions == 1, f"signing in starts one session of {email}: found {sessions}"


@then("they are told their organisation's account is suspended, to contact support")
def step_told_suspended(context):
    """The sign-in page shows the suspension notice with a way to reach support."""
    notice = SuspensionNotice(context.page)
    rule = "a suspended tenant's people cannot sign in and are told why"
    expect(notice.account_suspended, rule).to_be_visible()
    expect(notice.contact_support).to_be_visible()
    assert_page_answered(context, 403, rule)


# --- sessions on several devices


def _sign_in(context, page, email: str) -> None:
    """Signs in on that browser; waits until it has left the sign-in page."""
    LoginScreen(page).open().log_in(email, context.accounts.password_of(email))
    expect(page, f"{email} signs in with their own password").not_to_have_url(
        re.compile(r"/login(\?|$)")
    )


def _sign_in_on_new_device(context, email: str):
    device = open_scenario_browser(context.browser, context.app.base_url, context.settings)
    context.add_cleanup(device.close)
    _sign_in(context, device.page, email)
    return device.page


@given('"{email}" has signed in on two devices')
def step_signed_in_on_two_devices(context, email):
    """The scenario's browser is the first device; a second browser is the second."""
    _sign_in(context, context.page, email)
    second = _sign_in_on_new_device(context, email)
    context.learned.update(signed_in=email, devices={"first": context.page, "second": second})
    assert live_sessions_of(context.db.users, email) == 2, f"{email} should have two sessions"


@given('"{email}" has signed in on a device of their own')
def step_bystander_signed_in(context, email):
    """Another person, in a browser of their own."""
    context.learned.setdefault("bystanders", {})[email] = _sign_in_on_new_device(context, email)


@when("they sign out on the first device")
def step_sign_out_first_device(context):
    """The log-out button in the first browser."""
    AnyDevice(context.learned["devices"]["first"]).sign_out()
    expect(LoginScreen(context.page).sign_in_form).to_be_visible()


@when("the session on their first device runs out")
def step_first_session_runs_out(context):
    """Moves the end of the first browser's session to a moment ago."""
    token = session_token_of(context.learned["devices"]["first"], USER_COOKIE)
    assert token, "the first device holds no session cookie"
    ended = expire_session(context.db.users, sha256_hex(token))
    assert ended == 1, f"expected the first device's session to run out, changed {ended}"


@then("opening {landing:Landing} on the first device asks them to sign in")
def step_first_device_asks_to_sign_in(context, landing):
    """Rule: without a live session the page sends the browser to the sign-in page."""
    page = context.learned["devices"]["first"]
    AnyDevice(page).open_at(LANDINGS[landing])
    expect(
        page, "a session ends when its owner signs out on that device or when it runs out"
    ).to_have_url(re.compile(r"/login(\?|$)"))


def _expect_landing_of(context, page, email: str, landing: str, why: str) -> None:
    AnyDevice(page).open_at(LANDINGS[landing])
    expect(page, why).to_have_url(re.compile(re.escape(LANDINGS[landing]) + r"(\?|$)"))
    if landing == "their organisation's dashboard":
        expect(OrganisationPage(page).tenant_name, why).to_have_text(
            tenant_of_user(context.db.users, email)["Name"]
        )


@then("their second device still shows {landing:Landing}")
def step_second_device_still_in(context, landing):
    """Rule: ending one session leaves the person's other sessions alone."""
    email = context.learned["signed_in"]
    _expect_landing_of(
        context,
        context.learned["devices"]["second"],
        email,
        landing,
        f"a session ends on its own device only: {email}'s second device must stay signed in",
    )


@then('"{email}" is still signed in on their own device, on {landing:Landing}')
def step_bystander_still_in(context, email, landing):
    """Rule: one person's session ending leaves everyone else's alone."""
    _expect_landing_of(
        context,
        context.learned["bystanders"][email],
        email,
        landing,
        f"another person's session ending must leave {email} signed in",
    )


@then('"{email}" has {count:d} live session left')
def step_live_sessions_left(context, email, count):
    """Counts the person's unexpired sessions in the users database."""

    def check() -> None:
        found = live_sessions_of(context.db.users, email)
        assert found == count, (
            f"a session ends on its own device only: {email} should have {count} live "
            f"session(s) left, has {found}"
        )

    eventually(check, context.settings.db_poll_timeout)


# --- a tenant's pages


@given('"{email}" has signed in')
def step_has_signed_in(context, email):
    """Signs in with the password from the feature's accounts file."""
    LoginScreen(context.page).open().log_in(email, context.accounts.password_of(email))
    expect(DashboardScreen(context.page).dashboard).to_be_visible()
    context.learned["signed_in"] = email


@when("they open {name:OrganisationPage}")
def step_open_organisation_page(context, name):
    """Opens the page by its address."""
    OrganisationPage(context.page).open_named(name)
    context.learned["page"] = name


# --- the platform's own address

START_RULE = (
    "the platform's own address leads a tenant's person to their organisation's dashboard, "
    "and anyone not signed in to sign-in"
)


@when("they open the platform's address")
def step_open_platform_address(context):
    """The platform's address with no page named, as typed or bookmarked."""
    StartPage(context.page).open()


@when("someone who has not signed in opens the platform's address")
def step_open_platform_address_signed_out(context):
    """The platform's address, from a browser with no session."""
    StartPage(context.page).open()


@then("they are shown their organisation's dashboard")
def step_shown_own_dashboard(context):
    """The dashboard, naming the signed-in person's organisation (from Spanner)."""
    email = context.learned["signed_in"]
    tenant = tenant_of_user(context.db.users, email)
    why = f"{START_RULE}: {email}"
    expect(context.page, why).to_have_url(re.compile(r"/dashboard(\?|$)"))
    expect(OrganisationPage(context.page).tenant_name, why).to_have_text(tenant["Name"])


@then("they are shown the sign-in page")
def step_shown_sign_in(context):
    """The sign-in page and its form."""
    expect(context.page, START_RULE).to_have_url(re.compile(r"/login(\?|$)"))
    expect(LoginScreen(context.page).sign_in_form, START_RULE).to_be_visible()


def _own_usage(context, tenant_id: str) -> dict[str, int]:
    readings = usage_readings_of(context.db.billing, tenant_id)
    values = {row["MetricType"]: row["Value"] for row in readings}
    assert len(values) == len(readings) == 3, (
        f"the feature's data gives the tenant one reading of each metric today: {readings}"
    )
    return values


@then("the page shows their own organisation")
def step_page_shows_own_organisation(context):
    """What the page shows of the tenant is the signed-in person's tenant's, from Spanner."""
    email, name = context.learned["signed_in"], context.learned["page"]
    tenant = tenant_of_user(context.db.users, email)
    billing = billing_view(context.db.billing, tenant["TenantID"])
    page = OrganisationPage(context.page)
    why = f"{email} sees their own organisation ({tenant['Name']}) on {name}"
    if name == "the dashboard":
        expect(page.tenant_name, why).to_have_text(tenant["Name"])
        expect(page.plan, why).to_have_text(billing["PlanName"])
    elif name == "the organisation settings":
        expect(context.page.get_by_text(f"Organisation: {tenant['Name']}"), why).to_be_visible()
    elif name == "the billing tab":
        expect(page.current_plan, why).to_have_text(billing["PlanName"])
        expect(page.next_billing_date, why).to_have_text(billing["NextBillingDate"].isoformat())
        expect(context.page.get_by_text(f"ending {billing['Last4']}"), why).to_be_visible()
    elif name == "the usage page":
        usage = _own_usage(context, tenant["TenantID"])
        expect(page.api_calls_today, why).to_have_text(f"{usage['api_calls']:,}")
        expect(page.storage_current, why).to_have_text(f"{usage['storage_gb']:,} GB")
        expect(page.active_users_peak, why).to_have_text(f"{usage['active_users']:,}")
    else:
        expect(page.current_plan, why).to_have_text(billing["PlanName"])


@then('nothing of "{name}" shows on it')
def step_nothing_of_other_tenant(context, name):
    """Rule: no page of a tenant shows another tenant's name, domain, people, card or dates."""
    other = tenant_named(context.db.users, name)
    billing = billing_view(context.db.billing, other["TenantID"])
    markers = [other["Name"], other["Domain"], *other["Emails"]]
    markers += [f"ending {billing['Last4']}", billing["NextBillingDate"].isoformat()]
    text = OrganisationPage(context.page).text()
    shown = [marker for marker in markers if marker in text]
    assert not shown, (
        f"a tenant's people see nothing of another tenant: {context.learned['page']} of "
        f"{context.learned['signed_in']} shows {shown} of {name}"
    )


# --- a session held from before an account changed


@given('"{email}" still holds a session started before {since:Since}')
def step_holds_old_session(context, email, since):
    """Checks the account's state in the fixtures, then gives the browser a live session of
    theirs, as signing in earlier would have."""
    column, value = SINCE[since]
    state = account_state(context.db.users, email)
    assert state is not None and state[column] == value, (
        f"the feature's data should say {since} for {email}: found {state}"
    )
    token = new_token()
    started = start_session(context.db.users, email, sha256_hex(token))
    assert started == 1, f"expected to start one session of {email}, started {started}"
    add_session_cookie(context.page, context.app.base_url, USER_COOKIE, token)
    context.learned["signed_in"] = email


@then("they are asked to sign in")
def step_asked_to_sign_in(context):
    """Rule: a session opens no page once its account is disabled or its organisation suspended."""
    expect(
        context.page,
        f"{context.learned['signed_in']}'s session must open no page once the account is "
        "disabled or the organisation suspended",
    ).to_have_url(re.compile(r"/login(\?|$)"))
    expect(LoginScreen(context.page).sign_in_form).to_be_visible()
