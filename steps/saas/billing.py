"""SaaS platform billing: the price list, upgrades with proration, usage-based billing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from behave import given, then, when
from playwright.sync_api import expect

from harness.page_answers import assert_page_answered
from harness.step_types import table_rows
from pages.saas.account import BillingSettingsScreen, DashboardScreen, UsageScreen
from pages.saas.upgrades import UpgradeScreen
from pages.saas.usage_api import UsageApi
from pages.shared.login import LoginScreen
from products.saas.rules import MONTHS_OF_CYCLE, expected_proration, months_before
from products.saas.words import plan_id, price_list
from queries.saas import (
    invoices_created_in_last_hour,
    plan_prices,
    set_next_billing_date,
    set_price_list,
    subscriptions_of,
    tenant_id_by_domain,
    usage_readings_today,
    usage_totals_today,
)
from spanner.assertions import assert_rows
from spanner.clock import SPANNER_TIMEZONE, spanner_today

CYCLE_OF_LENGTH = {"month": "monthly", "quarter": "quarterly", "year": "yearly"}


@given("the platform sells these plans:")
def step_price_list(context):
    """The price list: plan, monthly price and currency, smallest plan first."""
    rows = price_list(
        [
            (row["plan"], row["monthly price"], row["currency"], "monthly", tier)
            for tier, row in enumerate(context.table, start=1)
        ]
    )
    set_price_list(context.db.billing, rows)
    context.learned["prices"] = {r["PlanID"]: (r["Amount"], r["Currency"]) for r in rows}


@given('"{domain}" is on the {plan} plan, renewing in {days:d} days')
def step_on_plan_renewing(context, domain, plan, days):
    """Moves the tenant's renewal date so the days left in its billing cycle are known."""
    put_on_plan_renewing(context, domain, plan, spanner_today() + timedelta(days=days))


@given('"{domain}" is on the {plan} plan, renewing a {length} from today')
def step_on_plan_renewing_whole_cycle(context, domain, plan, length):
    """Moves the renewal date one month, quarter or year ahead: the whole cycle is left."""
    months = MONTHS_OF_CYCLE[CYCLE_OF_LENGTH[length]]
    put_on_plan_renewing(context, domain, plan, months_before(spanner_today(), -months))


def put_on_plan_renewing(context, domain: str, plan: str, renewal: date) -> None:
    """Moves the renewal date of the tenant's one active subscription, which is on that plan."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    changed = set_next_billing_date(context.db.billing, tenant_id, renewal)
    assert changed == 1, f"expected one active subscription for {domain}, updated {changed}"
    assert_rows(
        lambda: subscriptions_of(context.db.billing, tenant_id),
        [{"Plan": plan_id(plan), "Status": "active"}],
        f"subscriptions of {domain}",
        exact=True,
        timeout=0,
    )
    old = subscriptions_of(context.db.billing, tenant_id)[0]
    context.learned.update(
        tenant_id=tenant_id,
        renewal=renewal,
        current_plan=plan_id(plan),
        old_subscription=old["SubscriptionID"],
    )


@when('"{email}" signs in')
def step_sign_in(context, email):
    """Signs in with the password from the feature's accounts file."""
    LoginScreen(context.page).open().log_in(email, context.accounts.password_of(email))
    expect(DashboardScreen(context.page).dashboard).to_be_visible()
    context.learned["signed_in"] = email


@when("they open the billing settings")
def step_open_billing_settings(context):
    """Settings, then the billing tab, which shows the current plan: 200 OK."""
    DashboardScreen(context.page).open_settings()
    screen = BillingSettingsScreen(context.page)
    screen.open_billing_tab()
    shown = f"the billing settings show the current plan ({context.page.url})"
    expect(screen.current_plan, shown).to_be_visible()
    assert_page_answered(context, 200, shown)


@then('the current plan is "{plan}"')
def step_current_plan(context, plan):
    """The page names the plan (the billing tab, the list of upgrades, the upgrade summary)."""
    expect(
        BillingSettingsScreen(context.page).current_plan,
        f"billing decides which plan a tenant is on, wherever it shows ({context.page.url})",
    ).to_have_text(plan)


@when("they choose to upgrade to {plan}")
def step_choose_upgrade(context, plan):
    """Picks the bigger plan; the app shows what the change costs."""
    BillingSettingsScreen(context.page).choose_upgrade(plan_id(plan))
    context.learned["new_plan"] = plan_id(plan)


