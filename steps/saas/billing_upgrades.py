"""SaaS platform upgrades: every place an upgrade is quoted or confirmed, who may do it, and
upgrades to a plan billed over a longer cycle."""

from __future__ import annotations

from decimal import Decimal

from behave import given, then, when
from playwright.sync_api import expect

from harness.page_answers import assert_page_answered
from pages.saas.account import BillingSettingsScreen
from pages.saas.upgrades import ANSWER_STATUS, UpgradeScreen
from products.saas.upgrade_rules import (
    renewal_of_new_cycle,
    unused_days_credit,
    upgrade_charge,
)
from products.saas.words import plan_id
from queries.saas import (
    invoices_created_in_last_hour,
    plan_prices,
    subscriptions_of,
    tenant_id_by_domain,
)
from spanner.assertions import assert_rows
from spanner.clock import spanner_today

NEW_CYCLE_RULE = (
    "a move to a plan billed over a longer cycle starts the new plan's full cycle today, paid "
    "at its full price less what the unused days of the old cycle are worth"
)
ADMINS_RULE = "only a tenant's administrators may change the plan, at every step of an upgrade"


@given('billing charges "{domain}" for the {plan} plan')
def step_billing_charges_for(context, domain, plan):
    """Checks the seed: the tenant's one active subscription is on that plan."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    rows = [r for r in subscriptions_of(context.db.billing, tenant_id) if r["Status"] == "active"]
    assert [r["Plan"] for r in rows] == [plan_id(plan)], (
        f"the fixtures should give {domain} one active {plan} subscription, found {rows}"
    )


@given('"{email}" has signed in to the platform')
def step_has_signed_in(context, email):
    """Signs in with the password from the feature's accounts file; the dashboard opens."""
    context.execute_steps(f'When "{email}" signs in')


@given('"{email}" has opened the billing settings')
def step_has_opened_billing(context, email):
    """Signs in and opens the billing tab of the settings."""
    context.execute_steps(f'When "{email}" signs in\nAnd they open the billing settings')


@given('"{email}" has chosen to upgrade to {plan}')
def step_has_chosen_upgrade(context, email, plan):
    """Signs in, opens the billing settings and picks the plan; what the upgrade must cost is
    worked out from the price list, not read from the page."""
    step_has_opened_billing(context, email)
    context.execute_steps(f"When they choose to upgrade to {plan}")
    expect(BillingSettingsScreen(context.page).upgrade_summary).to_be_visible()
    amount, renewal = expected_charge(context, context.learned["new_plan"])
    context.learned.update(prorated_amount=amount, new_renewal=renewal)


def expected_charge(context, new_plan: str) -> tuple[Decimal, object]:
    """What the upgrade from the tenant's current plan to new_plan costs today, and its renewal."""
    prices = plan_prices(context.db.billing)
    old, new = prices[context.learned["current_plan"]], prices[new_plan]
    return upgrade_charge(
        old["Amount"], old["BillingCycle"], new["Amount"], new["BillingCycle"],
        context.learned["renewal"], spanner_today(),
    )  # fmt: skip


@when("they go straight to the list of upgrades")
def step_go_straight_to_list(context):
    """Types the address of the list of upgrades."""
    context.learned[ANSWER_STATUS] = UpgradeScreen(context.page).go_straight_to_list()


@when("they confirm the upgrade to {plan} without its summary")
def step_confirm_straight(context, plan):
    """Sends the confirmation of that upgrade straight, for the amount an administrator of the
    tenant would be quoted today, as a replayed or hand-made request would."""
    tenant_id = tenant_id_by_domain(context.db.users, context.learned["signed_in"].split("@")[1])
    active = [r for r in subscriptions_of(context.db.billing, tenant_id) if r["Status"] == "active"]
    amount = "0.00"
    if active:
        context.learned.update(current_plan=active[0]["Plan"], renewal=active[0]["NextBillingDate"])
        prices = plan_prices(context.db.billing)
        if plan_id(plan) in prices and active[0]["Plan"] in prices:
            amount = f"{expected_charge(context, plan_id(plan))[0]:.2f}"
    context.learned[ANSWER_STATUS] = UpgradeScreen(context.page).confirm_straight(
        plan_id(plan), amount
    )


CENT_OFF = {"less": Decimal("-0.01"), "more": Decimal("0.01")}


@when("they send a confirmation of the upgrade to {plan} for a cent {direction} than it costs")
def step_confirm_straight_off_by_a_cent(context, plan, direction):
    """Sends the confirmation for one cent less or more than the upgrade costs today, as a
    summary shown before the price moved would."""
    assert direction in CENT_OFF, f"say a cent {' or '.join(CENT_OFF)}; not {direction!r}"
    tenant_id = tenant_id_by_domain(context.db.users, context.learned["signed_in"].split("@")[1])
    active = [r for r in subscriptions_of(context.db.billing, tenant_id) if r["Status"] == "active"]
    context.learned.update(current_plan=active[0]["Plan"], renewal=active[0]["NextBillingDate"])
    amount, _ = expected_charge(context, plan_id(plan))
    context.learned["prorated_amount"] = amount
    UpgradeScreen(context.page).confirm_straight(
        plan_id(plan), f"{amount + CENT_OFF[direction]:.2f}"
    )


@when("they try to confirm the upgrade")
def step_try_to_confirm_upgrade(context):
    """Confirms; whether the app took the upgrade is for the next steps to tell."""
    context.learned[ANSWER_STATUS] = BillingSettingsScreen(context.page).try_to_confirm_upgrade()


@then('the card on file cannot pay the upgrade: "{message}"')
def step_card_cannot_pay(context, message):
    """The summary is shown again with the reason the card on file could not pay, answered as
    a payment refusal (402 Payment Required), not as a page that worked nor a server error."""
    rule = f"an upgrade the card on file cannot pay is refused ({message!r}, at {context.page.url})"
    screen = BillingSettingsScreen(context.page)
    expect(screen.upgrade_refusal, rule).to_contain_text(message)
    expect(screen.prorated_amount, rule).to_have_text(f"{context.learned['prorated_amount']:.2f}")
    status = context.learned.get(ANSWER_STATUS)
    assert status == 402, f"{rule}: a payment refusal answers 402, the app answered {status}"


@then('they are asked to review the upgrade again: "{message}"')
def step_review_again(context, message):
    """The summary is shown again, with today's amount and the reason, and nothing is done:
    409 Conflict, the amount sent no longer being today's."""
    rule = "an upgrade is charged only at the amount its summary showed"
    screen = BillingSettingsScreen(context.page)
    expect(screen.upgrade_refusal, rule).to_contain_text(message)
    expect(screen.prorated_amount, rule).to_have_text(f"{context.learned['prorated_amount']:.2f}")
    assert_page_answered(context, 409, rule)


@then(
    "the upgrade summary shows a new {cycle} cycle from today, at the full price less the "
    "unused days of the old cycle"
)
def step_new_cycle_summary(context, cycle):
    """The charge, the credit, the new cycle and its renewal date on screen follow the rule."""
    prices = plan_prices(context.db.billing)
    old, new = prices[context.learned["current_plan"]], prices[context.learned["new_plan"]]
    renewal, today = context.learned["renewal"], spanner_today()
    credit = unused_days_credit(old["Amount"], renewal, today, old["BillingCycle"])
    rule = f"{NEW_CYCLE_RULE} ({old['PlanID']} renewing {renewal} to {new['PlanID']})"
    screen, upgrade = BillingSettingsScreen(context.page), UpgradeScreen(context.page)
    expect(screen.prorated_amount, rule).to_have_text(f"{new['Amount'] - credit:.2f}")
    expect(screen.prorated_currency, rule).to_have_text(new["Currency"])
    expect(upgrade.unused_credit, rule).to_have_text(f"{credit:.2f}")
    expect(upgrade.new_billing_cycle, rule).to_have_text(cycle)
    expect(upgrade.new_renewal_date, rule).to_have_text(
        renewal_of_new_cycle(today, cycle).isoformat()
    )


@then(
    '"{domain}" has one active subscription, on {plan} billed {cycle} from today, and its '
    "{old_plan} subscription is kept as history"
)
def step_new_cycle_subscription(context, domain, plan, cycle, old_plan):
    """Rule: the new subscription is billed over the new plan's cycle, at its price, renewing
    one new cycle from today; the old one is superseded, unchanged."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    prices = plan_prices(context.db.billing)
    new, old = prices[plan_id(plan)], prices[plan_id(old_plan)]
    assert_rows(
        lambda: subscriptions_of(context.db.billing, tenant_id),
        [
            {"Plan": new["PlanID"], "Status": "active", "Amount": new["Amount"],
             "Currency": new["Currency"], "BillingCycle": cycle,
             "NextBillingDate": renewal_of_new_cycle(spanner_today(), cycle)},
            {"SubscriptionID": context.learned["old_subscription"], "Plan": old["PlanID"],
             "Status": "superseded", "Amount": old["Amount"], "BillingCycle": old["BillingCycle"],
             "NextBillingDate": context.learned["renewal"]},
        ],
        f"{NEW_CYCLE_RULE}; subscriptions of {domain} after the upgrade to {plan}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )  # fmt: skip


@then('"{domain}" has one paid invoice from the last hour for the new cycle less the credit')
def step_new_cycle_invoice(context, domain):
    """Exactly one paid invoice in the last hour, for the full new price less the credit."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    assert_rows(
        lambda: invoices_created_in_last_hour(context.db.billing, tenant_id),
        [{"Amount": context.learned["prorated_amount"], "Status": "paid"}],
        f"{NEW_CYCLE_RULE}; invoices of {domain} created in the last hour",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then('"{domain}" has been charged nothing')
def step_charged_nothing(context, domain):
    """No invoice of the tenant in the last hour."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    assert_rows(
        lambda: invoices_created_in_last_hour(context.db.billing, tenant_id),
        [],
        f"{ADMINS_RULE}, and a refused upgrade charges nothing; invoices of {domain}",
        exact=True,
        timeout=0,
    )
