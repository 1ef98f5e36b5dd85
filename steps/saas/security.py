"""SaaS platform security: the emailed link opened by a mail scanner, sign-ups that held a
domain too long, and usage reports too large, too deep or beyond what billing adds up."""

from __future__ import annotations

from datetime import date

from behave import given, then, when

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from pages.saas.mail_scanner import has_confirm_button, open_link, session_cookies_set
from pages.saas.raw_usage_client import RawAnswer, RawUsageClient
from pages.saas.signup import verification_link
from pages.saas.usage_api import UsageApi
from queries.saas import tenant_id_by_domain
from queries.saas.accounts import link_state, tenants_named
from queries.saas.operations import usage_readings_of
from spanner.assertions import assert_rows
from spanner.clock import spanner_today

SCANNER_RULE = (
    "opening the emailed link (a mail scanner's GET) changes nothing: only pressing its button "
    "confirms the address and starts a session"
)
PENDING_RULE = (
    "a sign-up not confirmed within 24 hours no longer holds its domain or its admin's "
    "address: the next sign-up removes it"
)
BODY_CAP_RULE = (
    "the usage API checks the key and a report's size before reading it: a report over 16 KB "
    "is refused with 413 without the platform waiting for its body"
)
ANSWER_BOUND_SECONDS = 10.0  # the app answers a refusal in milliseconds
LARGEST_COUNT = 2**63 - 1
# how each report is written: the JSON text sent as it is
REPORTS = {
    "nested 5,000 levels deep": lambda: _nested(5000),
    "nested 17 levels deep": lambda: _nested(17),
    "nested 16 levels deep": lambda: _nested(16),
    "whose value has 5,000 digits": lambda: _with_value("9" * 5000),
    "whose value has 31 digits": lambda: _with_value("1" + "0" * 30),
    "whose value has 30 digits": lambda: _with_value("1" + "0" * 29),
    "whose date is a text of 20 brackets after a quote": lambda: (
        '{"metric_type": "api_calls", "value": 1, "recorded_at": "\\"' + "[" * 20 + '"}'
    ),
    # a space inside a text ends nothing either (only a quote that is not escaped does)
    "whose date is a text of 20 brackets after a space": lambda: (
        '{"metric_type": "api_calls", "value": 1, "recorded_at": " ' + "[" * 20 + '"}'
    ),
    # the quotes inside the text end nothing: the brackets after the text are all counted
    "nested 17 levels deep after a text with quotes in it": lambda: _nested(
        17, metric='api \\"calls\\"'
    ),
    # a list that closes ends one level: lists side by side are no deeper than one of them
    "whose date holds 20 empty lists side by side": lambda: (
        '{"metric_type": "api_calls", "value": 1, "recorded_at": [' + ", ".join(["[]"] * 20) + "]}"
    ),
    "nested 17 levels deep after an empty list beside it": lambda: (
        '{"metric_type": "api_calls", "value": 1, "recorded_at": [[], ' + "[" * 15 + "]" * 15 + "]}"
    ),
    "that is cut off before its end": lambda: '{"metric_type": "api_calls", "value": 1',
    "written in Latin-1 instead of UTF-8": lambda: (
        '{"metric_type": "api_calls", "value": 1, "source": "Zoë\'s café"}'.encode("latin-1")
    ),
}


def _nested(depth: int, metric: str = "api_calls") -> str:
    """A report object (depth 1) whose recorded_at nests arrays to ``depth`` in all."""
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    return f'{{"metric_type": "{metric}", "value": 1, "recorded_at": {inner}}}'


def _with_value(digits: str) -> str:
    return f'{{"metric_type": "api_calls", "value": {digits}}}'


# --- the emailed link opened by a mail scanner


@when('a mail scanner opens the verification link emailed to "{email}"')
def step_scanner_opens_link(context, email):
    """A plain GET of the emailed link, without the person's browser or cookies."""
    context.learned["scanner answer"] = open_link(verification_link(context.mail, email))


