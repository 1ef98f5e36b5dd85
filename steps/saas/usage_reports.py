"""SaaS platform usage API: which readings billing takes from a tenant's metering client."""

from __future__ import annotations

from behave import given, then, when

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from pages.saas.usage_api import UsageApi
from products.saas.step_types import METRICS, MOST_IN_ONE_READING, ReadingTime, parse_reading_time
from queries.saas import tenant_id_by_domain
from queries.saas.operations import usage_readings_of
from spanner.assertions import assert_rows

TAKEN_RULE = (
    "billing takes any whole number of any metric from 0 up to a billion in one reading "
    f"({MOST_IN_ONE_READING}), dated today or up to 35 Los Angeles days ago"
)
REFUSED_RULE = (
    "billing refuses, with the reason and without a server error, a reading that is not a whole "
    f"number from 0 to {MOST_IN_ONE_READING}, is dated after today, more than 35 days ago or on a "
    "day before the tenant's account was created, whose time is not a date and time, or whose "
    "JSON nests deeper than 16 levels or holds a number of more than 30 digits"
)
# an id no tenant has: the platform makes its tenants' ids itself, never this one
ID_OF_NO_TENANT = "tenant-the-platform-does-not-have"
KEY_RULE = (
    "the usage API takes a reading only with the tenant's own, unrevoked key, and none for a "
    "suspended tenant"
)


def api_key(context, domain: str, choice: str) -> str | None:
    """`no key` (None), `a made-up key`, `its revoked key`, `the key of "<domain>"`."""
    if choice == "no key":
        return None
    if choice == "a made-up key":
        return "sk_test_made_up_000"
    if choice == "its revoked key":
        return context.accounts.secret("api_keys", f"{domain} revoked")
    return context.accounts.secret("api_keys", choice.removeprefix("the key of ").strip('"'))


# how the key is put in the request's Authorization header, other than "Bearer <key>"
KEY_SENT = {
    'labelled "Token" instead of "Bearer"': "Token {key}",
    'labelled "Basic" instead of "Bearer"': "Basic {key}",
    'left out after the word "Bearer"': "Bearer",
}


def send(
    context,
    domain: str,
    key: str | None,
    metric: str,
    amount,
    when: ReadingTime,
    authorization: str = "Bearer {key}",
    tenant_id: str | None = None,
) -> None:
    """Sends the reading for the domain's tenant (or for `tenant_id`, if given)."""
    tenant_id = tenant_id or tenant_id_by_domain(context.db.users, domain)
    response = UsageApi(context.app.base_url).send_reading(
        tenant_id, key, metric, amount, when.sent(), authorization
    )
    context.learned.update(
        tenant_id=tenant_id, amount=amount, metric=metric, when=when, response=response,
        reading=f"{amount!r} {metric} of {domain} dated {when.phrase} (sent as {when.sent()!r})",
    )  # fmt: skip


@when(
    'the metering client of "{domain}" reports {amount:ReportedAmount} {metric:Metric} '
    "dated {when:ReadingTime}"
)
def step_report_reading(context, domain, amount, metric, when):
    """Sends one reading with the tenant's API key, amount and time as written."""
    send(context, domain, context.accounts.secret("api_keys", domain), metric, amount, when)


@when(
    'the metering client of "{domain}" reports {amount:ReportedAmount} {metric:Metric} '
    "dated {when:ReadingTime} with {key:KeyChoice}"
)
def step_report_reading_with_key(context, domain, amount, metric, when, key):
    """Sends one reading for the tenant, with the key named (or none)."""
    send(context, domain, api_key(context, domain, key), metric, amount, when)
    context.learned["reading"] += f" with {key}"


@when(
    'the metering client of "{domain}" reports {amount:ReportedAmount} {metric:Metric} '
    "dated {when:ReadingTime} for a tenant the platform does not have"
)
def step_report_for_no_tenant(context, domain, amount, metric, when):
    """Sends one reading with the tenant's own key, to the address of an id no tenant has."""
    key = context.accounts.secret("api_keys", domain)
    send(context, domain, key, metric, amount, when, tenant_id=ID_OF_NO_TENANT)
    context.learned["reading"] += " for a tenant the platform does not have"


@when(
    'the metering client of "{domain}" reports {amount:ReportedAmount} {metric:Metric} '
    "dated {when:ReadingTime} with its own key {how}"
)
def step_report_reading_key_sent(context, domain, amount, metric, when, how):
    """Sends one reading with the tenant's own key, put in the request other than as a bearer
    key: 'labelled "Token" instead of "Bearer"', 'labelled "Basic" instead of "Bearer"', 'left out
    after the word "Bearer"'."""
    assert how in KEY_SENT, f"say one of: {'; '.join(KEY_SENT)}; not {how!r}"
    key = context.accounts.secret("api_keys", domain)
    send(context, domain, key, metric, amount, when, KEY_SENT[how])
    context.learned["reading"] += f" with its own key {how}"


