"""SaaS platform: which plan changes are offered and allowed, and billing's word on the plan."""

from __future__ import annotations

from datetime import date, timedelta

from behave import given, then, when
from playwright.sync_api import expect

from harness.page_answers import assert_page_answered
from pages.saas.account import BillingSettingsScreen
from pages.saas.upgrades import ANSWER_STATUS
from products.saas.words import plan_id, price_list
from queries.saas import set_price_list, subscriptions_of, tenant_id_by_domain
from queries.saas.plans import set_card_expiry, set_tenant_plan_record, tenant_plan_record
from spanner.assertions import assert_rows, eventually
from spanner.clock import spanner_today


@given("the platform sells these plans, each billed over its cycle:")
def step_price_list_with_cycles(context):
    """The price list: plan, price per cycle, currency, cycle, and size (bigger is an upgrade)."""
    rows = price_list(
        [
            (row["plan"], row["price"], row["currency"], row["billed"], int(row["size"]))
            for row in context.table
        ]
    )
    set_price_list(context.db.billing, rows)
    context.learned["prices"] = {r["PlanID"]: (r["Amount"], r["Currency"]) for r in rows}


@when("they ask to upgrade")
def step_ask_to_upgrade(context):
    """The upgrade button of the billing settings."""
    BillingSettingsScreen(context.page).ask_to_upgrade()


@then("the plans offered are {plans}")
def step_plans_offered(context, plans):
    """Rule: only plans bigger than the current one, billed over a cycle at least as long, are
    offered, smallest first."""
    names = [name.strip() for name in plans.replace(" and ", ", ").split(",")]
    rule = "only bigger plans, billed over a cycle at least as long, are offered as upgrades"
    expect(BillingSettingsScreen(context.page).offered_plans, rule).to_have_text(names)
    assert_page_answered(context, 200, rule)


@when("they go straight to the upgrade to {plan}")
def step_go_straight_to_upgrade(context, plan):
    """Types the address of that upgrade, as someone trying to get round the list would."""
    status = BillingSettingsScreen(context.page).go_straight_to_upgrade(plan_id(plan))
    context.learned[ANSWER_STATUS] = status


@then('the upgrade is refused with "{message}"')
def step_upgrade_refused(context, message):
    """The upgrade page says why, offers nothing to confirm, and is answered as a refusal: 400
    Bad Request (the plan rules), or 403 Forbidden (the person or their tenant may not)."""
    screen = BillingSettingsScreen(context.page)
    rule = f"this upgrade is refused by the rule {message!r}, at {context.page.url}"
    expect(screen.upgrade_refusal, rule).to_contain_text(message)
    expect(screen.upgrade_summary, rule).to_have_count(0)
    status = context.learned.get(ANSWER_STATUS)
    assert status is not None, (
        f"{rule}: the step before must send the upgrade (go straight to the list or to an "
        "upgrade, or confirm one without its summary), so that its answer is known"
    )
    assert status in (400, 403), (
        f"{rule}: a refusal must be answered as one (400 or 403), the app answered {status}"
    )


@then("they are told that only administrators can change the plan")
def step_admins_only(context):
    """Rule: a user who is not an administrator gets no upgrade button, only the hint."""
    screen = BillingSettingsScreen(context.page)
    rule = "only a tenant's administrators may change the plan: no upgrade button for others"
    expect(screen.admins_only_hint, rule).to_be_visible()
    expect(screen.upgrade_button, rule).to_have_count(0)


@then("no upgrade is offered")
def step_no_upgrade_offered(context):
    """The billing settings have no upgrade button."""
    expect(
        BillingSettingsScreen(context.page).upgrade_button,
        "a tenant without an active subscription has nothing to upgrade",
    ).to_have_count(0)


@then('"{domain}" is still on the {plan} plan')
def step_still_on_plan(context, domain, plan):
    """Rule: a refused upgrade changes no subscription and not the tenant record."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    assert_rows(
        lambda: subscriptions_of(context.db.billing, tenant_id),
        [{"Plan": plan_id(plan), "Status": "active"}],
        f"subscriptions of {domain} after a refused upgrade",
        exact=True,
        timeout=0,
    )
    record = tenant_plan_record(context.db.users, tenant_id)
    assert record == plan_id(plan), f"a refused upgrade moved {domain}'s record to {record}"


@given('the card on file of "{domain}" expires {when}')
@given('the card on file of "{domain}" expired {when}')
def step_card_expires(context, domain, when):
    """Either "in two years", "at the end of this month" or "at the end of last month" (the
    business month, Los Angeles')."""
    today = spanner_today()
    expiries = {
        "in two years": date(today.year + 2, today.month, 1),
        "at the end of this month": today,
        "at the end of last month": today.replace(day=1) - timedelta(days=1),
    }
    assert when in expiries, f"say {' or '.join(map(repr, expiries))}, not {when!r}"
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    changed = set_card_expiry(context.db.billing, tenant_id, expiries[when])
    assert changed == 1, f"expected one card on file for {domain}, changed {changed}"


@given('the tenant record of "{domain}" says {recorded} while billing charges it for {billed}')
def step_plan_records_disagree(context, domain, recorded, billed):
    """Puts the tenant record out of step with its active subscription."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    assert_rows(
        lambda: subscriptions_of(context.db.billing, tenant_id),
        [{"Plan": plan_id(billed), "Status": "active"}],
        f"subscriptions of {domain}",
        exact=True,
        timeout=0,
    )
    changed = set_tenant_plan_record(context.db.users, tenant_id, plan_id(recorded))
    assert changed == 1, f"expected one tenant record for {domain}, changed {changed}"


@then('"{domain}" is on the {plan} plan in the tenant record too')
def step_tenant_record_repaired(context, domain, plan):
    """Rule: when the tenant record disagrees with billing, billing's plan is written back."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)

    def check() -> None:
        record = tenant_plan_record(context.db.users, tenant_id)
        assert record == plan_id(plan), (
            f"billing decides the plan: {domain}'s tenant record says {record}, billing "
            f"charges it for {plan_id(plan)}"
        )

    eventually(check, context.settings.db_poll_timeout)