@given('a mail scanner has opened the verification link emailed to "{email}"')
def step_scanner_has_opened_link(context, email):
    """As the When, then checks the scanner was shown the page with the button."""
    step_scanner_opens_link(context, email)
    step_scanner_shown_button(context)


@then("the scanner is shown the button to press, and given no session")
def step_scanner_shown_button(context):
    """The link's page answers 200 with the confirmation button and sets no session cookie."""
    answer = context.learned["scanner answer"]
    assert answer.status_code == 200 and has_confirm_button(answer), (
        f"{SCANNER_RULE}: the scanner must be shown the page with the button, got "
        f"{answer.status_code}: {answer.text[:300]}"
    )
    cookies = session_cookies_set(answer)
    assert not cookies, f"{SCANNER_RULE}: the scanner was given a session: {cookies}"


@then('the link of "{email}" is unused, their account waits for it and no session of theirs exists')
def step_link_unused(context, email):
    """In Spanner: the link not used, the admin and the tenant still pending, no session."""
    state = link_state(context.db.users, email)
    assert state is not None, f"no person {email} in the users database"
    found = {key: state[key] for key in ("UserStatus", "TenantStatus", "UsedLinks", "Sessions")}
    expected = {"UserStatus": "pending_verification", "TenantStatus": "pending_verification",
                "UsedLinks": 0, "Sessions": 0}  # fmt: skip
    assert state["Links"] == 1 and found == expected, (
        f"{SCANNER_RULE}: after the scanner opened the link of {email}, Spanner holds {found} "
        f"({state['Links']} link(s)), expected {expected} (one link)"
    )


# --- sign-ups that held a domain too long


@then('nothing is left of the sign-up of "{company}"')
def step_nothing_left_of_sign_up(context, company):
    """No tenant of that name: its admin, link and wizard state went with it."""
    assert_rows(
        lambda: tenants_named(context.db.users, company),
        [],
        f"{PENDING_RULE}; tenants named {company}",
        exact=True,
        timeout=0,
    )


# --- usage reports too large to read


def _raw_client(context) -> RawUsageClient:
    return RawUsageClient(context.app.base_url, ANSWER_BOUND_SECONDS)


def _learn(context, domain: str, answer: RawAnswer, reading: str) -> None:
    context.learned.update(raw_answer=answer, reading=f"{reading} of {domain}")


@when(
    'the metering client of "{domain}" announces a usage report of {mb:d} MB and sends none of '
    "it yet"
)
def step_announce_large_report(context, domain, mb):
    """Sends the headers of a report of that length (Content-Length) with its own key."""
    answer = _raw_client(context).announce(
        tenant_id_by_domain(context.db.users, domain),
        context.accounts.secret("api_keys", domain),
        mb * 1024 * 1024,
    )
    _learn(context, domain, answer, f"a report announced as {mb} MB, none of it sent")


@when(
    'the metering client of "{domain}" sends the first {kb:d} KB of a usage report without '
    "announcing its length"
)
def step_stream_large_report(context, domain, kb):
    """Sends that much of a chunked report with its own key, then no more, and waits."""
    answer = _raw_client(context).stream(
        tenant_id_by_domain(context.db.users, domain),
        context.accounts.secret("api_keys", domain),
        kb * 1024,
    )
    _learn(context, domain, answer, f"the first {kb} KB of a report of unannounced length")


@when('a stranger announces a usage report of {mb:d} MB for "{domain}" with a made-up key')
def step_stranger_announces_report(context, domain, mb):
    """As the metering client's announcement, with a key nobody was given."""
    answer = _raw_client(context).announce(
        tenant_id_by_domain(context.db.users, domain), "sk_test_made_up_000", mb * 1024 * 1024
    )
    _learn(context, domain, answer, f"a report announced as {mb} MB with a made-up key")