@then("the reading is taken")
def step_reading_taken(context):
    """The usage API answers 201 Created."""
    response, reading = context.learned["response"], context.learned["reading"]
    assert response.status_code == 201, (
        f"{TAKEN_RULE}: {reading} was answered {response.status_code}: {response.text}"
    )


@then('billing keeps exactly that reading of "{domain}"')
def step_reading_kept(context, domain):
    """The tenant's only reading: the amount, the moment and the Los Angeles day it falls on."""
    moment = context.learned["when"].moment()
    expected = {"MetricType": context.learned["metric"], "Value": context.learned["amount"],
                "RecordedAt": moment, "Period": moment.date()}  # fmt: skip
    assert_rows(
        lambda: usage_readings_of(context.db.billing, context.learned["tenant_id"]),
        [expected],
        f"{TAKEN_RULE}, and keeps it as reported, on the Los Angeles day it happened; readings "
        f"of {domain} after {context.learned['reading']}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then('the reading is refused because it "{reason}"')
def step_reading_refused(context, reason):
    """The usage API answers 400 Bad Request, and its error message gives the reason."""
    response, reading = context.learned["response"], context.learned["reading"]
    assert response.status_code == 400, (
        f"{REFUSED_RULE}: {reading} must be answered 400, was {response.status_code}: "
        f"{response.text}"
    )
    error = response.json().get("error", "")
    assert reason in error, (
        f"{REFUSED_RULE}: the answer to {reading} must say it {reason!r}, it says {error!r}"
    )


@then('the reading is refused as coming from no known key: "{reason}"')
def step_refused_unknown_key(context, reason):
    """The usage API answers 401 Unauthorized, and says why."""
    refused_with(context, 401, reason)


@then('the reading is refused as for no tenant the platform has: "{reason}"')
def step_refused_no_tenant(context, reason):
    """The usage API answers 404 Not Found, and says why."""
    refused_with(context, 404, reason)


@then('the reading is refused as not this key\'s to report: "{reason}"')
def step_refused_forbidden(context, reason):
    """The usage API answers 403 Forbidden, and says why."""
    refused_with(context, 403, reason)


def refused_with(context, status: int, reason: str) -> None:
    response, reading = context.learned["response"], context.learned["reading"]
    assert response.status_code == status, (
        f"{KEY_RULE}: {reading} must be answered {status}, was {response.status_code}: "
        f"{response.text}"
    )
    error = response.json().get("error", "")
    assert reason in error, f"{KEY_RULE}: the answer to {reading} must say {reason!r}: {error!r}"


@then('billing keeps no reading of "{domain}"')
def step_no_reading_kept(context, domain):
    """The tenant has no usage reading at all."""
    assert_rows(
        lambda: usage_readings_of(
            context.db.billing, tenant_id_by_domain(context.db.users, domain)
        ),
        [],
        f"billing keeps nothing of a reading it refuses; readings of {domain} after "
        f"{context.learned['reading']}",
        exact=True,
        timeout=0,
    )


# --- the usage page: what a tenant's readings add up to, per Los Angeles day

PAGE_RULE = (
    "the usage page shows, for today's Los Angeles day and for the tenant alone, its API calls "
    "summed, its latest storage reading and the peak of its active users"
)


@given('the metering client of "{domain}" has reported, in this order:')
def step_has_reported(context, domain):
    """Sends each row (metric, amount, dated) through the usage API with the tenant's key."""
    key = context.accounts.secret("api_keys", domain)
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    api = UsageApi(context.app.base_url)
    sent = []
    for row in context.table:
        when = parse_reading_time(row["dated"])
        metric = METRICS[row["metric"]]
        response = api.send_reading(tenant_id, key, metric, int(row["amount"]), when.sent())
        assert response.status_code == 201, (
            f"{TAKEN_RULE}: {dict(row.items())} of {domain} answered {response.status_code}: "
            f"{response.text}"
        )
        sent.append({"MetricType": metric, "Value": int(row["amount"]),
                     "RecordedAt": when.moment(), "Period": when.moment().date()})  # fmt: skip
    context.learned[f"readings of {domain}"] = sent


@then('billing keeps each of those readings of "{domain}" on the Los Angeles day it happened')
def step_readings_on_their_day(context, domain):
    """Every reading sent, and no other, with the Los Angeles day of its time as its day."""
    assert_rows(
        lambda: usage_readings_of(
            context.db.billing, tenant_id_by_domain(context.db.users, domain)
        ),
        context.learned[f"readings of {domain}"],
        f"{TAKEN_RULE}, on the Los Angeles day each happened; readings of {domain}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )
