"""SaaS platform: tenants signing up, onboarding, and being suspended."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from behave import given, then, when
from playwright.sync_api import expect

from app.platform.security import new_token, sha256_hex
from harness.page_answers import assert_page_answered
from pages.saas.account import BillingSettingsScreen, DashboardScreen, SuspensionNotice
from pages.saas.admin import AdminTenantsScreen
from pages.saas.signup import SetupWizard, SignupScreen, VerificationScreen, verification_link
from pages.saas.usage_api import UsageApi
from pages.shared.login import LoginScreen
from products.saas.rules import one_month_after
from products.saas.words import future_expiry, plan_id
from queries.saas import (
    admin_id_by_email,
    session_count_of_user,
    subscriptions_of,
    suspension_records,
    tenant_by_domain,
    tenant_id_by_domain,
    tenants_with_users,
    unexpired_session_count,
    user_by_email,
)
from queries.saas.accounts import active_user_emails, start_session
from spanner.assertions import assert_count, assert_rows, eventually
from spanner.clock import SPANNER_TIMEZONE, spanner_today
from spanner.snapshot import changes, rows_of


def tenant_id_of(context, domain: str) -> str:
    return tenant_id_by_domain(context.db.users, domain)


@when('"{company}" signs up with the domain "{domain}", admin "{email}" and the {plan} plan')
def step_company_signs_up(context, company, domain, email, plan):
    """Fills in and sends the sign-up form."""
    SignupScreen(context.page).open().sign_up(company, domain, email, plan_id(plan))
    context.learned.update(company=company, domain=domain, admin_email=email)


@then("they are asked to verify their email address")
def step_asked_to_verify(context):
    """The sign-up confirmation tells them to check their inbox."""
    expect(
        SignupScreen(context.page).verification_notice,
        f"{context.scenario.name}: sign-up takes details within the rules and asks to verify "
        "the email address",
    ).to_be_visible()


@when('the admin confirms their email address from the link emailed to "{email}"')
def step_follow_verification_link(context, email):
    """Opens the emailed link and presses its confirmation button."""
    VerificationScreen(context.page).confirm_from(verification_link(context.mail, email))


@then("the email address is confirmed")
def step_email_confirmed(context):
    """The verification page says the address is confirmed."""
    expect(
        VerificationScreen(context.page).success,
        "a verification link confirms the address the first time, within 24 hours of sign-up",
    ).to_be_visible()


@then('the account of "{email}" is active')
def step_account_active(context, email):
    """Rule: confirming from the verification link activates the admin's account."""

    def check() -> None:
        user = user_by_email(context.db.users, email)
        assert user is not None, f"no user {email} in the users database"
        assert user["Status"] == "active", (
            f"confirming from the verification link must activate {email}: status is "
            f"{user['Status']}"
        )

    eventually(check, context.settings.db_poll_timeout)


@when("the admin completes the setup wizard:")
def step_complete_setup_wizard(context):
    """Organisation details and the admin's profile, from the one-row table."""
    details = context.table[0]
    VerificationScreen(context.page).continue_setup()
    wizard = SetupWizard(context.page)
    wizard.describe_organisation(details["company size"], details["industry"])
    wizard.create_admin_profile(details["first name"], details["last name"], details["password"])


@given('"{company}" has signed up as "{domain}" with admin "{email}" and set up its account')
def step_signed_up_up_to_billing(context, company, domain, email):
    """Sign-up, email verification and the wizard up to billing, all in the browser."""
    step_company_signs_up(context, company, domain, email, "Basic")
    step_follow_verification_link(context, email)
    VerificationScreen(context.page).continue_setup()
    wizard = SetupWizard(context.page)
    wizard.describe_organisation("11-50", "technology")
    wizard.create_admin_profile("Gina", "Globex", "SecurePassword123!")


@when(
    'the admin pays by card "{card}" with a future expiry date, CVC "{cvc}", billed to "{address}"'
)
def step_pay_by_card(context, card, cvc, address):
    """Fills in the billing step of the wizard and saves it."""
    SetupWizard(context.page).save_billing(card, future_expiry(), cvc, address)


@then("onboarding is complete and the dashboard is shown")
def step_onboarding_complete(context):
    """The welcome message and the dashboard are on screen."""
    expect(SetupWizard(context.page).onboarding_complete).to_be_visible()
    expect(DashboardScreen(context.page).dashboard).to_be_visible()


@then('the payment is refused with "{message}"')
def step_payment_refused(context, message):
    """The billing step shows the gateway's reason: 400 Bad Request."""
    expect(SetupWizard(context.page).payment_error).to_contain_text(message)
    assert_page_answered(context, 400, f"the card is refused with {message!r}")


@then('"{domain}" is one active tenant named "{name}" on the {plan} plan, with the admin "{email}"')
def step_one_active_tenant(context, domain, name, plan, email):
    """The user database holds exactly one such tenant, with exactly that admin user."""
    rows = assert_rows(
        lambda: tenants_with_users(context.db.users, domain),
        [
            {
                "Name": name,
                "Plan": plan_id(plan),
                "Status": "active",
                "Email": email,
                "Role": "admin",
            }
        ],
        f"tenant {domain} and its users",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )
    context.learned["tenant_id"] = rows[0]["TenantID"]


@then(
    '"{domain}" has exactly one subscription: {plan}, active, at the plan\'s monthly price, '
    "renewing one calendar month from today"
)
def step_one_active_subscription(context, domain, plan):
    """Rule: onboarding starts one monthly subscription at the chosen plan's price and currency,
    renewing on the same day next month (Spanner's today, America/Los_Angeles)."""
    tenant_id = tenant_id_of(context, domain)
    price, currency = context.learned["prices"][plan_id(plan)]
    assert_rows(
        lambda: subscriptions_of(context.db.billing, tenant_id),
        [
            {"Plan": plan_id(plan), "Status": "active", "BillingCycle": "monthly",
             "Amount": price, "Currency": currency,
             "NextBillingDate": one_month_after(spanner_today())},
        ],
        f"subscriptions of {domain} (the plan's price, renewing in one calendar month)",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )  # fmt: skip


@then('"{domain}" has no subscription')
def step_no_subscription(context, domain):
    """Nothing was written to billing for the tenant."""
    tenant_id = tenant_id_of(context, domain)
    rows = subscriptions_of(context.db.billing, tenant_id)
    assert not rows, f"expected no subscription for {domain}, found {len(rows)}: {rows}"


@given('"{domain}" has users who are signed in')
def step_users_signed_in(context, domain):
    """Signs every active user of the tenant in once more (a live session each, beside those of
    the feature's data); all the tenant's rows in both databases are noted, to compare
    afterwards."""
    tenant_id = tenant_id_of(context, domain)
    for email in active_user_emails(context.db.users, tenant_id):
        started = start_session(context.db.users, email, sha256_hex(new_token()))
        assert started == 1, f"expected to start one session of {email}, started {started}"
    count = unexpired_session_count(context.db.users, tenant_id)
    assert count > 0, f"{domain} should have signed-in users, found {count} sessions"
    context.learned[f"rows of {domain}"] = rows_of(context.db, "TenantID", tenant_id)


@when('a platform administrator suspends "{domain}" for "{reason}"')
def step_admin_suspends(context, domain, reason):
    """An operator signs in to the admin console, finds the tenant and suspends it."""
    operator = "ops@platform.example.com"
    context.learned["operator"] = operator
    LoginScreen(context.page).open().log_in(operator, context.accounts.password_of(operator))
    tenants = AdminTenantsScreen(context.page)
    tenants.open()
    tenants.search(domain)
    context.learned["suspended_at_before"] = tenant_by_domain(context.db.users, domain)["UpdatedAt"]
    tenants.suspend_first_result(reason)
    expect(tenants.suspension_success).to_be_visible()