def _refused_unread(context, status: int, words: str) -> None:
    answer, reading = context.learned["raw_answer"], context.learned["reading"]
    assert not answer.waited, (
        f"{BODY_CAP_RULE}: {reading} got no answer within {ANSWER_BOUND_SECONDS:.0f} s: the "
        "platform waited to read a body it must refuse unread"
    )
    assert answer.status == status and words in answer.error(), (
        f"{BODY_CAP_RULE}: {reading} must be answered {status} saying {words!r}, was "
        f"{answer.status}: {answer.body[:300]!r}"
    )


@then("the report is refused as too large, without waiting for its body")
def step_refused_too_large(context):
    """413 Content Too Large, answered before the rest of the body was sent."""
    _refused_unread(context, 413, "too large")


@then("the report is refused as coming from no known key, without waiting for its body")
def step_refused_key_unread(context):
    """401 for the key, answered before any of the body was sent."""
    _refused_unread(context, 401, "unknown or revoked API key")


@when(
    'the metering client of "{domain}" sends a report of {amount:d} API calls padded to exactly '
    "{size:ReportSize}, {announce:Announcing}"
)
def step_send_padded_report(context, domain, amount, size, announce):
    """A valid report, padded with spaces to that many bytes, sent with the tenant's key."""
    text = f'{{"metric_type": "api_calls", "value": {amount}}}'.encode()
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    response = UsageApi(context.app.base_url).send_padded(
        tenant_id,
        context.accounts.secret("api_keys", domain),
        text + b" " * (size - len(text)),
        announce,
    )
    how = "its length announced" if announce else "its length not announced"
    context.learned.update(
        tenant_id=tenant_id, response=response,
        reading=f"a report of {amount} API calls of {domain}, {size} bytes, {how}",
    )  # fmt: skip


@then("the report is taken")
def step_report_taken(context):
    """201 Created: a report within the cap is read whole."""
    response, reading = context.learned["response"], context.learned["reading"]
    assert response.status_code == 201, (
        f"{BODY_CAP_RULE}; a report of 16 KB or less is read and taken: {reading} was answered "
        f"{response.status_code}: {response.text[:300]}"
    )


@then("the report is refused as too large")
def step_report_refused_too_large(context):
    """413 Content Too Large, saying so."""
    response, reading = context.learned["response"], context.learned["reading"]
    assert response.status_code == 413 and "too large" in response.text, (
        f"{BODY_CAP_RULE}: {reading} must be answered 413, was {response.status_code}: "
        f"{response.text[:300]}"
    )


@then('billing keeps one reading of {amount:d} API calls of "{domain}"')
def step_one_reading_kept(context, amount, domain):
    """The tenant's only reading, of today."""
    assert_rows(
        lambda: usage_readings_of(
            context.db.billing, tenant_id_by_domain(context.db.users, domain)
        ),
        [{"MetricType": "api_calls", "Value": amount, "Period": spanner_today()}],
        f"{BODY_CAP_RULE}; readings of {domain} after {context.learned['reading']}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


# --- readings billing adds up, and reports it will not decode


@given(
    'billing keeps, from before the cap, {count:d} readings of "{domain}" of today, each of '
    "the largest count billing can store"
)
def step_legacy_readings(context, count, domain):
    """Checks the feature's data: that many readings of today, each 2^63-1 API calls."""
    today: date = spanner_today()
    assert_rows(
        lambda: usage_readings_of(
            context.db.billing, tenant_id_by_domain(context.db.users, domain)
        ),
        [{"MetricType": "api_calls", "Value": LARGEST_COUNT, "Period": today}] * count,
        f"the feature's data: {count} readings of {domain} kept from before the cap",
        exact=True,
        timeout=0,
    )


@when('the metering client of "{domain}" sends a usage report {what}')
def step_send_report_text(context, domain, what):
    """Sends the report's JSON text as written, with the tenant's key."""
    assert what in REPORTS, f"say one of: {', '.join(REPORTS)}; not {what!r}"
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    response = UsageApi(context.app.base_url).send_body(
        tenant_id, context.accounts.secret("api_keys", domain), REPORTS[what]()
    )
    context.learned.update(
        tenant_id=tenant_id, response=response, reading=f"a report {what} of {domain}"
    )
