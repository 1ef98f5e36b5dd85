"""SaaS platform usage API: which readings billing takes from a tenant's metering client."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import parse
from behave import given, register_type, then, when

from pages.saas.usage_api import UsageApi
from queries.saas import tenant_id_by_domain
from queries.saas_operations import usage_readings_of
from spanner.assertions import assert_rows
from spanner.clock import SPANNER_TIMEZONE, spanner_today

LARGEST_COUNT = 2**63 - 1  # "the largest count billing can store": Spanner's INT64 limit
MOST_IN_ONE_READING = 1_000_000_000  # "a billion": the most one reading may count
AMOUNT_WORDS = {
    "a billion": MOST_IN_ONE_READING,
    "a billion and one": MOST_IN_ONE_READING + 1,
    "the largest count billing can store": LARGEST_COUNT,
    "one more than the largest count billing can store": LARGEST_COUNT + 1,
}
METRICS = {"API calls": "api_calls", "GB of storage": "storage_gb", "active users": "active_users"}
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
KEY_RULE = (
    "the usage API takes a reading only with the tenant's own, unrevoked key, and none for a "
    "suspended tenant"
)
_DAY_AND_TIME = re.compile(r"(?:(yesterday|today|tomorrow) at (\d{2}:\d{2})|(\d+) days? ago)")
_DAY_OFFSET = {"yesterday": -1, "today": 0, "tomorrow": 1}


@dataclass(frozen=True)
class ReadingTime:
    """When a reading happened, as the feature says it: a Los Angeles day and time of day, or
    text sent exactly as written."""

    phrase: str
    days_from_today: int = 0
    at: time = time(12, 0)
    written: str | None = None

    def moment(self) -> datetime:
        """The moment on Spanner's (Los Angeles) calendar; noon keeps "N days ago" well inside
        its day."""
        day = spanner_today() + timedelta(days=self.days_from_today)
        return datetime.combine(day, self.at, SPANNER_TIMEZONE)

    def sent(self) -> str:
        return self.written if self.written is not None else self.moment().isoformat()


@parse.with_pattern(r'"[^"]*"|(?:yesterday|today|tomorrow) at \d{2}:\d{2}|\d+ days? ago')
def parse_reading_time(text: str) -> ReadingTime:
    """`today at 09:00`, `yesterday at 23:30`, `tomorrow at 09:00` (Los Angeles time), `35 days
    ago` (at noon), `"yesterday"` (sent as that text)."""
    if text.startswith('"'):
        return ReadingTime(text, written=text[1:-1])
    match = _DAY_AND_TIME.fullmatch(text)
    assert match, f"not a reading time: {text!r}"
    day, at, days_ago = match.groups()
    if days_ago is not None:
        return ReadingTime(text, days_from_today=-int(days_ago))
    return ReadingTime(text, _DAY_OFFSET[day], time.fromisoformat(at))


@parse.with_pattern(
    r'"[^"]*"|-?\d+\.\d+|-?\d+|a billion(?: and one)?'
    r"|(?:one more than )?the largest count billing can store"
)
def parse_reported_amount(text: str) -> str | int | float:
    """`250` a whole number, `1.5` a fraction, `"5"` the text 5, `a billion` (the most one
    reading may count), `a billion and one`, `the largest count billing can store` (2^63-1) and
    `one more than the largest count billing can store`."""
    if text in AMOUNT_WORDS:
        return AMOUNT_WORDS[text]
    if text.startswith('"'):
        return text[1:-1]
    return float(text) if "." in text else int(text)


@parse.with_pattern("|".join(METRICS))
def parse_metric(text: str) -> str:
    """`API calls`, `GB of storage`, `active users`: the metric the API is told."""
    return METRICS[text]


@parse.with_pattern(r'no key|a made-up key|its revoked key|the key of "[^"]+"')
def parse_key_choice(text: str) -> str:
    """Which key the metering client sends; resolved against the accounts file by `api_key`."""
    return text


register_type(
    ReadingTime=parse_reading_time, ReportedAmount=parse_reported_amount, Metric=parse_metric,
    KeyChoice=parse_key_choice,
)  # fmt: skip


def api_key(context, domain: str, choice: str) -> str | None:
    """`no key` (None), `a made-up key`, `its revoked key`, `the key of "<domain>"`."""
    if choice == "no key":
        return None
    if choice == "a made-up key":
        return "sk_test_made_up_000"
    if choice == "its revoked key":
        return context.accounts.secret("api_keys", f"{domain} revoked")
    return context.accounts.secret("api_keys", choice.removeprefix("the key of ").strip('"'))


def send(context, domain: str, key: str | None, metric: str, amount, when: ReadingTime) -> None:
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    response = UsageApi(context.app.base_url).send_reading(
        tenant_id, key, metric, amount, when.sent()
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
