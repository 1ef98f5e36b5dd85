"""Healthcare clinic: its defences (features/clinic_security.feature). The audit of every page
that shows a patient's data and of what a search listed; refused sign-ins, their lock and
sign-outs audited; the session token renewed at the second factor; the second factor blocked
at its second lock in a row; the limit on the signing form's password; idle logoff.

Every check reads what the clinic wrote: the audit log in its own database, the sessions, the
second factor and signing limit in the clinic's (queries/clinic/security.py)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from behave import given, then, when
from playwright.sync_api import expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from pages.clinic.patients import PatientSearchScreen
from pages.clinic.places import PatientPlaces
from pages.clinic.prescriptions import PrescriptionsScreen
from pages.clinic.sign_in import ProviderLoginScreen, session_cookies, sign_out_by_button
from pages.shared.login import LoginScreen
from products.clinic import words
from products.clinic.rules import canonical_form, ip_address_problem, signature_problem
from queries.clinic import (
    audit_of_patient,
    audit_of_provider,
    patient_by_name,
    prescriptions_of_visit,
    provider_by_email,
    second_factor,
    signing_key,
    visits_of_patient,
)
from queries.clinic.security import (
    end_second_factor_lock,
    end_signing_lock,
    second_factor_escalation,
    sessions_of,
    set_second_factor_escalation,
    set_sessions_idle,
    set_signing_guard,
    signing_guard,
)
from spanner.assertions import eventually
from spanner.clock import utc_now

AUDITED_FIRST = "every page that shows a patient's data writes its audit entry before it is sent"
LISTED = "a search audits which patients it listed, and only those"
RENEWED = "passing the second factor gives the session a new token; the old one opens nothing"
BLOCKED = "a second lock of the second factor in a row blocks it until an administrator unlocks it"
SIGNING_LIMIT = "five wrong passwords in a row at the signing form lock signing for 15 minutes"
IDLE = "a provider's session idle for 15 minutes ends"
PRESCRIPTION = {"medication": "Cetirizine 10mg", "dosage": "Once daily", "duration": "14 days"}


def _learn_provider(context, email: str) -> str:
    provider = provider_by_email(context.db.clinic, email)
    assert provider is not None, f"the fixtures should hold the provider {email}"
    mfa = second_factor(context.db.clinic, provider["ProviderID"])
    context.learned.update(
        email=email, provider=provider, provider_id=provider["ProviderID"],
        secret=mfa["Secret"] if mfa else None,
    )  # fmt: skip
    return provider["ProviderID"]


def _patient(context, name: str) -> dict:
    found = patient_by_name(context.db.clinic, name)
    assert found is not None, f"the fixtures should hold the patient {name}"
    context.learned.setdefault("patients", {})[name] = found["PatientID"]
    context.learned["patient"] = name
    return found


def _entry_problem(context, entry: dict) -> str | None:
    """Why an entry is not one of a done look or refusal: completed, with the client's IP."""
    if entry["Status"] != "completed" or entry["CompletedAt"] is None:
        return f"{entry['Action']} is {entry['Status']}, not completed"
    problem = ip_address_problem(entry["IPAddress"], loopback_only=context.app.runs_a_child)
    return f"{entry['Action']} has {problem}" if problem else None


def _summary(entries: list[dict]) -> list[tuple]:
    return [(e["Action"], e["PatientID"], e["ResourceID"], e["Details"]) for e in entries]


# --- every page that shows a patient's data


@when("they open every page that shows {patient:ClinicPatient}'s data:")
def step_open_every_page(context, patient):
    """Opens each page of the table by its address, in order; "the earlier visit" is the
    patient's oldest, with its prescription."""
    found = _patient(context, patient)
    visits = visits_of_patient(context.db.clinic, found["PatientID"])
    assert visits, f"the fixtures should hold a visit of {patient}"
    earlier = visits[0]
    prescribed = prescriptions_of_visit(context.db.clinic, found["PatientID"], earlier["VisitID"])
    assert prescribed, f"the fixtures should hold a prescription at {patient}'s earlier visit"
    places = PatientPlaces(
        context.page, found["PatientID"], found["FullName"], earlier["VisitID"],
        prescribed[0]["PrescriptionID"],
    )  # fmt: skip
    context.learned.update(
        earlier_visit=earlier,
        earlier_prescription=prescribed[0],
        walked=[(row["page"], places.reach(row["page"], {})) for row in context.table],
    )


