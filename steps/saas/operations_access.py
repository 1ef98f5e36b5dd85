"""SaaS platform operators' console: who reaches it, what a suspension does to every session
of the tenant's people (and nothing to another tenant's), and reinstatement."""

from __future__ import annotations

import re

from behave import given, then, when
from playwright.sync_api import Page, expect

from harness.page_answers import assert_page_answered
from pages.saas.account import DashboardScreen
from pages.saas.admin import AdminTenantsScreen
from pages.saas.console import (
    CONSOLE_PATH,
    go_to_console,
    go_to_console_home,
    open_locked_sign_ins,
    open_suspension_form,
    send_reinstatement,
    send_suspension,
)
from pages.shared.login import LoginScreen
from queries.saas import (
    subscriptions_of,
    tenant_by_domain,
    tenant_id_by_domain,
    unexpired_session_count,
)
from queries.saas.operations import suspension_state
from spanner.assertions import assert_rows, eventually
from spanner.snapshot import changes, rows_of

OPERATORS_RULE = "only platform operators reach the console, and suspend or reinstate tenants"
SESSIONS_RULE = (
    "a suspension ends every session of every person of the tenant, and no session of another "
    "tenant"
)
REINSTATE_RULE = (
    "a reinstated tenant is active again: its people sign in again, its suspended subscription "
    "is active again, and nothing else of it changes"
)
LOGIN_URL = re.compile(r"/login(\?.*)?$")
# what reinstatement may change of the tenant; everything else must stay as it was
REINSTATEMENT_CHANGES = {
    "users.Tenants": {"Status", "UpdatedAt"},
    "users.UserSessions": None,  # its people sign in again
    "users.Users": {"LastLoginAt"},
    # signing in again stores the same password's hash with the app's current argon2 parameters
    # when it was made with others (the fixtures' cheap ones)
    "users.UserCredentials": {"PasswordHash", "UpdatedAt"},
    "billing.Subscriptions": {"Status"},
}


# --- browsers of the tenants' people, one session each


def open_browser(context) -> Page:
    """A browser of its own (a new context: its own cookies), closed after the scenario."""
    browser = context.page.context.browser
    other = browser.new_context(base_url=context.app.base_url)
    context.add_cleanup(other.close)
    return other.new_page()


@given('"{email}" is signed in, in a browser of their own')
def step_signed_in_own_browser(context, email):
    """Signs in from a new browser, so that the person has one more session."""
    page = open_browser(context)
    LoginScreen(page).open().log_in(email, context.accounts.password_of(email))
    expect(DashboardScreen(page).dashboard).to_be_visible()
    context.learned.setdefault("browsers", []).append((email, page))


def browsers_of(context, domain: str) -> list[tuple[str, Page]]:
    found = [(e, p) for e, p in context.learned.get("browsers", []) if e.endswith(f"@{domain}")]
    assert found, f"no browser of the people of {domain} was opened in this scenario"
    return found


@then('every browser of the people of "{domain}" is sent to the sign-in page at its next page')
def step_every_browser_signed_out(context, domain):
    """Each browser opened for the tenant's people asks for the dashboard and gets sign-in."""
    for email, page in browsers_of(context, domain):
        DashboardScreen(page).open()
        expect(page, f"{SESSIONS_RULE}: a browser of {email}").to_have_url(LOGIN_URL)
        expect(DashboardScreen(page).dashboard).to_have_count(0)


@then('every browser of the people of "{domain}" still opens the dashboard')
def step_every_browser_still_signed_in(context, domain):
    """Each browser opened for the bystander's people still shows the dashboard."""
    for email, page in browsers_of(context, domain):
        DashboardScreen(page).open()
        expect(
            DashboardScreen(page).dashboard, f"{SESSIONS_RULE}: a browser of {email}"
        ).to_be_visible()


