"""SaaS platform: an operator lifts a person's sign-in lock from the console, and no one else
can. Locking someone out is the generic steps' (steps/shared/security.py)."""

from __future__ import annotations

from behave import then, when
from playwright.sync_api import expect

from pages.saas.sign_in_locks import LockedSignInsScreen, send_unlock
from queries.saas import tenant_id_by_domain
from queries.saas.unlock import person_by_email, unlocks_of
from queries.shared.security import lock_of

# an id no person has: the platform makes its people's ids itself, never this one
ID_OF_NO_PERSON = "user-the-tenant-does-not-have"
UNLOCK_RULE = (
    "only a platform operator lifts a sign-in lock before its time is over, and each unlock is "
    "recorded with the operator (app/saas/sign_in_locks.py, POST /admin/tenants/…/unlock)"
)


@when('they unlock the sign-in of "{email}"')
def step_unlock(context, email):
    """In the console: the tenant's locked sign-ins, then the person's "Unlock sign-in"."""
    domain = person_by_email(context.db.users, email)["Domain"]
    LockedSignInsScreen(context.page).open_from_console(domain).unlock(email)


@when('they send straight the unlocking of "{email}"')
def step_send_unlock(context, email):
    """Sends the console's unlock by hand, from the page open."""
    person = person_by_email(context.db.users, email)
    send_unlock(context.page, person["TenantID"], person["UserID"])


@when('they send straight the unlocking of a person "{domain}" does not have')
def step_send_unlock_of_no_one(context, domain):
    """Sends the console's unlock by hand for an id no person of the tenant has."""
    send_unlock(context.page, tenant_id_by_domain(context.db.users, domain), ID_OF_NO_PERSON)


@then('the console says the sign-in of "{email}" is unlocked, and no longer lists it as locked')
def step_console_says_unlocked(context, email):
    """The console's notice names the person; their row is gone from the locked list."""
    screen = LockedSignInsScreen(context.page)
    expect(screen.success, UNLOCK_RULE).to_have_text(f"The sign-in of {email} is unlocked.")
    expect(screen.person(email), f"{UNLOCK_RULE}: {email} still listed").to_have_count(0)


@then(
    'Spanner keeps no lock or wrong password of "{email}", and records that "{operator}" unlocked it'
)
def step_unlock_recorded(context, email, operator):
    """No SignInFailures row of the person; one SignInUnlocks row naming the operator."""
    row = lock_of(context.db.users, email)
    assert row is None, f"{UNLOCK_RULE}: Spanner still holds {email}'s lock: {row}"
    recorded = [(r["LoginName"], r["Operator"]) for r in unlocks_of(context.db.users, email)]
    assert recorded == [(email.lower(), operator)], (
        f"{UNLOCK_RULE}: one unlock of {email} by {operator} expected, Spanner records {recorded}"
    )


@then('the sign-in of "{email}" is still locked, and no unlock of it is recorded')
def step_still_locked(context, email):
    """The person's lock is still in force in SignInFailures; SignInUnlocks holds nothing of
    them."""
    recorded = unlocks_of(context.db.users, email)
    assert recorded == [], f"{UNLOCK_RULE}: an unlock of {email} was recorded: {recorded}"
    row = lock_of(context.db.users, email)
    assert row is not None and row["Remaining"] is not None and row["Remaining"] > 0, (
        f"{UNLOCK_RULE}: the lock of {email} was lifted by someone who is no operator: {row}"
    )