@then("each page showed {patient:ClinicPatient}'s data")
def step_each_page_showed(context, patient):
    """Each page opened (200) and showed what it is for: the patient, the visit's diagnosis,
    the prescription's medication."""
    found = patient_by_name(context.db.clinic, patient)
    shows = {
        "open the earlier visit": context.learned["earlier_visit"]["Diagnosis"],
        "open the earlier visit's prescriptions": context.learned["earlier_prescription"][
            "MedicationName"
        ],
    }
    for place, answer in context.learned["walked"]:
        text = shows.get(place, found["FullName"])
        assert answer.status == 200 and text in answer.text, (
            f"{patient} is in their care: {place} must open and show {text!r}, the clinic "
            f"answered {answer.status} at {answer.path}"
        )


@then(
    "the audit log of {patient:ClinicPatient} with them holds one entry per page, in this order, "
    "each completed and with the client's IP address:"
)
def step_one_entry_per_page(context, patient):
    """Rule: one entry per page, in the order walked, each about what the page showed."""
    patient_id = context.learned["patients"][patient]
    about = {
        "the patient": patient_id,
        "the earlier visit": context.learned["earlier_visit"]["VisitID"],
    }
    wanted = [(words.AUDIT_ACTIONS[row["what"]], about[row["about"]]) for row in context.table]

    def check() -> None:
        entries = audit_of_patient(context.db.audit, patient_id, context.learned["provider_id"])
        found = [(entry["Action"], entry["ResourceID"]) for entry in entries]
        assert found == wanted, (
            f"{AUDITED_FIRST}: one entry per page, in order: expected {wanted}, found "
            f"{_summary(entries)}"
        )
        problems = [p for p in (_entry_problem(context, e) for e in entries) if p]
        assert not problems, f"{AUDITED_FIRST}: {problems}"
        requests = {entry["RequestID"] for entry in entries}
        assert len(requests) == len(entries), f"{AUDITED_FIRST}: one request per page"

    eventually(check, context.settings.db_poll_timeout)


# --- what a search listed


@then("the search lists exactly {first:ClinicPatient} and {second:ClinicPatient}")
def step_search_lists_two(context, first, second):
    """The search lists the two patients in the provider's care whose names match, no other."""
    screen = PatientSearchScreen(context.page)
    for name in (first, second):
        patient_id = _patient(context, name)["PatientID"]
        expect(screen.result(patient_id), f"{LISTED}: {name} is listed").to_have_text(name)
    expect(screen.results, f"{LISTED}: {first} and {second}, no one else").to_have_count(2)


@then(
    'the audit log holds the search for "{query}", then a listing of each of '
    "{first:ClinicPatient} and {second:ClinicPatient}, and of no other patient"
)
def step_search_audited_with_listing(context, query, first, second):
    """Rule: the search's entry names the query; one listing per patient shown, in the same
    request; no other patient is named."""
    listed = {context.learned["patients"][name] for name in (first, second)}

    def check() -> None:
        entries = audit_of_provider(context.db.audit, context.learned["provider_id"])
        searches = [e for e in entries if e["Action"] == "PATIENT_SEARCHED"]
        assert len(searches) == 1 and repr(query) in (searches[0]["Details"] or ""), (
            f"{LISTED}: one search naming {query!r}, found {_summary(entries)}"
        )
        named = [e for e in entries if e["PatientID"] is not None]
        assert [e["Action"] for e in named] == ["PATIENT_LISTED"] * 2, (
            f"{LISTED}: a listing per patient shown and nothing else, found {_summary(named)}"
        )
        assert {e["PatientID"] for e in named} == listed, (
            f"{LISTED}: expected listings of {sorted(listed)}, found {_summary(named)}"
        )
        same = {e["RequestID"] for e in named} == {searches[0]["RequestID"]}
        assert same, f"{LISTED}: the listings belong to the search's request"
        problems = [p for p in (_entry_problem(context, e) for e in [*searches, *named]) if p]
        assert not problems, f"{LISTED}: {problems}"

    eventually(check, context.settings.db_poll_timeout)


# --- refused sign-ins and sign-outs


@when('"{email}" tries to sign in to the clinic {times:d} times with a wrong password')
def step_wrong_password_times(context, email, times):
    """Sends the sign-in form that many times with a wrong password; each is refused."""
    _learn_provider(context, email)
    wrong = f"not-{context.accounts.password_of(email)}"
    login = ProviderLoginScreen(context.page)
    for attempt in range(1, times + 1):
        login.open().log_in(email, wrong)
        expect(login.login_error, f"wrong password {attempt} of {times} is refused").to_be_visible()


@when("they sign out")
def step_sign_out(context):
    """Signs out with the button in the clinic's header, from the patient search."""
    PatientSearchScreen(context.page).open()
    sign_out_by_button(context.page)
    expect(context.page, "signing out leads to the sign-in page").to_have_url(
        re.compile(re.escape(LoginScreen.path) + r"(\?|$)")
    )


# --- the session token renewed at the second factor


def _token_of(cookies: list[dict]) -> str | None:
    return next((cookie["value"] for cookie in cookies), None)


@given("the clinic has given their browser a session token")
def step_note_token(context):
    """Notes the session cookie the browser holds after the password (before the code)."""
    cookies = session_cookies(context.page)
    assert _token_of(cookies), "after the password, the browser holds a session cookie"
    context.learned["cookies before"] = cookies


@then("their browser holds a new session token")
def step_new_token(context):
    """Rule: the cookie after the code is not the cookie before it."""
    before = _token_of(context.learned["cookies before"])
    after = _token_of(session_cookies(context.page))
    assert after and after != before, f"{RENEWED}: the browser's token is still the one before"
    context.learned["token after"] = after


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@then(
    "the clinic holds one session of theirs, with both factors, and none under the token from "
    "before"
)
def step_one_verified_session(context):
    """Rule: the session moved to the new token: one row, verified, under the new token."""
    rows = sessions_of(context.db.clinic, context.learned["provider_id"])
    old = _sha256(_token_of(context.learned["cookies before"]))
    new = _sha256(context.learned["token after"])
    found = [(row["SessionID"], row["MfaVerifiedAt"] is not None) for row in rows]
    assert found == [(new, True)], (
        f"{RENEWED}: expected one verified session under the new token ({new[:12]}...), none "
        f"under the old ({old[:12]}...); found {[(sid[:12], ok) for sid, ok in found]}"
    )


@then("the token from before opens no patient page: the patient search asks to sign in")
def step_old_token_refused(context):
    """Rule: the token seen before the code, sent again (as a copied cookie would be), is
    over: the patient search sends it to sign in."""
    context.page.context.add_cookies(context.learned["cookies before"])
    PatientSearchScreen(context.page).open()
    expect(context.page, f"{RENEWED}: the old token is sent to sign in").to_have_url(
        re.compile(re.escape(LoginScreen.path) + r"(\?|$)")
    )
    expect(PatientSearchScreen(context.page).search_box, RENEWED).to_have_count(0)


# --- the second factor's escalation


@given(
    'the second factor of "{email}" was locked once since their last accepted code, the lock is '
    "over, and they have entered {count:d} wrong codes since"
)
def step_locked_once(context, email, count):
    """Writes the second factor as after one lock, now over, and that many wrong codes."""
    provider_id = _learn_provider(context, email)
    changed = set_second_factor_escalation(
        context.db.clinic, provider_id, failed_attempts=count, locks_in_a_row=1,
        locked_until=utc_now() - timedelta(minutes=1), blocked_at=None,
    )  # fmt: skip
    assert changed == 1, f"{email} should have a second factor enrolled (changed {changed} rows)"


@given('the second factor of "{email}" was blocked {days:d} days ago')
def step_blocked(context, email, days):
    """Writes the second factor as blocked since then, after two locks in a row."""
    provider_id = _learn_provider(context, email)
    changed = set_second_factor_escalation(
        context.db.clinic, provider_id, failed_attempts=0, locks_in_a_row=2,
        locked_until=None, blocked_at=utc_now() - timedelta(days=days),
    )  # fmt: skip
    assert changed == 1, f"{email} should have a second factor enrolled (changed {changed} rows)"
    context.learned["locked"] = True  # every code is refused: a code is entered once only


@when("the lock the clinic set on their second factor is over")
def step_second_factor_lock_over(context):
    """Moves the end of the lock the clinic wrote at the fifth wrong code to a minute ago, and
    nothing else: the counts the clinic wrote at the lock stay as they are (the clock cannot
    move forward inside one scenario)."""
    provider_id = context.learned["provider_id"]
    state = second_factor_escalation(context.db.clinic, provider_id)
    locked = state is not None and state["LockedUntil"] is not None
    assert locked and state["LockedUntil"] > utc_now() and state["BlockedAt"] is None, (
        f"{BLOCKED}: the clinic should have locked the second factor (not blocked it) before "
        f"its lock can end; it holds {state}"
    )
    changed = end_second_factor_lock(
        context.db.clinic, provider_id, utc_now() - timedelta(minutes=1)
    )
    assert changed == 1, f"the clinic's lock of the second factor should end (changed {changed})"
    context.learned["locked"] = False


