"""SaaS platform: what the sign-up form takes, who may sign in, and when a session ends."""

from __future__ import annotations

import re
from datetime import timedelta

from behave import then, when
from playwright.sync_api import expect

from pages.saas.account import DashboardScreen
from pages.saas.signup import SignupScreen
from pages.shared.login import LoginScreen
from products.saas.access_words import business_value
from products.saas.words import plan_id
from queries.saas.accounts import (
    session_counts,
    signed_up_tenant,
    tenant_and_user_counts,
)
from spanner.assertions import eventually

VERIFICATION_LINK_LIFETIME = timedelta(hours=24)
WRONG_PASSWORD = "not-the-password-1!"


def _example_of(context) -> str:
    """The scenario and the first cell of its example (the rule or the case it tells)."""
    row = getattr(context, "active_outline", None)
    return f"{context.scenario.name} ({row[0]})" if row else context.scenario.name


@when('someone signs up as "{company}" with the domain "{domain}" and the admin email "{email}"')
def step_someone_signs_up(context, company, domain, email):
    """Sends the sign-up form for the Basic plan; remembers how many tenants there were."""
    context.learned["counts_before_sign_up"] = tenant_and_user_counts(context.db.users)
    SignupScreen(context.page).open().sign_up(
        business_value(company), business_value(domain), business_value(email), plan_id("Basic")
    )


@then('sign-up is refused, telling them "{told}"')
def step_sign_up_refused(context, told):
    """The form comes back with that message under the field at fault."""
    expect(
        SignupScreen(context.page).field_error(told),
        f"{_example_of(context)}: sign-up must be refused, telling them {told!r}",
    ).to_have_count(1)


@then("nobody has signed up")
def step_nobody_signed_up(context):
    """Rule: a refused sign-up stores no tenant and no user."""
    before = context.learned["counts_before_sign_up"]
    after = tenant_and_user_counts(context.db.users)
    assert after == before, (
        f"a refused sign-up must store nothing: tenants and users were {before}, now {after}"
    )


@then(
    '"{domain}" is a tenant named "{name}" waiting for its admin "{email}" to confirm their email'
)
def step_tenant_waits_for_confirmation(context, domain, name, email):
    """Rule: sign-up stores the tenant and its admin as given (domains in lower case), both
    waiting for the email to be confirmed, with a verification link that works for 24 hours."""
    domain, name, email = business_value(domain), business_value(name), business_value(email)

    def check() -> None:
        rows = signed_up_tenant(context.db.users, domain)
        assert len(rows) == 1, f"sign-up must store one tenant {domain} with one user: {rows}"
        row = rows[0]
        stored = {key: row[key] for key in ("Name", "Email", "Role", "TenantStatus", "UserStatus")}
        expected = {
            "Name": name,
            "Email": email,
            "Role": "admin",
            "TenantStatus": "pending_verification",
            "UserStatus": "pending_verification",
        }
        assert stored == expected, f"sign-up of {domain} stored {stored}, expected {expected}"
        assert row["LinkExpiresAt"] is not None, f"no verification link was made for {email}"
        lifetime = row["LinkExpiresAt"] - row["LinkCreatedAt"]
        assert abs(lifetime - VERIFICATION_LINK_LIFETIME) < timedelta(seconds=5), (
            f"a verification link works for 24 hours after sign-up: {email}'s works for {lifetime}"
        )

    eventually(check, context.settings.db_poll_timeout)


@when('"{email}" tries to sign in with {password}')
def step_try_sign_in(context, email, password):
    """Sends the sign-in form with "their password", "a wrong password" or "the password of"
    another person of the feature's accounts file."""
    passwords = {
        "their password": lambda: context.accounts.password_of(email.lower()),
        "a wrong password": lambda: WRONG_PASSWORD,
    }
    other = password.removeprefix("the password of ")
    if other != password:
        typed = context.accounts.password_of(other)
    else:
        assert password in passwords, f"say {' or '.join(passwords)}, not {password!r}"
        typed = passwords[password]()
    LoginScreen(context.page).open().log_in(email, typed)


@then("nobody is signed in")
def step_nobody_signed_in(context):
    """Rule: a refused sign-in starts no session, for users or operators."""
    counts = session_counts(context.db.users)
    assert counts == {"UserSessions": 0, "AdminSessions": 0}, (
        f"a refused sign-in must start no session: {counts}"
    )


@then("opening the dashboard asks them to sign in")
def step_dashboard_asks_to_sign_in(context):
    """Rule: without a live session the dashboard sends the browser to the sign-in page."""
    DashboardScreen(context.page).open()
    expect(
        context.page, "a session ends when its owner signs out on that device or when it runs out"
    ).to_have_url(re.compile(r"/login(\?|$)"))
    expect(LoginScreen(context.page).sign_in_form).to_be_visible()


@then(
    '"{owner}" is told by email that they already have an account, with no link that confirms '
    "an address"
)
def step_owner_told_by_email(context, owner):
    """Rule: the form answers as for any sign-up; the address's owner alone learns of the
    attempt, by an email that points to signing in and confirms nothing."""
    mail = context.mail.wait_for(owner)
    why = (
        f"{_example_of(context)}: a sign-up with an address that has an account tells its owner "
        "by email, never the form"
    )
    assert mail.subject == "You already have an account", f"{why}: the email is {mail.subject!r}"
    links = mail.links()
    assert any(link.endswith("/login") for link in links), f"{why}: no sign-in link in {links}"
    assert not [link for link in links if "/verify" in link], (
        f"{why}: the email must confirm nothing, yet holds {links}"
    )