@then('the suspension of "{domain}" records the reason "{reason}" and who suspended it')
def step_suspension_recorded(context, domain, reason):
    """Rule: a suspension keeps its reason and the operator who decided it."""
    tenant_id = tenant_id_of(context, domain)
    operator = admin_id_by_email(context.db.users, context.learned["operator"])
    assert_rows(
        lambda: suspension_records(context.db.users, tenant_id),
        [{"Reason": reason, "SuspendedBy": operator}],
        f"suspensions of {domain} (reason and operator recorded)",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then('"{domain}" is suspended')
def step_tenant_suspended(context, domain):
    """The tenant's status is suspended and its last update moved forward."""
    before = context.learned["suspended_at_before"]

    def check() -> None:
        tenant = tenant_by_domain(context.db.users, domain)
        assert tenant["Status"] == "suspended", (
            f"expected status suspended, found {tenant['Status']}"
        )
        assert tenant["UpdatedAt"] > before, (
            f"expected UpdatedAt after {before.isoformat()}, "
            f"found {tenant['UpdatedAt'].isoformat()}"
        )

    eventually(check, context.settings.db_poll_timeout)


@then('its user "{email}" cannot sign in and is told to contact support')
def step_user_locked_out(context, email):
    """Signing in shows the suspension notice and a support link, and creates no session."""
    before = session_count_of_user(context.db.users, email)
    LoginScreen(context.page).open().log_in(email, context.accounts.password_of(email))
    notice = SuspensionNotice(context.page)
    expect(notice.account_suspended).to_be_visible()
    expect(notice.contact_support).to_be_visible()
    assert_page_answered(context, 403, f"a suspended tenant's user {email} is refused")
    after = session_count_of_user(context.db.users, email)
    assert after == 0, (
        f"expected no session for {email} after a refused sign-in, found {after} (before: {before})"
    )


@then('"{domain}" has no active sessions left')
def step_no_sessions(context, domain):
    """Every session of every user of the tenant is gone or expired."""
    tenant_id = tenant_id_of(context, domain)
    assert_count(
        lambda: unexpired_session_count(context.db.users, tenant_id),
        0,
        f"unexpired sessions of {domain}",
        context.settings.db_poll_timeout,
    )


@then('the subscription of "{domain}" is suspended')
def step_subscription_suspended(context, domain):
    """Billing reflects the suspension."""
    tenant_id = tenant_id_of(context, domain)
    assert_rows(
        lambda: subscriptions_of(context.db.billing, tenant_id),
        [{"Status": "suspended"}],
        f"subscriptions of {domain}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


# what suspension may change of the suspended tenant; everything else must stay as it was
SUSPENSION_CHANGES = {
    "users.Tenants": {"Status", "UpdatedAt"},
    "users.UserSessions": None,  # signed out
    "users.TenantSuspensions": None,  # the record of the suspension
    "billing.Subscriptions": {"Status"},
}


@then('everything else of "{domain}" is kept as it was, in both databases')
def step_data_retained(context, domain):
    """Rule: suspension deletes and changes nothing of the tenant's data but its status, its
    sessions and its subscription's status: every other row of both databases is compared."""
    before = context.learned[f"rows of {domain}"]
    tenant_id = tenant_id_of(context, domain)

    def check() -> None:
        after = rows_of(context.db, "TenantID", tenant_id)
        found = changes(before, after, SUSPENSION_CHANGES)
        assert not found, f"suspending {domain} must keep its data:\n" + "\n".join(found)

    eventually(check, context.settings.db_poll_timeout)


@then('nothing of "{domain}" has changed')
def step_bystander_untouched(context, domain):
    """Rule: suspending one tenant touches that tenant only."""
    before = context.learned[f"rows of {domain}"]
    after = rows_of(context.db, "TenantID", tenant_id_of(context, domain))
    found = changes(before, after)
    assert not found, f"suspending another tenant changed {domain}:\n" + "\n".join(found)


# --- earlier states of the lifecycle, made true in the browser for a scenario's one action


@given('"{company}" has signed up with the domain "{domain}", admin "{email}" and the {plan} plan')
def step_company_has_signed_up(context, company, domain, email, plan):
    """Sends the sign-up form; the confirmation asks to verify the email address."""
    step_company_signs_up(context, company, domain, email, plan)
    expect(SignupScreen(context.page).verification_notice).to_be_visible()


@given('the admin has confirmed "{email}" and completed the setup wizard:')
def step_admin_confirmed_and_set_up(context, email):
    """Follows the emailed link, then the organisation and profile steps from the table."""
    step_follow_verification_link(context, email)
    expect(VerificationScreen(context.page).success).to_be_visible()
    step_complete_setup_wizard(context)
    expect(SetupWizard(context.page).part("card-number")).to_be_visible()


@given("they have opened the billing settings")
def step_have_opened_billing_settings(context):
    """Settings, then the billing tab."""
    DashboardScreen(context.page).open_settings()
    BillingSettingsScreen(context.page).open_billing_tab()
    expect(BillingSettingsScreen(context.page).current_plan).to_be_visible()


@given("they have chosen to upgrade to {plan}, and are shown what it costs")
def step_have_chosen_upgrade(context, plan):
    """Picks the bigger plan; notes the prorated amount the summary shows."""
    screen = BillingSettingsScreen(context.page)
    screen.choose_upgrade(plan_id(plan))
    expect(screen.upgrade_summary).to_be_visible()
    context.learned["new_plan"] = plan_id(plan)
    context.learned["prorated_amount"] = Decimal(screen.prorated_amount.inner_text())


@given('usage of "{domain}" has been reported through the usage API:')
def step_usage_has_been_reported(context, domain):
    """Each row is one report: metric, amount and the time of day it happened (today)."""
    tenant_id = tenant_id_of(context, domain)
    api = UsageApi(context.app.base_url)
    key = context.accounts.secret("api_keys", domain)
    for row in context.table:
        at = datetime.combine(spanner_today(), time.fromisoformat(row["at"]), SPANNER_TIMEZONE)
        response = api.record(tenant_id, key, row["metric"], int(row["amount"]), at)
        assert response.status_code == 201, (
            f"usage report {dict(row.items())} answered {response.status_code}: {response.text}"
        )