@then("their second factor is blocked, with no end")
def step_factor_blocked(context):
    """Rule: the block has no end in time: only an administrator lifts it."""
    state = second_factor_escalation(context.db.clinic, context.learned["provider_id"])
    assert state is not None and state["BlockedAt"] is not None, f"{BLOCKED}: it is {state}"
    assert state["LockedUntil"] is None and state["LocksInARow"] == 2, (
        f"{BLOCKED}: a block is not a lock that ends by itself: {state}"
    )


@then("their second factor counts no wrong code and no lock any more")
def step_factor_count_reset(context):
    """Rule: an accepted code starts the count of wrong codes and of locks again."""
    state = second_factor_escalation(context.db.clinic, context.learned["provider_id"])
    assert state is not None and (state["FailedAttempts"], state["LocksInARow"]) == (0, 0), (
        f"{BLOCKED}, with no accepted code in between: an accepted code starts again: {state}"
    )
    assert state["BlockedAt"] is None, f"{BLOCKED}: an accepted code blocks nothing: {state}"


# --- the signing form's limit


def _signing_screen(context) -> PrescriptionsScreen:
    patient = context.learned["patient"]
    return PrescriptionsScreen(
        context.page, context.learned["patients"][patient], context.learned["visit_id"]
    )


@when(
    "they send a prescription straight to signing at that visit {times:d} times, each with a "
    "wrong password"
)
def step_forged_signing(context, times):
    """Sends a valid prescription to the signing address that many times, as a hand-made
    request would, each with another wrong password; each is refused."""
    screen = _signing_screen(context)
    for attempt in range(1, times + 1):
        answer = screen.send_to_signing(PRESCRIPTION | {"password": f"Guess-{attempt}-of-many!"})
        assert answer.status == 403, (
            f"a wrong password signs nothing: try {attempt} answered {answer.status}"
        )
    context.learned["signing tries"] = times


@given("their signing was locked, and the lock ended a minute ago")
def step_signing_lock_over(context):
    """Writes the signing form's guard as after a lock that is over: no wrong password since."""
    set_signing_guard(
        context.db.clinic, context.learned["provider_id"], failed_attempts=0,
        locked_until=utc_now() - timedelta(minutes=1),
    )  # fmt: skip


@when("the lock the clinic set on their signing is over")
def step_signing_lock_ends(context):
    """Moves the end of the lock of signing the clinic wrote at the limit's wrong password to a
    minute ago, and nothing else: the count the clinic wrote at the lock stays as it is (the
    clock cannot move forward inside one scenario)."""
    provider_id = context.learned["provider_id"]
    guard = signing_guard(context.db.clinic, provider_id)
    locked = guard is not None and guard["LockedUntil"] is not None
    assert locked and guard["LockedUntil"] > utc_now(), (
        f"{SIGNING_LIMIT}: the clinic should have locked signing before its lock can end; it "
        f"holds {guard}"
    )
    changed = end_signing_lock(context.db.clinic, provider_id, utc_now() - timedelta(minutes=1))
    assert changed == 1, f"the clinic's lock of signing should end (changed {changed})"


@when("they send a prescription straight to signing at that visit, with their password")
@when("they send it once more, with their password")
def step_signing_right_password(context):
    """Sends the same prescription once more, with the provider's own password."""
    password = context.accounts.password_of(context.learned["email"])
    answer = _signing_screen(context).send_to_signing(PRESCRIPTION | {"password": password})
    context.learned["last answer"] = (answer.status, answer.text())


@then('the last answer is "{message}"')
def step_last_answer(context, message):
    """The clinic answered the last signing with a refusal (403) that says this."""
    status, text = context.learned["last answer"]
    assert status == 403 and message in text, (
        f"{SIGNING_LIMIT}: the right password must be refused with {message!r}, the clinic "
        f"answered {status}"
    )


@then("the visit holds exactly one prescription, with their signature")
def step_one_signed(context):
    """Below the limit, the right password signs: one prescription whose signature verifies."""
    _signed(context, 1)


@then("the visit holds exactly {count:d} prescriptions, each with their signature")
def step_some_signed(context, count):
    """Below the limit, each right password signed: that many, each signature verifying."""
    _signed(context, count)


def _signed(context, count: int) -> None:
    patient_id = context.learned["patients"][context.learned["patient"]]
    found = prescriptions_of_visit(context.db.clinic, patient_id, context.learned["visit_id"])
    assert len(found) == count, (
        f"{SIGNING_LIMIT}, not fewer: the right password signs, {count} times here: {found}"
    )
    for prescription in found:
        key = signing_key(
            context.db.clinic, prescription["ProviderID"], prescription["SignatureKeyID"]
        )
        assert key is not None, (
            f"the signer's key {prescription['SignatureKeyID']} is in the clinic"
        )
        problem = signature_problem(
            key["PublicKeyPem"], prescription["ProviderSignature"], canonical_form(prescription)
        )
        assert problem is None, f"the prescription is signed with their key: {problem}"


