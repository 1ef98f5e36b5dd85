"""Healthcare clinic: the clinic's words, signing in, and the second factor.

The clinic's steps, by what they are about: this file (the clinic's words, the password, the
codes of the authenticator app, the lock), patients.py (the search, a patient's record,
the care rule), prescriptions.py (visits, prescriptions and their signatures),
audit.py (the audit log, in the audit database). Codes are computed with pyotp from the
secret seeded in Spanner at the moment they are entered, never read from the app.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from behave import given, then, when
from playwright.sync_api import expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from pages.clinic.patients import PatientSearchScreen
from pages.clinic.sign_in import ProviderLoginScreen, SecondFactorScreen, sign_out
from pages.shared.login import LoginScreen
from products.clinic import words
from products.clinic.rules import (
    LOCK_DURATION,
    code_of_step,
    lock_ends,
    step_of,
    wrong_code,
)
from queries.clinic import (
    disable_provider,
    patient_by_name,
    provider_by_email,
    provider_sessions,
    second_factor,
    set_provider_status,
    set_second_factor_state,
)
from spanner.clock import utc_now

# where the browser is: the second factor's form, or the patient search behind it
AT_SECOND_FACTOR = re.compile(re.escape(SecondFactorScreen.path) + r"/?(\?.*)?$")
AT_PATIENT_SEARCH = re.compile(re.escape(PatientSearchScreen.path) + r"/?(\?.*)?$")
BOTH_FACTORS = "every patient page needs both factors, the password and a code"
# the clinic's answer to a refused code: not signed in (401), or the factor shut (423 Locked)
REFUSED_STATUS, SHUT_STATUS = 401, 423
SHUT_WORDS = "Too many wrong codes"  # how the message of a locked or blocked factor starts


def _learn_provider(context, email: str) -> None:
    provider = provider_by_email(context.db.clinic, email)
    assert provider is not None, f"the fixtures should hold the provider {email}"
    mfa = second_factor(context.db.clinic, provider["ProviderID"])
    context.learned.update(
        email=email,
        provider=provider,
        provider_id=provider["ProviderID"],
        secret=mfa["Secret"] if mfa else None,
    )


def _sign_in_with_password(context, email: str, by_request: bool = False) -> None:
    """The brief's provider login (the shared sign-in page); lands on the second factor. By
    request, for a scenario that starts signed in: the form is sent without loading the page."""
    _learn_provider(context, email)
    password = context.accounts.password_of(email)
    screen = ProviderLoginScreen(context.page)
    rule = f"{BOTH_FACTORS}: the password of {email} leads to the second factor"
    if by_request:
        landed = screen.send(email, password)
        assert AT_SECOND_FACTOR.search(landed), f"{rule}, not to {landed}"
        return
    screen.open().log_in(email, password)
    expect(context.page, rule).to_have_url(AT_SECOND_FACTOR)


def _code_to_enter(context, code: words.CodeChoice, moment: float) -> tuple[str, int | None]:
    """The code the phrase names at this moment, and the step it belongs to (None: no step)."""
    secret = context.learned["secret"]
    if code.kind == "typed":
        return code.typed, None
    assert secret is not None, (
        f"the fixtures should enrol {context.learned['email']} in the second factor"
    )
    if code.kind == "wrong":
        return wrong_code(secret, moment), None
    if code.kind == "earlier":
        return context.learned["signed in with"]
    if code.kind == "script":
        return code_of_step(secret, step_of(moment) + 1).translate(words.ARABIC_INDIC), None
    step = step_of(moment) + code.steps
    return code_of_step(secret, step), step


def _enter_code(context, code: words.CodeChoice, by_request: bool = False) -> str:
    """Enters the code the phrase names, computed at the moment it is entered, in the second
    factor's form (by request: the form sent without loading the page); the path it leads to.

    At a step boundary: the current code, computed just before a boundary, is still valid after
    it (one step of drift is allowed), and so is the next step's, which becomes the current one.
    The previous step's code is not: computed just before a boundary and checked just after,
    it is two steps old; nor is the code of ten steps ago still "expired" (it is eleven). So a
    code of a step entered while a boundary passed says nothing about the rule when it was
    meant to pass and was refused, or was meant to be refused (its reason may have changed);
    it is computed again and entered once more, at the start of a fresh 30-second step, far
    from the next boundary. (Not while the second factor is locked: there every code is
    refused, and a second try would be audited twice.)"""
    screen = SecondFactorScreen(context.page)
    if not by_request:
        screen.reach()
    for attempt in range(2):
        if attempt and not by_request:
            # the answer to the first try may be a page without the form (a refusal, "Not
            # recorded"): the second try starts from the second factor's page, as a person would
            screen.open()
        before = time.time()
        value, step = _code_to_enter(context, code, before)
        landed = screen.send_code(value) if by_request else screen.enter_code(value)
        after = time.time()
        refused = AT_SECOND_FACTOR.search(landed) is not None
        crossed = step_of(after) != step_of(before)
        told_nothing = code.kind == "step" and (refused or not code.meant_to_pass)
        if not (crossed and told_nothing and not context.learned.get("locked")):
            break
    context.learned.update(
        code=code, code_value=value, code_step=step, entered=(before, after),
        code_answer_status=screen.answer_status,
    )  # fmt: skip
    return landed


CURRENT_CODE = words.code_choice("the current code of their authenticator app")


def _sign_in_with_both_factors(context, email: str, code: words.CodeChoice = CURRENT_CODE) -> None:
    """Both factors sent by request, for a scenario that starts signed in; the clinic leads to
    the patient search."""
    _sign_in_with_password(context, email, by_request=True)
    landed = _enter_code(context, code, by_request=True)
    assert AT_PATIENT_SEARCH.search(landed), (
        f"{BOTH_FACTORS}: with both, {email} is led to the patient search, not to {landed}"
    )
    context.learned["signed in with"] = (
        context.learned["code_value"],
        context.learned["code_step"],
    )


@when('"{email}" signs in to the clinic with their password')
def step_sign_in_with_password(context, email):
    """Signs in on the brief's provider login; the clinic asks for the second factor."""
    _sign_in_with_password(context, email)


@given('"{email}" has signed in to the clinic with their password')
def step_has_signed_in_with_password(context, email):
    """Signed in with the password (form sent by request); led to the second factor."""
    _sign_in_with_password(context, email, by_request=True)


@given('"{email}" has signed in to the clinic with both factors')
def step_sign_in_with_both_factors(context, email):
    """Signed in with the password and the current code (by request); led to the search."""
    _sign_in_with_both_factors(context, email)


def _signed_in_earlier(context, email: str, code: words.CodeChoice = CURRENT_CODE) -> None:
    _sign_in_with_both_factors(context, email, code)
    landed = sign_out(PatientSearchScreen(context.page))
    assert landed == LoginScreen.path, (
        f"signing out leads back to the sign-in page, not to {landed}"
    )


@given('"{email}" signed in to the clinic earlier with both factors, and signed out')
def step_signed_in_earlier(context, email):
    """Signed in with both factors (by request), notes the code accepted, signs out."""
    _signed_in_earlier(context, email)


@given('"{email}" signed in to the clinic earlier with {code:SecondFactorCode}, and signed out')
def step_signed_in_earlier_with(context, email, code):
    """Signed in with that code as the second factor (by request: one the clinic accepts, the
    next step's for one), notes it, signs out."""
    assert code.meant_to_pass, f"{code.phrase!r} is not a code the clinic accepts at sign-in"
    _signed_in_earlier(context, email, code)


@given("they have signed in to the clinic again with their password")
def step_sign_in_again(context):
    """The same provider signs in with their password again (by request)."""
    _sign_in_with_password(context, context.learned["email"], by_request=True)


@given('the clinic account of "{email}" is {state:ClinicAccountState}')
def step_clinic_account_state(context, email, state):
    """Writes the provider's account in that state, as the clinic's staff would."""
    provider = provider_by_email(context.db.clinic, email)
    assert provider is not None, f"the fixtures should hold the provider {email}"
    changed = set_provider_status(context.db.clinic, provider["ProviderID"], state)
    assert changed == 1, f"expected to set {email}'s account {state}, changed {changed} rows"


@when('"{email}" tries to sign in to the clinic with {password:ClinicPassword}')
def step_provider_tries_to_sign_in(context, email, password):
    """Sends the sign-in form with the provider's right password or a wrong one, whatever
    comes of it."""
    _learn_provider(context, email)
    right = context.accounts.password_of(email)
    login = ProviderLoginScreen(context.page).open()
    login.log_in(email, right if password == "their password" else f"not-{right}")
    expect(login.login_error.or_(SecondFactorScreen(context.page).prompt)).to_be_visible()


@then('"{email}" has no session in the clinic')
def step_no_clinic_session(context, email):
    """Rule: a refused sign-in starts no session, not even a password-only one."""
    sessions = provider_sessions(context.db.clinic, context.learned["provider_id"])
    assert sessions == 0, (
        f"only an active provider with the right password signs in: {email} has {sessions} "
        "session(s)"
    )


