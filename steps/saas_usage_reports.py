"""SaaS platform usage API: which readings billing takes from a tenant's metering client."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import parse
from behave import register_type, then, when

from pages.saas.usage_api import UsageApi
from queries.saas import tenant_id_by_domain
from queries.saas_operations import usage_readings_of
from spanner.assertions import assert_rows
from spanner.clock import SPANNER_TIMEZONE, spanner_today

METRIC = "api_calls"
TAKEN_RULE = (
    "billing takes any whole number of API calls from 0 up to 9223372036854775807 (the largest "
    "it can store), dated today or up to 35 Los Angeles days ago"
)
REFUSED_RULE = (
    "billing refuses, with the reason and without a server error, a reading that is not a whole "
    "number from 0 to 9223372036854775807, is dated after today or more than 35 days ago, or "
    "whose time is not a date and time"
)
_DAY_AND_TIME = re.compile(r"(?:(today|tomorrow) at (\d{2}:\d{2})|(\d+) days? ago)")


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


@parse.with_pattern(r'"[^"]*"|today at \d{2}:\d{2}|tomorrow at \d{2}:\d{2}|\d+ days? ago')
def parse_reading_time(text: str) -> ReadingTime:
    """`today at 09:00`, `tomorrow at 09:00`, `35 days ago` (at noon), `"yesterday"` (as text)."""
    if text.startswith('"'):
        return ReadingTime(text, written=text[1:-1])
    match = _DAY_AND_TIME.fullmatch(text)
    assert match, f"not a reading time: {text!r}"
    day, at, days_ago = match.groups()
    if days_ago is not None:
        return ReadingTime(text, days_from_today=-int(days_ago))
    return ReadingTime(text, int(day == "tomorrow"), time.fromisoformat(at))


@parse.with_pattern(r'"[^"]*"|\d+\.\d+|\d+')
def parse_reported_amount(text: str) -> str | int | float:
    """`250` a whole number, `1.5` a fraction, `"5"` the text 5."""
    if text.startswith('"'):
        return text[1:-1]
    return float(text) if "." in text else int(text)


register_type(ReadingTime=parse_reading_time, ReportedAmount=parse_reported_amount)


@when(
    'the metering client of "{domain}" reports {amount:ReportedAmount} API calls '
    "dated {when:ReadingTime}"
)
def step_report_reading(context, domain, amount, when):
    """Sends one API-calls reading with the tenant's API key, amount and time as written."""
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    key = context.accounts.secret("api_keys", domain)
    response = UsageApi(context.app.base_url).send_reading(
        tenant_id, key, METRIC, amount, when.sent()
    )
    context.learned.update(
        tenant_id=tenant_id, amount=amount, when=when, response=response,
        reading=f"{amount!r} API calls dated {when.phrase} (sent as {when.sent()!r})",
    )  # fmt: skip


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
    expected = {"MetricType": METRIC, "Value": context.learned["amount"],
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


@then('billing keeps no reading of "{domain}"')
def step_no_reading_kept(context, domain):
    """The tenant has no usage reading at all."""
    assert_rows(
        lambda: usage_readings_of(context.db.billing, context.learned["tenant_id"]),
        [],
        f"billing keeps nothing of a reading it refuses; readings of {domain} after "
        f"{context.learned['reading']}",
        exact=True,
        timeout=0,
    )