def _signing_refusals(context) -> list[dict]:
    patient_id = context.learned["patients"][context.learned["patient"]]
    entries = audit_of_patient(context.db.audit, patient_id, context.learned["provider_id"])
    return [e for e in entries if e["Action"] == "PRESCRIPTION_SIGNING_REFUSED"]


def _signing_locks(context) -> list[dict]:
    entries = audit_of_provider(context.db.audit, context.learned["provider_id"])
    return [e for e in entries if e["Action"] == "PRESCRIPTION_SIGNING_LOCKED"]


@then(
    "the audit log of {patient:ClinicPatient} with them holds {count:d} refusals to sign, and "
    "no lock of signing"
)
def step_refusals_no_lock(context, patient, count):
    """Rule: each refused signing is audited; fewer than five in a row lock nothing."""

    def check() -> None:
        refusals, locks = _signing_refusals(context), _signing_locks(context)
        assert len(refusals) == count and not locks, (
            f"{SIGNING_LIMIT}, not fewer: expected {count} refusals and no lock, found "
            f"{_summary(refusals)} and {_summary(locks)}"
        )

    eventually(check, context.settings.db_poll_timeout)


@then(
    "the audit log of {patient:ClinicPatient} with them holds {count:d} refusals to sign, the "
    "last because signing is locked"
)
def step_refusals_last_locked(context, patient, count):
    """Rule: the signing after the lock is refused because signing is locked, and audited so."""

    def check() -> None:
        refusals = _signing_refusals(context)
        reasons = [e["Details"] for e in refusals]
        assert len(refusals) == count and reasons[-1] == "signing locked", (
            f"{SIGNING_LIMIT}: every try is audited, the last refused as locked: {reasons}"
        )
        problems = [p for p in (_entry_problem(context, e) for e in refusals) if p]
        assert not problems, f"{SIGNING_LIMIT}: {problems}"

    eventually(check, context.settings.db_poll_timeout)


@then("the audit log of what they did holds the lock of signing once")
def step_signing_lock_audited(context):
    """Rule: the lock of signing is audited once, however many refusals follow it."""

    def check() -> None:
        locks = _signing_locks(context)
        assert len(locks) == 1, f"{SIGNING_LIMIT}: the lock is audited once: {_summary(locks)}"

    eventually(check, context.settings.db_poll_timeout)


@then("signing is locked for them until {minutes:d} minutes from now")
def step_signing_locked_until(context, minutes):
    """The clinic holds the provider's lock of signing until that many minutes from now."""
    guard = signing_guard(context.db.clinic, context.learned["provider_id"])
    assert guard is not None and guard["LockedUntil"] is not None, (
        f"{SIGNING_LIMIT}: the clinic holds no lock of signing: {guard}"
    )
    expected = utc_now() + timedelta(minutes=minutes)
    assert abs(guard["LockedUntil"] - expected) < timedelta(minutes=1), (
        f"{SIGNING_LIMIT}: locked until {guard['LockedUntil']}, expected about {expected}"
    )


# --- idle logoff


@given("their session has been idle for {minutes:d} minutes")
@given("their session has been idle for {minutes:d} minutes and {seconds:d} seconds")
def step_session_idle(context, minutes, seconds=0):
    """Writes the provider's sessions as last used that long ago (the clock cannot move
    forward inside one scenario; the rule tested is the clinic's, reading that time)."""
    idle = minutes * 60 + seconds
    changed = set_sessions_idle(context.db.clinic, context.learned["provider_id"], idle)
    assert changed >= 1, f"the provider's session should have a last use (changed {changed})"


@then("the patient search opens")
def step_search_opens(context):
    """Rule: a session idle for less than 15 minutes goes on: the patient search opens."""
    rule = f"{IDLE}, not sooner: 14 minutes idle, the provider goes on"
    expect(context.page, rule).to_have_url(re.compile(re.escape(PatientSearchScreen.path)))
    expect(PatientSearchScreen(context.page).search_box, rule).to_be_visible()


@then("the clinic has signed them out for being idle: it asks them to sign in again")
def step_signed_out_idle(context):
    """Rule: a session idle for 15 minutes ends: the sign-in page asks for the password again."""
    rule = f"{IDLE}: after 16 minutes idle, the patient search asks to sign in again"
    expect(context.page, rule).to_have_url(re.compile(re.escape(LoginScreen.path) + r"(\?|$)"))
    expect(LoginScreen(context.page).sign_in_form, rule).to_be_visible()