@given('the clinic has disabled the account of "{email}"')
def step_clinic_disables(context, email):
    """The clinic's staff disable the provider's account (in the clinic's records)."""
    assert context.learned["email"] == email, f"the scenario is about {context.learned['email']}"
    changed = disable_provider(context.db.clinic, context.learned["provider_id"])
    assert changed == 1, f"expected to disable {email}'s account, changed {changed} rows"


@then("the clinic asks them to sign in again")
def step_clinic_asks_to_sign_in(context):
    """Rule: only an active provider's session opens the clinic; the rest go to sign in."""
    rule = "a disabled provider's session ends at their next page"
    expect(context.page, rule).to_have_url(re.compile(re.escape(LoginScreen.path) + r"(\?|$)"))
    expect(LoginScreen(context.page).sign_in_form, rule).to_be_visible()


@given('the clinic holds no authenticator app of "{email}"')
def step_not_enrolled(context, email):
    """Precondition from the fixtures: the provider has no second factor's secret."""
    provider = provider_by_email(context.db.clinic, email)
    assert provider is not None, f"the fixtures should hold the provider {email}"
    mfa = second_factor(context.db.clinic, provider["ProviderID"])
    assert mfa is None, f"the fixtures should enrol {email} in no second factor: {mfa}"


@given('"{email}" has entered {count:d} wrong codes in a row')
def step_wrong_codes_in_a_row(context, email, count):
    """Writes the provider's second factor as after so many wrong codes in a row, unlocked."""
    _learn_provider(context, email)
    changed = set_second_factor_state(
        context.db.clinic, context.learned["provider_id"], count, None
    )
    assert changed == 1, f"{email} should have a second factor enrolled (changed {changed} rows)"


@given('the second factor of "{email}" is locked until {minutes:d} minutes from now')
def step_locked_until(context, email, minutes):
    """Writes the provider's second factor as locked until then (a lock of earlier codes)."""
    _learn_provider(context, email)
    until = utc_now() + timedelta(minutes=minutes)
    changed = set_second_factor_state(context.db.clinic, context.learned["provider_id"], 0, until)
    assert changed == 1, f"{email} should have a second factor enrolled (changed {changed} rows)"
    context.learned["locked"] = True


@given('the second factor of "{email}" was locked, and the lock ended {minutes:d} minute ago')
def step_lock_over(context, email, minutes):
    """Writes the provider's second factor as locked until that moment, now past."""
    _learn_provider(context, email)
    until = utc_now() - timedelta(minutes=minutes)
    changed = set_second_factor_state(context.db.clinic, context.learned["provider_id"], 0, until)
    assert changed == 1, f"{email} should have a second factor enrolled (changed {changed} rows)"


def _is_locked(mfa: dict) -> bool:
    return mfa["LockedUntil"] is not None and mfa["LockedUntil"] > utc_now()


@when("they enter {code:SecondFactorCode}")
def step_enter_code(context, code):
    """Enters the code the phrase names, computed from the seeded secret at that moment."""
    _enter_code(context, code)


WRONG_CODE = words.code_choice("a wrong code")


@when("they enter {count:d} wrong codes in a row")
def step_enter_wrong_codes(context, count):
    """Enters that many wrong codes, one after the other, in the second factor's form; each is
    refused (the last one's answer is checked by the next step)."""
    for entered in range(1, count + 1):
        landed = _enter_code(context, WRONG_CODE)
        assert AT_SECOND_FACTOR.search(landed), (
            f"{words.CODE_RULES['wrong']}: wrong code {entered} of {count} led to {landed}"
        )


@then("they are asked for a second factor")
def step_asked_for_second_factor(context):
    """Rule: a password alone opens no patient page: the second factor's form shows."""
    rule = f"{BOTH_FACTORS}: with the password only, the clinic asks for the second factor"
    expect(context.page, rule).to_have_url(AT_SECOND_FACTOR)
    expect(SecondFactorScreen(context.page).prompt, rule).to_be_visible()


def _refusal_rule(context, message: str) -> str:
    if message.startswith(SHUT_WORDS + " again"):
        return words.CODE_RULES["blocked"]
    if message.startswith(SHUT_WORDS):
        return words.CODE_RULES["locked"]
    code = context.learned["code"]
    earlier = context.learned.get("signed in with")
    step = context.learned.get("code_step")
    if earlier and step is not None and earlier[1] is not None and step <= earlier[1]:
        return words.CODE_RULES["reused"]  # a step's code at or before the one accepted last
    reason = {"wrong": "wrong", "typed": "wrong", "script": "wrong", "earlier": "reused"}.get(
        code.kind, "expired" if code.steps < 0 else "wrong"
    )
    return words.CODE_RULES[reason]


@then('the code is refused: "{message}"')
def step_code_refused(context, message):
    """The second factor's form is back with the message; the clinic has not let them in."""
    code = context.learned["code"]
    rule = f"{_refusal_rule(context, message)}: {code.phrase} must be refused"
    expect(context.page, rule).to_have_url(AT_SECOND_FACTOR)
    expect(SecondFactorScreen(context.page).mfa_error, rule).to_contain_text(message)
    _check_answer_status(context, rule, shut=message.startswith(SHUT_WORDS))


def _check_answer_status(context, rule: str, shut: bool) -> None:
    """The answer's status tells a refused code (401) from a factor locked or blocked (423)."""
    wanted = SHUT_STATUS if shut else REFUSED_STATUS
    what = "a locked or blocked second factor" if shut else "a refused code"
    status = context.learned["code_answer_status"]
    assert status == wanted, (
        f"{rule}: the clinic answers {what} with {wanted}, it answered {status}"
    )


@then("the code is accepted and they reach the patient search")
def step_code_accepted(context):
    """Rule: the code (one step of drift allowed) opens the search; its step is kept."""
    code = context.learned["code"]
    rule = (
        "one step of clock drift is allowed: the code of the step before or after the current "
        "one is accepted"
        if code.steps
        else "the current code of the provider's authenticator app opens the clinic"
    )
    expect(context.page, f"{rule}: {code.phrase} was refused").to_have_url(AT_PATIENT_SEARCH)
    expect(PatientSearchScreen(context.page).search_box, rule).to_be_visible()
    mfa = second_factor(context.db.clinic, context.learned["provider_id"])
    assert mfa["LastUsedStep"] == context.learned["code_step"], (
        f"a code is accepted once only: the clinic keeps the step of the code it accepted "
        f"({context.learned['code_step']}, {code.phrase}), it holds {mfa['LastUsedStep']}"
    )


@then('the second factor is locked for {minutes:d} minutes: "{message}"')
def step_second_factor_locked(context, minutes, message):
    """Rule: the fifth wrong code in a row locks the second factor for 15 minutes from then."""
    assert timedelta(minutes=minutes) == LOCK_DURATION, (
        f"the scenario contradicts the lock rule ({LOCK_DURATION})"
    )
    rule = f"five wrong codes in a row lock the second factor for {minutes} minutes"
    expect(context.page, rule).to_have_url(AT_SECOND_FACTOR)
    expect(SecondFactorScreen(context.page).mfa_error, rule).to_contain_text(message)
    _check_answer_status(context, rule, shut=True)
    before, after = (datetime.fromtimestamp(t, UTC) for t in context.learned["entered"])
    mfa = second_factor(context.db.clinic, context.learned["provider_id"])
    locked_until = mfa["LockedUntil"]
    assert locked_until is not None, f"{rule}: the second factor is not locked ({mfa})"
    earliest, latest = lock_ends(before) - timedelta(seconds=1), lock_ends(after)
    assert earliest <= locked_until <= latest + timedelta(seconds=1), (
        f"{rule}: the code was entered between {before:%H:%M:%S} and {after:%H:%M:%S}, the "
        f"lock ends at {locked_until:%H:%M:%S} (expected {minutes} minutes later)"
    )
    context.learned["locked"] = True


@then("no patient page opens for them: the patient search asks for the second factor")
def step_no_patient_page(context):
    """Rule: after a refused code, typing the search's address leads to the second factor."""
    screen = PatientSearchScreen(context.page).open()
    rule = f"{BOTH_FACTORS}: after a code refused or not audited, the patient search must not open"
    expect(context.page, rule).to_have_url(AT_SECOND_FACTOR)
    expect(SecondFactorScreen(context.page).prompt, rule).to_be_visible()
    expect(screen.search_box, rule).to_have_count(0)


# --- two sessions of one provider: a second browser, with its own cookies


def _open_second_browser(context) -> None:
    """A second browser (its own cookies: a session of its own) on the clinic; the scenario
    goes on there, the first browser's page kept as learned["first browser"]."""
    second = context.browser.new_context(base_url=context.app.base_url)
    context.add_cleanup(second.close)
    context.learned["first browser"] = context.page
    context.page = second.new_page()


@given("they have also signed in to the clinic with their password in a second browser")
def step_also_second_browser(context):
    """A second session of the same provider with the password only (by request); the
    scenario stays in the first browser, the second kept as learned["second browser"]."""
    first = context.page
    _open_second_browser(context)
    _sign_in_with_password(context, context.learned["email"], by_request=True)
    context.learned["second browser"] = context.page
    context.page = first


@then("the second browser is still asked for a second factor at {page:ClinicPage}")
def step_second_still_asked(context, page):
    """Rule: a code accepted in one session verifies that session only."""
    second = context.learned["second browser"]
    patient = page.patient or ""
    found = patient_by_name(context.db.clinic, patient) if patient else None
    second.goto(f"/patients/{found['PatientID']}" if found else PatientSearchScreen.path)
    rule = "each session needs its own second factor: a code accepted in another opens nothing"
    expect(second, rule).to_have_url(AT_SECOND_FACTOR)
    expect(SecondFactorScreen(second).prompt, rule).to_be_visible()


@given("they have gone on in a second browser, where they signed in with their password only")
def step_second_browser_password(context):
    """A second session of the same provider, with the password only (by request)."""
    _open_second_browser(context)
    _sign_in_with_password(context, context.learned["email"], by_request=True)


@given("they have gone on in a second browser, where they signed in with both factors")
def step_second_browser_both(context):
    """A second session of the same provider with both factors (by request). The first
    session took the current code, which works once: the second takes the next step's code,
    the one the authenticator shows next (one step of drift is accepted)."""
    _open_second_browser(context)
    _sign_in_with_password(context, context.learned["email"], by_request=True)
    first_step = context.learned["signed in with"][1]
    phrase = (
        "the code of the next step"
        if step_of(time.time()) <= first_step
        else "the current code of their authenticator app"
    )
    landed = _enter_code(context, words.code_choice(phrase), by_request=True)
    assert AT_PATIENT_SEARCH.search(landed), (
        f"{BOTH_FACTORS}: with both, the second session is led to the patient search, not to "
        f"{landed}"
    )


@when("they sign out in the second browser")
def step_sign_out_second(context):
    """Signs out of the second session, then puts its cookies back as a copied cookie would:
    the session must be over in the clinic, not only forgotten by the browser."""
    cookies = context.page.context.cookies()
    landed = sign_out(PatientSearchScreen(context.page))
    assert landed == LoginScreen.path, f"signing out leads to the sign-in page, not to {landed}"
    context.page.context.add_cookies(cookies)


@then("the second browser's session is over: the patient search asks them to sign in")
def step_second_session_over(context):
    """Rule: signing out ends that session in the clinic."""
    PatientSearchScreen(context.page).open()
    rule = "signing out ends the session: its cookie opens nothing any more"
    expect(context.page, rule).to_have_url(re.compile(re.escape(LoginScreen.path) + r"(\?|$)"))
    expect(LoginScreen(context.page).sign_in_form, rule).to_be_visible()


@then("the first browser still opens the patient search")
def step_first_session_still_open(context):
    """Rule: signing out in one session leaves the provider's other sessions open."""
    page = context.learned["first browser"]
    screen = PatientSearchScreen(page).open()
    rule = "signing out ends only that session: the provider's other session stays open"
    expect(page, rule).to_have_url(AT_PATIENT_SEARCH)
    expect(screen.search_box, rule).to_be_visible()


@then("their second factor is not locked")
def step_not_locked(context):
    """Rule: four wrong codes in a row do not lock the second factor; the fifth does."""
    mfa = second_factor(context.db.clinic, context.learned["provider_id"])
    assert not _is_locked(mfa), (
        f"only the fifth wrong code in a row locks the second factor: it is locked after "
        f"{mfa['FailedAttempts']} ({mfa})"
    )


@then("their second factor counts no wrong code any more")
def step_no_wrong_codes_counted(context):
    """Rule: only wrong codes in a row count: an accepted code starts the count again."""
    mfa = second_factor(context.db.clinic, context.learned["provider_id"])
    assert mfa["FailedAttempts"] == 0, (
        f"five wrong codes IN A ROW lock the second factor: after an accepted code the count "
        f"starts again, yet it stands at {mfa['FailedAttempts']}"
    )


@then("the refusal adds no wrong code to the count")
def step_lock_counts_nothing(context):
    """Rule: a locked second factor refuses every code without counting it (the lock's Given
    leaves no wrong code counted)."""
    mfa = second_factor(context.db.clinic, context.learned["provider_id"])
    assert mfa["FailedAttempts"] == 0, (
        f"a locked second factor refuses codes without counting them: the count stands at "
        f"{mfa['FailedAttempts']}"
    )