@then("the upgrade summary shows the price difference for the days left in the billing cycle")
def step_upgrade_summary(context):
    """The prorated amount on screen follows the proration rule; the cycle goes on, renewing
    on the same date, with no credit for unused days as a new cycle would have."""
    screen = BillingSettingsScreen(context.page)
    expect(screen.upgrade_summary).to_be_visible()
    prices = plan_prices(context.db.billing)
    old, new = prices[context.learned["current_plan"]], prices[context.learned["new_plan"]]
    expected = expected_proration(
        old["Amount"], new["Amount"], context.learned["renewal"], spanner_today(),
        old["BillingCycle"],
    )  # fmt: skip
    rule = (
        "an upgrade within the billing cycle costs the price difference for the days left and "
        f"renews when the old cycle would have ({context.learned['current_plan']} to "
        f"{context.learned['new_plan']}, renewing {context.learned['renewal']})"
    )
    expect(screen.prorated_amount, rule).to_have_text(f"{expected:.2f}")
    expect(screen.prorated_currency, rule).to_have_text(new["Currency"])
    upgrade = UpgradeScreen(context.page)
    expect(upgrade.new_renewal_date, rule).to_have_text(context.learned["renewal"].isoformat())
    expect(upgrade.new_billing_cycle, rule).to_have_text(old["BillingCycle"])
    expect(
        upgrade.unused_credit, f"{rule}; no new cycle starts, so nothing is credited"
    ).to_have_count(0)
    context.learned["prorated_amount"] = Decimal(screen.prorated_amount.inner_text())


@when("they confirm the upgrade")
def step_confirm_upgrade(context):
    """Confirms; the app charges the card on file."""
    screen = BillingSettingsScreen(context.page)
    screen.confirm_upgrade()
    expect(screen.upgrade_success).to_be_visible()


@then(
    '"{domain}" has one active subscription, on {plan} at its {cycle} price, and its '
    "{old_plan} subscription is kept as history"
)
def step_subscription_history(context, domain, plan, cycle, old_plan):
    """Rule: an upgrade supersedes the old subscription (kept, not edited) by exactly one active
    subscription at the new plan's price and cycle, renewing when the old one would have."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    new_price, new_currency = context.learned["prices"][plan_id(plan)]
    old_price, old_currency = context.learned["prices"][plan_id(old_plan)]
    renewal = context.learned["renewal"]
    assert_rows(
        lambda: subscriptions_of(context.db.billing, tenant_id),
        [
            {"Plan": plan_id(plan), "Status": "active", "Amount": new_price,
             "Currency": new_currency, "BillingCycle": cycle, "NextBillingDate": renewal},
            {"SubscriptionID": context.learned["old_subscription"], "Plan": plan_id(old_plan),
             "Status": "superseded", "Amount": old_price, "Currency": old_currency},
        ],
        "an upgrade within the billing cycle supersedes the old subscription by one active at the "
        f"new price, renewing on the same date; subscriptions of {domain} after the upgrade",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )  # fmt: skip


@then('"{domain}" has one paid invoice from the last hour for the prorated amount')
def step_proration_invoice(context, domain):
    """Exactly one invoice in the last hour, paid, for the amount the summary showed."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    assert_rows(
        lambda: invoices_created_in_last_hour(context.db.billing, tenant_id),
        [{"Amount": context.learned["prorated_amount"], "Status": "paid"}],
        "an upgrade within the billing cycle is charged the price difference for the days left, "
        f"once; invoices of {domain} created in the last hour",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


def reading_time(row) -> datetime:
    """The table's time of day ("at"), today in Spanner's time zone."""
    return datetime.combine(spanner_today(), time.fromisoformat(row["at"]), SPANNER_TIMEZONE)


@when('usage of "{domain}" is reported through the usage API:')
def step_report_usage(context, domain):
    """Each row is one report: metric, amount and the time of day it happened (today)."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    api = UsageApi(context.app.base_url)
    key = context.accounts.secret("api_keys", domain)
    for row in context.table:
        at = reading_time(row)
        response = api.record(tenant_id, key, row["metric"], int(row["amount"]), at)
        assert response.status_code == 201, (
            f"usage report {dict(row.items())} answered {response.status_code}: {response.text}"
        )


@when('"{email}" opens the usage page')
def step_open_usage(context, email):
    """Signs in and opens today's usage."""
    step_sign_in(context, email)
    UsageScreen(context.page).open()


@then(
    "the usage page shows {calls} API calls today, {storage} of storage and a peak of {users} active users"
)
def step_usage_page(context, calls, storage, users):
    """The three figures, as the page prints them."""
    screen = UsageScreen(context.page)
    rule = "the usage page shows, for today's Los Angeles day and for the tenant alone, "
    expect(screen.api_calls_today, rule + "its API calls summed").to_have_text(calls)
    expect(screen.storage_current, rule + "its latest storage reading").to_have_text(storage)
    expect(screen.active_users_peak, rule + "the peak of its active users").to_have_text(users)


@then('billing keeps each of today\'s readings of "{domain}":')
def step_usage_readings(context, domain):
    """Every report is stored as it was made (metric, amount, time of day today), and no other."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    expected = [
        {"MetricType": row["metric"], "Value": int(row["amount"]), "RecordedAt": reading_time(row)}
        for row in context.table
    ]
    assert_rows(
        lambda: usage_readings_today(context.db.billing, tenant_id),
        expected,
        f"today's usage readings of {domain}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then('today\'s recorded usage of "{domain}" is:')
def step_usage_totals(context, domain):
    """Per metric, the readings of today in the billing database, added up."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    expected = [
        {"MetricType": row["metric"], "TotalValue": row["total"]}
        for row in table_rows(context.table, context.learned)
    ]
    assert_rows(
        lambda: usage_totals_today(context.db.billing, tenant_id),
        expected,
        f"today's usage of {domain}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )
