"""SaaS platform: paying by card at the end of the setup wizard, and which cards it takes."""

from __future__ import annotations

from behave import given, then, when
from playwright.sync_api import expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from harness.page_answers import assert_page_answered
from pages.saas.card_payment import CardPaymentStep
from pages.shared.login import LoginScreen
from products.saas.access_words import business_value
from products.saas.words import (
    card_brand_id,
    expiry_entry,
)
from queries.saas import subscriptions_of, tenant_id_by_domain
from queries.saas.cards import (
    billing_addresses,
    cards_on_file,
    onboarding_state,
    put_at_card_step,
    start_subscription_unrecorded,
)
from spanner.assertions import assert_rows, eventually
from spanner.clock import spanner_today

# where the invoices go: every example pays from the same address (not what these rules are about)
BILLING_ADDRESS = "1 Initech Way, Austin, TX 78701"
VALID_CARD = "4242 4242 4242 4242"

BRAND_RULES = {
    "Visa": "Visa numbers start with 4",
    "Mastercard": "Mastercard numbers start with 51 to 55 or 2221 to 2720",
    "Discover": "Discover numbers start with 6011 or 65",
    "American Express": "American Express numbers start with 34 or 37",
}


def _tenant(context) -> tuple[str, str]:
    """(domain, tenant id) of the tenant the Background set up."""
    return context.learned["domain"], context.learned["tenant_id"]


def _example(context) -> str:
    """The example and the rule it tells (its Examples title), for assertion messages."""
    return f"{context.scenario.name}: the {context.learned['card']}"


@given('"{domain}" has confirmed its email and set up its account, all but the card to pay with')
def step_set_up_all_but_card(context, domain):
    """Puts the tenant's setup wizard at its card step (onboarding); its admin, confirmed and
    with a password, comes from the feature's data."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    moved = put_at_card_step(context.db.users, tenant_id)
    assert moved == 1, f"expected one setup wizard of {domain} to put at the card step: {moved}"
    state = onboarding_state(context.db.users, tenant_id)
    context.learned.update(domain=domain, tenant_id=tenant_id, plan=state["Plan"])


@given('its admin "{email}" has signed in and is asked for a card to pay with')
def step_admin_asked_for_card(context, email):
    """Signs in with the password from the feature's accounts file; lands on the card form."""
    LoginScreen(context.page).open().log_in(email, context.accounts.password_of(email))
    expect(
        CardPaymentStep(context.page).card_number,
        "an admin whose account lacks only a card is taken to the card form on signing in",
    ).to_be_visible()


@when('the admin pays with the card "{card}", expiring {expiry:CardExpiry}, security code "{cvc}"')
def step_pay_with_card(context, card, expiry, cvc):
    """Types the card, its expiry (MM/YY) and security code into the card form and saves it."""
    typed = expiry_entry(*expiry)
    CardPaymentStep(context.page).save_billing(card, typed, cvc, BILLING_ADDRESS)
    context.learned["card"] = f"card {card} expiring {typed} with the security code {cvc!r}"


@when('the admin pays with a valid card, billed to "{address}"')
def step_pay_billed_to(context, address):
    """A card the platform takes, expiring next year, with the billing address given."""
    today = spanner_today()
    typed = expiry_entry(1, today.year + 1)
    CardPaymentStep(context.page).save_billing(VALID_CARD, typed, "123", business_value(address))
    context.learned["card"] = f"card {VALID_CARD} billed to {address!r}"
    context.learned["address"] = business_value(address)


@then("billing keeps that address for the invoices")
def step_address_kept(context):
    """Rule: the billing address is kept as typed (spaces tidied), in full."""
    domain, tenant_id = _tenant(context)
    assert_rows(
        lambda: billing_addresses(context.db.billing, tenant_id),
        [{"BillingAddress": context.learned["address"]}],
        f"{_example(context)}: the billing address of {domain}, kept in full",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@given(
    "billing has started the subscription to the chosen plan, but the end of the setup was not "
    "recorded"
)
def step_subscription_started_unrecorded(context):
    """What a failure of the users database's write after billing's leaves: an active
    subscription in billing, the setup wizard still at its card step."""
    domain, tenant_id = _tenant(context)
    started = start_subscription_unrecorded(context.db.billing, tenant_id, context.learned["plan"])
    assert started == 1, f"expected one subscription of {domain} to start: {started}"
    context.learned["card"] = "card billing charged before the setup was recorded"


@when("the admin comes back to the setup wizard")
def step_back_to_setup(context):
    """Opens the setup wizard's card step again, as the admin coming back would."""
    CardPaymentStep(context.page).open()


@then("the card is accepted and setting up the account is complete")
def step_card_accepted(context):
    """The welcome and the dashboard show; the users database has the setup wizard done."""
    refusal = CardPaymentStep(context.page).refusal()
    assert refusal is None, (
        f"{_example(context)} must be taken (13 to 19 digits passing the check digit, not expired,"
        f" a month from 01 to 12, the brand's length of security code), yet the admin was told "
        f"{refusal!r}"
    )
    _assert_setup_complete(context)


@then("setting up the account is complete, and the admin is welcomed to the dashboard")
def step_setup_finished(context):
    """Rule: billing's subscription is the sign that the card was taken, so the setup is
    finished, the welcome shown, and the card not asked for again."""
    screen = CardPaymentStep(context.page)
    rule = f"{_example(context)}: a setup billing has a subscription for is finished"
    expect(screen.onboarding_complete, rule).to_be_visible()
    expect(screen.card_number, rule).to_have_count(0)
    _assert_setup_complete(context)


def _assert_setup_complete(context) -> None:
    """The dashboard shows; the users database has the tenant active, its setup done."""
    expect(CardPaymentStep(context.page).dashboard).to_be_visible()
    domain, tenant_id = _tenant(context)

    def check() -> None:
        state = onboarding_state(context.db.users, tenant_id)
        assert (state["Status"], state["OnboardingStep"]) == ("active", "complete"), (
            f"a card taken completes the setup of {domain}: it is {state['Status']}, "
            f"at the step {state['OnboardingStep']}"
        )

    eventually(check, context.settings.db_poll_timeout)


@then('billing keeps the {brand:CardBrand} card ending in "{last4}", expiring {expiry:CardExpiry}')
def step_card_kept(context, brand, last4, expiry):
    """Rule: the card on file is kept with the brand its number tells, last four digits, expiry."""
    domain, tenant_id = _tenant(context)
    month, year = expiry
    expected = {"Brand": card_brand_id(brand), "Last4": last4}
    expected.update(ExpiryMonth=month, ExpiryYear=year)
    assert_rows(
        lambda: cards_on_file(context.db.billing, tenant_id),
        [expected],
        f"{_example(context)}: the one card on file of {domain} ({BRAND_RULES[brand]}; "
        "it is kept with its last four digits and its expiry month and year)",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then("the subscription to the chosen plan has started")
def step_subscription_started(context):
    """Rule: the card taken starts one active subscription, to the plan chosen at sign-up."""
    domain, tenant_id = _tenant(context)
    assert_rows(
        lambda: subscriptions_of(context.db.billing, tenant_id),
        [{"Plan": context.learned["plan"], "Status": "active"}],
        f"subscriptions of {domain} (a card taken starts the subscription to the chosen plan)",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then('the card is refused and the admin is told "{message}"')
def step_card_refused(context, message):
    """The card form answers with the reason, word for word, and the setup does not finish."""
    refusal = CardPaymentStep(context.page).refusal()
    assert refusal is not None, (
        f"{_example(context)} must be refused, yet the platform took it and completed the setup"
    )
    assert refusal == message, (
        f"{_example(context)} is refused with {message!r}, yet the admin was told {refusal!r}"
    )
    assert_page_answered(context, 400, f"{_example(context)} must be refused")


@then("billing keeps nothing of the card and no subscription has started")
def step_nothing_kept(context):
    """Rule: a refused card leaves billing as it was: no card on file, no subscription."""
    domain, tenant_id = _tenant(context)
    cards = cards_on_file(context.db.billing, tenant_id)
    subscriptions = subscriptions_of(context.db.billing, tenant_id)
    assert not cards and not subscriptions, (
        f"{_example(context)} is refused, so billing keeps nothing for {domain}: "
        f"found cards {cards} and subscriptions {subscriptions}"
    )


@then("setting up the account still waits for a card")
def step_still_waiting_for_card(context):
    """Rule: after a refused card the tenant is still onboarding, at the setup wizard's card step."""
    domain, tenant_id = _tenant(context)
    state = onboarding_state(context.db.users, tenant_id)
    assert (state["Status"], state["OnboardingStep"]) == ("onboarding", "billing"), (
        f"{_example(context)} is refused, so {domain} is still onboarding at the billing step: "
        f"it is {state['Status']}, at the step {state['OnboardingStep']}"
    )
