"""The SaaS platform's @smoke steps: what a customer sees, read from the deployed platform and
checked against what its databases hold (reads only)."""

from __future__ import annotations

import re

from behave import then, when
from playwright.sync_api import expect

from pages.saas.dashboard import OfflineDashboard
from pages.saas.signup import SignupScreen
from queries.saas.smoke import organisation_of, plan_names


@when("someone opens the sign-up page")
def step_open_sign_up(context):
    """The public sign-up form, without signing in."""
    SignupScreen(context.page).open()


@then("they are offered every plan the platform sells")
def step_every_plan_offered(context):
    """The form lists every plan of the price list, smallest first."""
    plans = plan_names(context.db.billing)
    assert plans, "the platform's price list (billing.Plans) should hold at least one plan"
    expect(
        SignupScreen(context.page).plan_options,
        "sign-up offers every plan the platform sells, smallest first",
    ).to_have_text(plans)


@then("they see their organisation's dashboard")
def step_sees_dashboard(context):
    """The dashboard names the organisation the account belongs to."""
    email = context.smoke_account.email
    organisation = organisation_of(context.db.users, email)
    assert organisation is not None, f"the users database should hold the account {email}"
    expect(context.page, f"{email} lands on the dashboard").to_have_url(re.compile(r"/dashboard$"))
    dashboard = OfflineDashboard(context.page)
    expect(
        dashboard.tenant_name(dashboard.live_data),
        f"the dashboard of {email} names their organisation",
    ).to_have_text(organisation["Name"])
