"""SaaS platform: the dashboard through an unreliable network (the platform answering late,
answers lost on the way back), its saved copy, and a display name change applied once."""

from __future__ import annotations

import json

from behave import given, then, when
from playwright.sync_api import expect

from harness.network_faults import AnswersLate, AnswersLost, path_equals, path_starts_with
from harness.page_answers import assert_sent_answered
from pages.saas.account import DashboardScreen
from pages.saas.dashboard import OfflineDashboard
from pages.shared.login import LoginScreen
from pages.shared.security import csrf_header
from products.saas.access_words import business_value
from queries.saas import profile_changes_of, profile_of

API = "/api/"
PROFILE_API = "/api/profile"


def _dashboard(context) -> OfflineDashboard:
    return OfflineDashboard(context.page)


def _page_wait_ms(context, *, retried: bool = False) -> float:
    """How long a check may wait: the page's own wait for the platform (and its pause before
    asking again, when it must retry), then the usual wait for what the page shows."""
    page = _dashboard(context)
    seconds = page.api_timeout_seconds() + context.settings.browser_expect_timeout
    if retried:
        seconds += page.retry_interval_seconds()
    return seconds * 1000


def _start_fault(context, fault: AnswersLate | AnswersLost) -> None:
    context.network_faults = [*getattr(context, "network_faults", []), fault]
    context.add_cleanup(fault.discard)


def _typed(words: str) -> str:
    """What the words stand for: "nothing at all" is an empty name, "N accented letters" N
    letters; anything else as written."""
    return "" if words == "nothing at all" else business_value(words)


def _shown_name(context, email: str) -> str:
    profile = profile_of(context.db.users, email)
    assert profile is not None, f"the feature's data gives {email} a profile"
    return profile["DisplayName"] or f"{profile['FirstName']} {profile['LastName']}"


# --- the person and their dashboard


@given('"{email}" has seen their dashboard')
def step_has_seen_dashboard(context, email):
    """Signs in; the dashboard shows what the platform answers, which the device saves."""
    LoginScreen(context.page).open().log_in(email, context.accounts.password_of(email))
    page = _dashboard(context)
    expect(page.display_name(page.live_data)).to_have_text(_shown_name(context, email))
    context.learned["signed_in"] = email


@given("they have signed out")
def step_have_signed_out(context):
    """Signs out with the page's own button."""
    DashboardScreen(context.page).sign_out()
    expect(LoginScreen(context.page).sign_in_form).to_be_visible()


@when("they open their dashboard")
def step_open_dashboard(context):
    """Opens the dashboard by its address."""
    _dashboard(context).open()


@when('"{email}" signs in on the same device')
@when('"{email}" signs in again')
def step_signs_in_on_same_device(context, email):
    """Signs in through the sign-in page, in the browser the scenario used so far."""
    LoginScreen(context.page).open().log_in(email, context.accounts.password_of(email))
    context.learned["signed_in"] = email


# --- the network


@given("the platform answers late")
def step_platform_answers_late(context):
    """Holds every API call of the page until the platform answers again."""
    _start_fault(context, AnswersLate(context.page.context, path_starts_with(API)))


@given("the platform's answers to profile changes are lost")
def step_change_answers_lost(context):
    """Lets every profile change reach the platform and drops the platform's answer."""
    fault = AnswersLost(context.page.context, path_equals(PROFILE_API), "PATCH")
    _start_fault(context, fault)


@when("the platform answers again")
def step_platform_answers_again(context):
    """Ends every fault: held calls reach the platform late, then the network is restored."""
    faults = getattr(context, "network_faults", [])
    assert faults, "no fault was started in this scenario: the step has nothing to restore"
    for fault in faults:
        fault.end()
    delivered = [request for fault in faults for request in fault.delivered]
    context.learned["deliveries"] = delivered.count(f"PATCH {PROFILE_API}")


# --- offline


@given("they have opened their dashboard, which says it is offline")
def step_opened_offline(context):
    """Opens the dashboard; the page asks the platform, waits, and says it is offline."""
    step_open_dashboard(context)
    step_dashboard_offline(context)


@then("the dashboard says it is offline")
def step_dashboard_offline(context):
    """The offline indicator shows, once the page gave up waiting for the platform."""
    page = _dashboard(context)
    why = "while the platform does not answer, the dashboard says it is offline"
    expect(page.offline_indicator, why).to_be_visible(timeout=_page_wait_ms(context))


@then('it shows the copy saved on this device: "{tenant}" on the {plan} plan, for "{name}"')
def step_shows_saved_copy(context, tenant, plan, name):
    """The values shown are those of the copy saved when the person last saw the dashboard."""
    page = _dashboard(context)
    why = "while offline, the dashboard shows what the platform last told it"
    expect(page.cached_data, why).to_be_visible()
    expect(page.tenant_name(page.cached_data), why).to_have_text(tenant)
    expect(page.plan(page.cached_data), why).to_have_text(plan)
    expect(page.display_name(page.cached_data), why).to_have_text(name)


@then("it has no saved copy to show")
def step_no_saved_copy(context):
    """Nothing of anyone's dashboard is shown, and the page says it has no copy."""
    page = _dashboard(context)
    why = (
        "a saved copy shows only to the person it was saved for, and signing out forgets it: "
        "this person has none on this device"
    )
    expect(page.no_saved_copy, why).to_be_visible()
    expect(page.cached_data, why).to_be_hidden()


@then('neither "{tenant}" nor "{name}" shows on it')
def step_nothing_of_other(context, tenant, name):
    """Neither the other organisation's name nor the other person's name is on the page."""
    main = context.page.locator("main")
    why = f"another person's saved dashboard ({tenant}, {name}) never shows"
    expect(main, why).not_to_contain_text(tenant)
    expect(main, why).not_to_contain_text(name)


# --- changes


@when('they change their display name to "{typed}"')
def step_change_name(context, typed):
    """Changes the name on the dashboard's profile form ("100 accented letters" is spelled)."""
    _dashboard(context).change_display_name(_typed(typed))


@given('they have changed their display name to "{typed}"')
def step_changed_name(context, typed):
    """Changes the name while the platform answers; the dashboard shows it, nothing waits."""
    step_change_name(context, typed)
    step_dashboard_shows_name(context, typed)
    expect(_dashboard(context).queued_for_sync).to_be_hidden()


@given('they have changed their display name to "{typed}" while the platform answers late')
def step_changed_name_offline(context, typed):
    """Changes the name; the change waits on the device, the platform has not received it."""
    step_change_name(context, typed)
    step_change_waits(context, typed)
    step_dashboard_offline(context)


@given('they have changed their display name to "{typed}", and the answer was lost')
def step_changed_name_answer_lost(context, typed):
    """Changes the name; the platform applied it but the page never heard, so it waits."""
    step_change_name(context, typed)
    step_dashboard_offline(context)
    step_change_waits(context, typed)
    email = context.learned["signed_in"]
    applied = [c["DisplayName"] for c in profile_changes_of(context.db.users, email)]
    assert applied == [typed], (
        f"the change reached the platform before its answer was lost: "
        f"applied changes of {email} are {applied}, expected [{typed!r}]"
    )


@then('their change waits to be sent, showing "{typed}"')
def step_change_waits(context, typed):
    """The page marks the change as queued for sync, with the name it will send."""
    page = _dashboard(context)
    why = "a change made while the platform does not answer waits on the device, visibly"
    expect(page.queued_for_sync, why).to_be_visible()
    expect(page.queued_name, why).to_have_text(business_value(typed))


@then("the dashboard is online again, with nothing waiting to be sent")
def step_online_again(context):
    """The indicator clears and the queue is empty, once the page asked again."""
    page = _dashboard(context)
    wait = _page_wait_ms(context, retried=True)
    why = "when the platform answers again, the waiting change is sent and the indicator clears"
    expect(page.offline_indicator, why).to_be_hidden(timeout=wait)
    expect(page.queued_for_sync, why).to_be_hidden(timeout=wait)
    expect(page.live_data, why).to_be_visible()


@then('the dashboard shows them as "{typed}"')
def step_dashboard_shows_name(context, typed):
    """The name the platform answered is on the dashboard."""
    page = _dashboard(context)
    why = "the dashboard shows the name the platform keeps"
    expect(page.display_name(page.live_data), why).to_have_text(business_value(typed))


@then('the platform knows them as "{stored}", changed exactly once')
def step_changed_once(context, stored):
    """Spanner: the display name, and one applied change (ProfileChanges) with it."""
    email, name = context.learned["signed_in"], business_value(stored)
    changes = [c["DisplayName"] for c in profile_changes_of(context.db.users, email)]
    deliveries = context.learned.get("deliveries", 0)
    assert changes == [name], (
        f"a change is applied exactly once however often it is sent (its idempotency key "
        f"makes every repeat a replay): {email}'s applied "
        f"changes are {changes} ({len(changes)}), expected [{name!r}]; the network faults "
        f"delivered the change {deliveries} time(s) before the page sent it again itself"
    )
    assert _shown_name(context, email) == name, (
        f"the platform keeps the changed name: {email} is shown as "
        f"{_shown_name(context, email)!r}, expected {name!r}"
    )


@then("the change reached the platform more than once")
def step_reached_more_than_once(context):
    """The faults delivered at least one copy before the page's own successful resend."""
    deliveries = context.learned.get("deliveries", 0)
    assert deliveries >= 1, (
        "the scenario proves nothing unless the change reached the platform before the page "
        f"sent it again: the faults delivered it {deliveries} time(s)"
    )


@then('the platform still knows them as "{name}", with no change applied')
def step_unchanged(context, name):
    """Spanner: the name as it was, and no applied change."""
    email = context.learned["signed_in"]
    changes = profile_changes_of(context.db.users, email)
    assert _shown_name(context, email) == name and changes == [], (
        f"a change not sent or refused changes nothing: {email} is shown as "
        f"{_shown_name(context, email)!r} (expected {name!r}), applied changes {changes}"
    )


@then('they are told "{message}"')
def step_told(context, message):
    """The page says why the platform refused the change, and nothing waits any more. The
    platform answered the change 400 Bad Request (a name it does not take) or 409 Conflict (an
    account the change does not fit)."""
    page = _dashboard(context)
    why = "a change the platform refuses is dropped, telling why"
    expect(page.sync_refused, why).to_contain_text(message)
    expect(page.queued_for_sync, why).to_be_hidden()
    assert_sent_answered(context, "PATCH", PROFILE_API, (400, 409), why)


# --- the key of a change


@when('their browser sends the name "{name}" under the key of their last change')
def step_reuse_key(context, name):
    """Sends another name with the Idempotency-Key of the change the platform applied last."""
    email = context.learned["signed_in"]
    changes = profile_changes_of(context.db.users, email)
    assert changes, f"{email} has no applied change whose key could be sent again"
    response = context.page.request.patch(
        PROFILE_API,
        headers={"Idempotency-Key": changes[-1]["IdempotencyKey"],
                 "Content-Type": "application/json", **csrf_header(context.page)},
        data=json.dumps({"display_name": name}),
    )  # fmt: skip
    context.learned["answer"] = (response.status, response.json())


@then('the platform refuses it, telling them "{message}"')
def step_platform_refuses(context, message):
    """The answer is a refusal (422) with the message."""
    status, body = context.learned["answer"]
    assert status == 422 and message in body.get("error", ""), (
        f"a key sent again with another change is refused: answer {status} {body}, "
        f"expected 422 with {message!r}"
    )