@then('no person of "{domain}" has a session left')
def step_no_session_left(context, domain):
    """Spanner holds no unexpired session of any person of the tenant."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)

    def check() -> None:
        count = unexpired_session_count(context.db.users, tenant_id)
        assert count == 0, f"{SESSIONS_RULE}: {domain} still has {count} unexpired session(s)"

    eventually(check, context.settings.db_poll_timeout)


# --- who reaches the console


@when("they go straight to the operators' console")
def step_go_to_console(context):
    """Types the console's address."""
    go_to_console(context.page)


@when("they type the console's short address")
def step_go_to_console_home(context):
    """Types the console's short address, which leads an operator to its list of tenants."""
    go_to_console_home(context.page)


@then("they are shown the console's list of tenants")
def step_shown_console(context):
    """The answer is the console's tenant list, with its search."""
    why = f"{OPERATORS_RULE}: the console's short address opens its list of tenants"
    expect(context.page, why).to_have_url(re.compile(re.escape(CONSOLE_PATH) + r"(\?.*)?$"))
    expect(AdminTenantsScreen(context.page).tenant_search, why).to_be_visible()
    expect(AdminTenantsScreen(context.page).listed_tenants.first, why).to_be_visible()


@when('they send straight the suspension of "{domain}" for "{reason}"')
def step_send_suspension_for(context, domain, reason):
    """Sends the console's suspension form by hand, from the page open."""
    send_suspension(context.page, tenant_id_by_domain(context.db.users, domain), reason)


# an id no tenant has: the platform makes its tenants' ids itself, never this one
ID_OF_NO_TENANT = "tenant-the-platform-does-not-have"
ACTS_ON_A_TENANT = {
    "open the suspension form of": open_suspension_form,
    "send straight the suspension of": lambda page, tenant_id: send_suspension(
        page, tenant_id, "Invoices unpaid for three months"
    ),
    "send straight the reinstatement of": send_reinstatement,
    "open the locked sign-ins of": open_locked_sign_ins,
}


@when("they {act} a tenant the platform does not have")
def step_act_on_no_tenant(context, act):
    """Opens that console page, or sends that form by hand, for an id no tenant has."""
    if act not in ACTS_ON_A_TENANT:
        raise ValueError(f"say one of {', '.join(ACTS_ON_A_TENANT)}, not {act!r}")
    ACTS_ON_A_TENANT[act](context.page, ID_OF_NO_TENANT)


@then('the console answers that there is no such {thing}: "{message}"')
def step_no_such(context, thing, message):
    """The console's error page with its words, answered 404 Not Found."""
    rule = f"the console has no page for a {thing} the platform does not have"
    expect(AdminTenantsScreen(context.page).refusal, rule).to_have_text(message)
    assert_page_answered(context, 404, rule)


@when('they send straight the reinstatement of "{domain}"')
def step_send_reinstatement(context, domain):
    """Sends the console's reinstatement by hand, from the page open."""
    send_reinstatement(context.page, tenant_id_by_domain(context.db.users, domain))


@then("they are sent to the sign-in page, and no console is shown")
def step_sent_to_sign_in(context):
    """The answer is the sign-in page: no tenant list, no suspension form."""
    expect(context.page, f"{OPERATORS_RULE}: a tenant's person").to_have_url(LOGIN_URL)
    expect(AdminTenantsScreen(context.page).tenant_search).to_have_count(0)
    expect(AdminTenantsScreen(context.page).reason_box).to_have_count(0)


@then('the status of "{domain}" is still {status}, and so is its subscription')
def step_status_unchanged(context, domain, status):
    """The tenant and its current subscription keep that status; an active one has no
    suspension."""
    tenant = tenant_by_domain(context.db.users, domain)
    assert tenant["Status"] == status, (
        f"{OPERATORS_RULE}: {domain} must still be {status}, it is {tenant['Status']}"
    )
    current = subscriptions_of(context.db.billing, tenant["TenantID"])[0]  # the newest
    assert current["Status"] == status, (
        f"{OPERATORS_RULE}: the subscription of {domain} must still be {status}: {current}"
    )
    if status == "active":
        suspensions = suspension_state(context.db.users, domain)
        assert all(r["Reason"] is None for r in suspensions), (
            f"{OPERATORS_RULE}: {domain} must have no suspension recorded: {suspensions}"
        )


# --- reinstatement


@given('"{domain}" was suspended, and billing heard of it')
def step_was_suspended(context, domain):
    """Checks the seed: suspended, its suspension passed on to billing; notes all its rows."""
    state = suspension_state(context.db.users, domain)
    assert [r["Status"] for r in state] == ["suspended"] and state[0]["BillingSyncedAt"], (
        f"the fixtures should hold {domain} suspended once, billing told: {state}"
    )
    context.learned[f"suspensions of {domain}"] = state
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    context.learned[f"rows of {domain}"] = rows_of(context.db, "TenantID", tenant_id)


@when('they reinstate "{domain}"')
def step_reinstate(context, domain):
    """Finds the tenant in the console and reinstates it."""
    AdminTenantsScreen(context.page).reinstate(domain)


@then('"{domain}" is active again, its suspension kept on record')
def step_active_again(context, domain):
    """The tenant is active; its suspension row is still there, unchanged."""
    before = context.learned[f"suspensions of {domain}"]
    expected = [{**row, "Status": "active"} for row in before]
    assert_rows(
        lambda: suspension_state(context.db.users, domain),
        expected,
        f"{REINSTATE_RULE}; status and suspensions of {domain}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then('the subscription of "{domain}" that was suspended is active again, the others as they were')
def step_subscription_back(context, domain):
    """Only the subscriptions the suspension suspended come back; a cancelled one stays so."""
    before = context.learned[f"rows of {domain}"]["billing.Subscriptions"]
    expected = [
        {"SubscriptionID": r["SubscriptionID"],
         "Status": "active" if r["Status"] == "suspended" else r["Status"]}
        for r in before
    ]  # fmt: skip
    assert any(r["Status"] == "suspended" for r in before), f"{domain} had no suspended one"
    assert_rows(
        lambda: subscriptions_of(context.db.billing, tenant_id_by_domain(context.db.users, domain)),
        expected,
        f"{REINSTATE_RULE}; subscriptions of {domain}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then('"{email}" can sign in again')
def step_can_sign_in_again(context, email):
    """From a browser of their own, the person signs in and sees the dashboard."""
    page = open_browser(context)
    LoginScreen(page).open().log_in(email, context.accounts.password_of(email))
    expect(DashboardScreen(page).dashboard, f"{REINSTATE_RULE}: {email} signs in").to_be_visible()


@then('nothing else of "{domain}" has changed, in either database')
def step_nothing_else_changed(context, domain):
    """Every row of the tenant in both databases is as it was, but its status, its
    subscription's status and the sessions of people who signed in again."""
    before = context.learned[f"rows of {domain}"]
    tenant_id = tenant_id_by_domain(context.db.users, domain)

    def check() -> None:
        found = changes(before, rows_of(context.db, "TenantID", tenant_id), REINSTATEMENT_CHANGES)
        assert not found, f"{REINSTATE_RULE}; what changed of {domain}:\n" + "\n".join(found)

    eventually(check, context.settings.db_poll_timeout)


@then('the console refuses the reinstatement: "{message}"')
def step_console_refuses_reinstatement(context, message):
    """The console answers with the reason, not with the tenant list: 409 Conflict."""
    rule = f"only a suspended tenant is reinstated: {message}"
    expect(AdminTenantsScreen(context.page).refusal, rule).to_have_text(message)
    assert_page_answered(context, 409, rule)


@then('the console refuses it: "{message}"')
def step_console_refuses(context, message):
    """The console answers with the reason, not with the tenant list: 409 Conflict."""
    rule = f"a tenant is suspended once: {message}"
    expect(AdminTenantsScreen(context.page).suspension_error, rule).to_contain_text(message)
    assert_page_answered(context, 409, rule)


@then('"{domain}" has only its first suspension on record')
def step_only_first_suspension(context, domain):
    """The tenant's suspensions are exactly those noted before."""
    assert_rows(
        lambda: suspension_state(context.db.users, domain),
        context.learned[f"suspensions of {domain}"],
        f"a tenant is suspended once; status and suspensions of {domain}",
        exact=True,
        timeout=0,
    )
