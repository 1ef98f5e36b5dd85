"""SaaS platform: the setup wizard's steps come in order, and the admin's password rules."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from behave import given, then, when
from playwright.sync_api import expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from app.platform.security import new_token, sha256_hex
from harness.page_answers import assert_page_answered
from pages.saas.access import (
    OrganisationStep,
    ProfileStep,
    WizardByAddress,
    add_session_cookie,
)
from products.saas.access_words import business_value
from products.saas.step_types import STEP_PAGES, STEPS
from queries.saas import profile_of, subscriptions_of
from queries.saas.accounts import password_hash_of, set_wizard_step, start_session, wizard_state
from queries.saas.cards import cards_on_file


def _domain(email: str) -> str:
    return email.rpartition("@")[2]


@given('the admin "{email}" is signed in, their setup wizard at the {step:WizardStep} step')
def step_admin_at_wizard_step(context, email, step):
    """Puts the tenant's wizard at that step and gives the browser a session of the admin, as
    following the verification link does; notes the tenant's state to compare afterwards."""
    domain = _domain(email)
    moved = set_wizard_step(context.db.users, domain, STEPS[step])
    assert moved == 1, f"expected one setup wizard of {domain} to put at {step}, found {moved}"
    token = new_token()
    started = start_session(context.db.users, email, sha256_hex(token))
    assert started == 1, f"expected to start one session of {email}, started {started}"
    add_session_cookie(context.page, context.app.base_url, "session", token)
    state = wizard_state(context.db.users, domain)
    context.learned.update(wizard_admin=email, wizard_domain=domain, wizard_before=state)


@when("they type the address of {name:WizardPage}")
def step_type_address(context, name):
    """Opens the page by typing its address, skipping whatever the wizard asks first."""
    WizardByAddress(context.page).type_address(name)
    context.learned["typed"] = name


@when("they send {name:WizardForm} straight to its address")
def step_send_form(context, name):
    """Sends the form's answers to its address without opening it, with the admin's cookie."""
    WizardByAddress(context.page).send_form(name)
    context.learned["typed"] = name


@then("they are shown the {step:WizardStep} step")
def step_shown_step(context, step):
    """The browser is on the step the wizard stands at, with its form."""
    why = (
        f"the setup wizard's steps come in order: typing the address of {context.learned['typed']}"
        f" must lead back to the {step} step"
    )
    expect(context.page, why).to_have_url(re.compile(re.escape(STEP_PAGES[step]) + r"$"))
    expect(WizardByAddress(context.page).form_of(step), why).to_be_visible()


@then("the setup wizard still stands at the {step:WizardStep} step, with nothing skipped stored")
def step_nothing_skipped_stored(context, step):
    """Rule: a step sent out of order writes nothing: the tenant, its profile, its people's
    passwords and billing are as they were."""
    why = f"the setup wizard's steps come in order: {context.learned['typed']} sent at the {step}"
    _assert_nothing_stored(context, step, f"{why} step")


def _assert_nothing_stored(context, step: str, why: str) -> None:
    """The wizard is still at `step`; the tenant, its profile, its people's passwords and
    billing are as they were."""
    domain, before = context.learned["wizard_domain"], context.learned["wizard_before"]
    after = wizard_state(context.db.users, domain)
    assert after["OnboardingStep"] == STEPS[step], (
        f"{why} must leave the wizard at the {step} step, yet it is at {after['OnboardingStep']}"
    )
    assert after == before, f"{why} must store nothing: {dict(before)} became {dict(after)}"
    cards = cards_on_file(context.db.billing, before["TenantID"])
    subscriptions = subscriptions_of(context.db.billing, before["TenantID"])
    assert not cards and not subscriptions, (
        f"{why} must keep no card and start no subscription: {cards} {subscriptions}"
    )


# --- the organisation

SIZES_RULE = "the company's size is one of the sizes the wizard lists"


@when('they describe their company as having "{size}" people, in {industry}')
def step_describe_company(context, size, industry):
    """Fills in the organisation step: the size as typed, the industry by its label."""
    context.learned["refused"] = f"company size {size!r}"
    OrganisationStep(context.page).reach().describe_organisation(size, industry)


@then('the wizard refuses the company size, telling them "{message}"')
def step_company_size_refused(context, message):
    """The organisation step comes back with the message under the size: 400 Bad Request."""
    rule = f"{SIZES_RULE}: the {context.learned['refused']} must be refused"
    expect(OrganisationStep(context.page).company_size_error, rule).to_have_text(message)
    assert_page_answered(context, 400, rule)


@then("the wizard keeps nothing of the organisation and still asks for it")
def step_nothing_of_organisation_kept(context):
    """Rule: a refused organisation step stores nothing: the tenant and its profile are as they
    were, the wizard at the organisation step."""
    _assert_nothing_stored(context, "organisation", f"a refused {context.learned['refused']}")


# --- the admin's password


@when('they choose the password "{password}" and confirm it')
def step_choose_password(context, password):
    """Fills in the profile step with a name and the password twice."""
    context.learned["password"] = business_value(password)
    ProfileStep(context.page).reach().create_admin(
        "Gina", "Globex", context.learned["password"], context.learned["password"]
    )


@when('they choose the password "{password}" but confirm "{confirmation}"')
def step_choose_password_mistyped(context, password, confirmation):
    """Fills in the profile step with a confirmation that differs."""
    context.learned["password"] = business_value(password)
    ProfileStep(context.page).reach().create_admin(
        "Gina", "Globex", context.learned["password"], business_value(confirmation)
    )


@then('the wizard refuses the password, telling them "{message}"')
def step_password_refused(context, message):
    """The profile step comes back with the message under the password: 400 Bad Request."""
    rule = f"the admin's password must meet every rule: {context.learned['password']!r}"
    expect(ProfileStep(context.page).password_error, rule).to_contain_text(message)
    assert_page_answered(context, 400, rule)


@then("the wizard keeps no password and still asks for the admin's profile")
def step_no_password_kept(context):
    """Rule: a refused password or name stores nothing and the wizard stays at the profile
    step."""
    state = wizard_state(context.db.users, context.learned["wizard_domain"])
    found = (state["OnboardingStep"], state["Credentials"], state["Profiles"])
    refused = context.learned.get("refused") or f"password {context.learned['password']!r}"
    assert found == ("profile", 0, 0), (
        f"a refused {refused} stores no password or profile "
        f"and leaves the wizard at the profile step: step {found[0]}, {found[1]} passwords, "
        f"{found[2]} profiles"
    )


@then("the wizard takes the password and asks for a card")
def step_password_taken(context):
    """Rule: a password meeting every rule moves the wizard on, and is the one stored."""
    password, email = context.learned["password"], context.learned["wizard_admin"]
    step = ProfileStep(context.page)
    expect(
        step.card_form,
        f"a password meeting every rule ({password!r}) moves the wizard to the card step",
    ).to_be_visible()
    stored = password_hash_of(context.db.users, email)
    assert stored is not None, f"the password of {email} was not stored"
    try:
        PasswordHasher().verify(stored, password)
    except VerificationError:
        raise AssertionError(
            f"the password stored for {email} is not the one they chose ({password!r})"
        ) from None


# --- the admin's name

# names a table's cell cannot hold, in words
SPELLED_NAMES = {"nothing": "", "only spaces": "   "}
A_GOOD_PASSWORD = "Pässwörd12!x"
NAMES_RULE = "the admin's first and last names each have 1 to 100 characters, counted in letters"


def _name(text: str) -> str:
    return SPELLED_NAMES[text] if text in SPELLED_NAMES else business_value(text)


def _told(name: str) -> str:
    return f"{len(name)} letters" if len(name) > 20 else repr(name)


@when('they give their first name as "{first}" and their last name as "{last}"')
def step_give_name(context, first, last):
    """Fills in the profile step with these names and a password that meets every rule."""
    first, last = _name(first), _name(last)
    context.learned.update(
        first_name=first,
        last_name=last,
        password=A_GOOD_PASSWORD,
        refused=f"name (first {_told(first)}, last {_told(last)})",
    )
    ProfileStep(context.page).reach().create_admin(first, last, A_GOOD_PASSWORD, A_GOOD_PASSWORD)


@then('the wizard refuses the {which} name, telling them "{message}"')
def step_name_refused(context, which, message):
    """The profile step comes back with the message under that name (first or last): 400 Bad
    Request."""
    assert which in ("first", "last"), f"say the first name or the last name, not {which!r}"
    rule = f"{NAMES_RULE}: the {context.learned['refused']} must be refused"
    expect(ProfileStep(context.page).name_error(which), rule).to_have_text(message)
    assert_page_answered(context, 400, rule)


@then("the wizard keeps the name as given and asks for a card")
def step_name_taken(context):
    """Rule: names of 1 to 100 letters move the wizard on, and are stored as typed."""
    given = (context.learned["first_name"], context.learned["last_name"])
    told = f"first {_told(given[0])}, last {_told(given[1])}"
    expect(
        ProfileStep(context.page).card_form,
        f"{NAMES_RULE}: the name ({told}) moves the wizard to the card step",
    ).to_be_visible()
    email = context.learned["wizard_admin"]
    profile = profile_of(context.db.users, email)
    assert profile is not None, f"{NAMES_RULE}: no profile of {email} was stored ({told})"
    stored = (profile["FirstName"], profile["LastName"])
    assert stored == given, (
        f"{NAMES_RULE}: the profile of {email} must keep the name as given ({told}), "
        f"it holds first {_told(stored[0])}, last {_told(stored[1])}: {stored}"
    )
