"""SaaS platform operators' console: the tenant list, suspension reasons, and suspensions that
were interrupted before billing heard of them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote_plus

from behave import given, then, when
from playwright.sync_api import expect

from harness.page_answers import assert_page_answered
from pages.saas.admin import AdminTenantsScreen
from pages.saas.console import send_suspension
from pages.shared.login import LoginScreen
from queries.saas import admin_id_by_email, subscriptions_of, tenant_id_by_domain
from queries.saas.operations import add_tenants, suspension_state, tenant_count
from spanner.assertions import assert_rows
from spanner.query import Row

REASON_RULE = (
    "a suspension reason is 5 to 500 characters (characters, not bytes), spaces around it not "
    "counted"
)
REPAIR_RULE = (
    "a suspension interrupted before billing heard of it is finished the next time an operator "
    "works in the console"
)
REASON_WORDS = "Invoices unpaid for three months despite four reminders; card declined. "
# Letters of two UTF-8 bytes each, from the first: 4 characters are 5 bytes or more and 500
# characters far more than 500 bytes, so a limit counted in bytes gives another answer.
ACCENTED_WORDS = "Überfällige Rechnungen: drei Monate, vier Mahnungen; Kärtchen abgelehnt. "


def reason_of_length(length: int, words: str = REASON_WORDS) -> str:
    """A plausible reason of exactly `length` characters, with no space at either end."""
    text = (words * (length // len(words) + 1))[:length]
    return text if not text.endswith(" ") else f"{text[:-1]}."


def generated_tenants(count: int, now: datetime) -> list[Row]:
    """`count` active tenants on the Basic plan, numbered from 1."""
    return [
        {"TenantID": f"tenant-generated-{n:04d}", "Name": f"Generated Tenant {n:04d}",
         "Domain": f"tenant-{n:04d}.generated.example.com", "Plan": "basic",
         "Status": "active", "CreatedAt": now, "UpdatedAt": now}
        for n in range(1, count + 1)
    ]  # fmt: skip


def assert_suspension_state(context, domain: str, rule: str, expected: list[Row]) -> None:
    """The tenant's status and suspensions are exactly the expected rows."""
    assert_rows(
        lambda: suspension_state(context.db.users, domain),
        expected,
        f"{rule}; status and suspensions of {domain}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )


# --- signing in, the tenant list


@given('"{email}" is signed in to the operators\' console')
@when('"{email}" signs in to the operators\' console')
def step_operator_signs_in(context, email):
    """Signs the operator in with the password from the accounts file; the tenant list opens."""
    LoginScreen(context.page).open().log_in(email, context.accounts.password_of(email))
    expect(AdminTenantsScreen(context.page).tenant_search).to_be_visible()
    context.learned["operator"] = email


@given("the platform has {count:d} tenants")
def step_platform_has_tenants(context, count):
    """Adds generated active tenants, in one write, until the platform has that many."""
    missing = count - tenant_count(context.db.users)
    assert missing >= 0, f"the fixtures already hold more than {count} tenants"
    add_tenants(context.db.users, generated_tenants(missing, datetime.now(UTC)))


@when('they search the console for "{text}"')
def step_search_console(context, text):
    """Types the text into the console's search and sends it."""
    screen = AdminTenantsScreen(context.page)
    screen.search(text)
    expect(context.page).to_have_url(re.compile(rf"[?&]q={re.escape(quote_plus(text))}"))


@then("the console lists {limit:d} of them")
def step_console_lists(context, limit):
    """The tenant list shows exactly that many tenants."""
    expect(
        AdminTenantsScreen(context.page).listed_tenants,
        "the console lists at most 100 tenants at a time, searched or not, and all of them up "
        f"to that ({limit} expected at {context.page.url})",
    ).to_have_count(limit)


# --- suspension reasons


@when('they suspend "{domain}" giving a reason of {length:d} characters')
def step_suspend_with_reason(context, domain, length):
    """Sends the tenant's suspension form with a reason of exactly that many characters."""
    suspend(context, domain, reason_of_length(length))


@when('they suspend "{domain}" giving a reason of {length:d} characters between spaces')
def step_suspend_with_padded_reason(context, domain, length):
    """Sends the suspension form with a reason of that many characters, spaces around it."""
    suspend(context, domain, f"   {reason_of_length(length)}   ")


@when('they suspend "{domain}" giving a reason of {length:d} characters, with accented letters')
def step_suspend_with_accented_reason(context, domain, length):
    """Sends the suspension form with a reason of that many characters, most of two bytes."""
    suspend(context, domain, reason_of_length(length, ACCENTED_WORDS))


@when('they send straight the suspension of "{domain}" giving a reason of {length:d} characters')
def step_send_suspension_straight(context, domain, length):
    """Sends the suspension with that reason without the form, which stops typing at 500."""
    send_straight(context, domain, reason_of_length(length))


@when(
    'they send straight the suspension of "{domain}" giving a reason of {length:d} characters, '
    "with accented letters"
)
def step_send_accented_suspension_straight(context, domain, length):
    """Sends the suspension with that reason of accented letters without the form."""
    send_straight(context, domain, reason_of_length(length, ACCENTED_WORDS))


def send_straight(context, domain: str, reason: str) -> None:
    send_suspension(context.page, tenant_id_by_domain(context.db.users, domain), reason)
    context.learned["reason"] = reason


def suspend(context, domain: str, reason: str) -> None:
    AdminTenantsScreen(context.page).suspend(domain, reason)
    context.learned["reason"] = reason


@when('they write a reason of {length:d} characters to suspend "{domain}"')
def step_write_long_reason(context, length, domain):
    """Opens the tenant's suspension form and types the reason, without sending it."""
    write_reason(context, domain, reason_of_length(length))


@when('they write a reason of {length:d} characters, with accented letters, to suspend "{domain}"')
def step_write_long_accented_reason(context, length, domain):
    """Opens the tenant's suspension form and types the accented reason, without sending it."""
    write_reason(context, domain, reason_of_length(length, ACCENTED_WORDS))


def write_reason(context, domain: str, reason: str) -> None:
    screen = AdminTenantsScreen(context.page)
    screen.start_suspension(domain)
    context.learned["reason"] = reason
    screen.write_reason(reason)


@then('the suspension is refused: "{message}"')
def step_suspension_refused(context, message):
    """The console shows why next to the reason, answered 400 Bad Request."""
    rule = (
        f"{REASON_RULE}: a reason of {len(context.learned['reason'].strip())} characters is "
        "refused with the console's explanation"
    )
    expect(AdminTenantsScreen(context.page).reason_problem, rule).to_have_text(message)
    assert_page_answered(context, 400, rule)


@then('"{domain}" is still active, with no suspension recorded')
def step_still_active(context, domain):
    """Rule: a refused suspension writes nothing: the tenant is active, with no suspension."""
    reason = context.learned["reason"]
    assert_suspension_state(
        context, domain, f"{REASON_RULE}: a reason of {len(reason.strip())} characters is refused",
        [{"Status": "active", "Reason": None}],
    )  # fmt: skip


@then('"{domain}" is suspended for that reason')
def step_suspended_for_reason(context, domain):
    """The console confirms; the reason (trimmed) and the operator are recorded."""
    reason = context.learned["reason"].strip()
    expect(
        AdminTenantsScreen(context.page).suspension_success,
        f"{REASON_RULE}: the console takes a reason of {len(reason)} characters",
    ).to_be_visible()
    operator = admin_id_by_email(context.db.users, context.learned["operator"])
    assert_suspension_state(
        context, domain, f"{REASON_RULE}: a reason of {len(reason)} characters is taken",
        [{"Status": "suspended", "Reason": reason, "SuspendedBy": operator}],
    )  # fmt: skip


@then("the reason stops at its first {limit:d} characters")
def step_reason_stops(context, limit):
    """The reason box holds only the first characters typed: the browser cannot send more."""
    typed = context.learned["reason"]
    assert len(typed) > limit, f"the reason typed has {len(typed)} characters, not over {limit}"
    expect(
        AdminTenantsScreen(context.page).reason_box,
        f"{REASON_RULE}: the console takes no more than {limit} characters of a reason",
    ).to_have_value(typed[:limit])


# --- suspensions interrupted before billing heard of them


@given('the suspension of "{domain}" stopped before billing heard of it')
def step_suspension_interrupted(context, domain):
    """Checks the seed: suspended, billing not told, the subscription still active."""
    assert_suspension_state(
        context, domain, "the fixtures hold a suspension billing never heard of",
        [{"Status": "suspended", "BillingSyncedAt": None}],
    )  # fmt: skip
    subscription_is(context, domain, "active", "the fixtures keep its subscription active")


@given('"{domain}" was reinstated after a suspension billing never heard of')
def step_reinstated(context, domain):
    """Checks the seed: active again, an old suspension billing was not told of."""
    assert_suspension_state(
        context, domain, "the fixtures hold a reinstated tenant with an old suspension",
        [{"Status": "active", "BillingSyncedAt": None}],
    )  # fmt: skip
    subscription_is(context, domain, "active", "the fixtures keep its subscription active")


@then('billing has suspended the subscription of "{domain}"')
def step_billing_caught_up(context, domain):
    """Rule: the interrupted suspension reaches billing: the subscription is suspended."""
    subscription_is(context, domain, "suspended", REPAIR_RULE)


@then('the suspension of "{domain}" is marked as known to billing')
def step_marked_known(context, domain):
    """Rule: once billing has it, the suspension is marked, so it is not passed on again."""
    assert_suspension_state(
        context, domain, f"{REPAIR_RULE}, and then marked as passed on to billing",
        [{"Status": "suspended", "BillingSyncedAt": "<not null>"}],
    )  # fmt: skip


@then('the subscription of "{domain}" stays active')
def step_subscription_stays_active(context, domain):
    """Rule: a tenant reinstated since is not suspended again by an old suspension."""
    subscription_is(
        context, domain, "active",
        "only tenants still suspended are caught up with: an old suspension of a reinstated "
        "tenant leaves its subscription active",
    )  # fmt: skip


def subscription_is(context, domain: str, status: str, rule: str) -> None:
    tenant_id = tenant_id_by_domain(context.db.users, domain)
    assert_rows(
        lambda: subscriptions_of(context.db.billing, tenant_id),
        [{"Status": status}],
        f"{rule}; subscriptions of {domain}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )
