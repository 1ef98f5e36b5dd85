"""SaaS platform: many sign-ups of one domain, and many readings of one tenant, at once.

The writers are released together by harness/concurrent_requests.py; what each sends is in
pages/saas/writers.py; the generic checks (faults on, no server error, retries counted) are in
steps/shared/many_writers.py.
"""

from __future__ import annotations

import re

from behave import then, when
from playwright.sync_api import expect

from harness.writer_bursts import release_writers
from pages.saas.account import UsageScreen
from pages.saas.writers import field_errors, sign_up, sign_up_taken, usage_reading
from pages.shared.login import LoginScreen
from queries.saas import tenant_id_by_domain
from queries.saas.many_writers import tenants_of_domain, usage_readings_with_ids, users_with_emails
from spanner.assertions import assert_rows
from spanner.clock import utc_now

PLAN = "basic"
ALREADY_REGISTERED = "already registered"
ONE_TENANT_PER_DOMAIN = (
    "of many sign-ups of one domain at the same moment exactly one makes the tenant, and the "
    "others are told the domain is already registered"
)
EACH_READING_ONCE = "every reading sent at the same moment is taken and counted exactly once"


@when('{count:d} people sign up "{domain}" at the same moment, each with an email of their own')
def step_sign_ups_at_once(context, count, domain):
    """Each person's browser opens the sign-up page; then all send it filled in together."""
    emails = [f"founder{i}@{domain}" for i in range(1, count + 1)]
    writers = [sign_up(f"Contender {i}", domain, email, PLAN) for i, email in enumerate(emails, 1)]
    burst = release_writers(context, writers, f"{count} sign-ups of {domain} at once")
    context.learned.update(burst=burst, emails=emails, domain=domain)


@then("one sign-up is taken and the {others:d} others are told the domain is already registered")
def step_one_taken(context, others):
    """One answer leads to 'check your email'; every other is the form again (400) saying the
    domain is already registered."""
    burst = context.learned["burst"]
    taken = [o for o in burst.outcomes if o.response is not None and sign_up_taken(o.response)]
    assert len(taken) == 1, f"{ONE_TENANT_PER_DOMAIN}: {len(taken)} were taken; {burst.summary()}"
    refused = [o for o in burst.outcomes if o not in taken]
    unclear = [
        f"{o.describe()}: {field_errors(o.response) if o.response is not None else ''}"
        for o in refused
        if o.response is None
        or o.response.status_code != 400
        or ALREADY_REGISTERED not in field_errors(o.response).get("domain", "")
    ]
    assert len(refused) == others and not unclear, (
        f"{ONE_TENANT_PER_DOMAIN}: of the {len(refused)} others, {len(unclear)} were not told "
        f"so: {'; '.join(unclear[:5])}"
    )
    context.learned["taken email"] = context.learned["emails"][taken[0].writer]


@then('"{domain}" is one tenant, whose only person is the admin of the sign-up taken')
def step_one_tenant(context, domain):
    """One Tenants row with the domain; of the people who signed up, only the one taken is a
    user, the admin of that tenant."""
    tenants = assert_rows(
        lambda: tenants_of_domain(context.db.users, domain),
        [{"Domain": domain}],
        f"{ONE_TENANT_PER_DOMAIN}; tenants of {domain}",
        exact=True,
        timeout=0,
    )
    assert_rows(
        lambda: users_with_emails(context.db.users, context.learned["emails"]),
        [
            {
                "TenantID": tenants[0]["TenantID"],
                "Email": context.learned["taken email"],
                "Role": "admin",
            }
        ],  # fmt: skip
        f"{ONE_TENANT_PER_DOMAIN}; users among the {len(context.learned['emails'])} who signed up",
        exact=True,
        timeout=0,
    )


@when(
    'the metering client of "{domain}" sends {count:d} readings of API calls at the same moment, '
    "of 1 to {last:d} calls"
)
def step_readings_at_once(context, domain, count, last):
    """Readings of 1, 2, ... calls, dated now, all sent together with the tenant's key."""
    assert last == count, f"{count} readings of 1 to {last} calls: one reading per number"
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    key = context.accounts.secret("api_keys", domain)
    now = utc_now().isoformat()
    amounts = list(range(1, count + 1))
    writers = [usage_reading(tenant_id, key, "api_calls", amount, now) for amount in amounts]
    burst = release_writers(context, writers, f"{count} readings of {domain} at once")
    context.learned.update(burst=burst, amounts=amounts, tenant_id=tenant_id)


@then("every reading is taken")
def step_every_reading_taken(context):
    """Every reading is answered 201 Created, with the id billing keeps it under."""
    burst = context.learned["burst"]
    refused = [o for o in burst.outcomes if o.status != 201]
    assert not refused, (
        f"{EACH_READING_ONCE}: {len(refused)} of {len(burst.outcomes)} were not taken: "
        + "; ".join(
            f"{o.describe()} {o.response.text[:200] if o.response else ''}" for o in refused[:5]
        )
    )


@then('billing keeps each of the {count:d} readings of "{domain}" exactly once')
def step_each_reading_once(context, count, domain):
    """The tenant's readings are exactly those answered: each id once, with its amount."""
    burst = context.learned["burst"]
    expected = [
        {"MetricID": o.response.json()["metric_id"], "MetricType": "api_calls", "Value": amount}
        for o, amount in zip(burst.outcomes, context.learned["amounts"], strict=True)
        if o.response is not None
    ]
    assert len(expected) == count, f"{count} readings were to be sent, {len(expected)} answered"
    assert_rows(
        lambda: usage_readings_with_ids(context.db.billing, context.learned["tenant_id"]),
        expected,
        f"{EACH_READING_ONCE}; readings of {domain}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


@then('the usage page of "{email}" shows {calls} API calls today')
def step_usage_page_shows(context, email, calls):
    """Signs in in the browser and opens the usage page: today's API calls, summed."""
    LoginScreen(context.page).open().log_in(email, context.accounts.password_of(email))
    expect(context.page, f"{email} signs in").not_to_have_url(re.compile(r"/login(\?|$)"))
    screen = UsageScreen(context.page).open()
    expect(
        screen.api_calls_today,
        f"{EACH_READING_ONCE}: the usage page sums today's readings, each once",
    ).to_have_text(calls)
