"""Generic security steps, for any product: wrong passwords and the lock-out, forged requests
from another site, and the headers every page sends. They use the shared sign-in page, the
platform's own tables in the product's accounts database (its first) and the person's
browser; a product's feature signs its people in with its own steps first."""

from __future__ import annotations

from urllib.parse import urlsplit

import allure
from behave import given, then, when
from playwright.sync_api import expect

from harness.foreign_origin import ForeignSite, ForgedForm
from pages.shared.security import LoginScreen, form_of_button, links_in
from queries.shared.security import everything, lock_of, move_lock_back, sessions_in_use
from spanner.snapshot import changes

WRONG_PASSWORD = "Incorrect email or password."
FOREIGN_REFUSAL = "This request did not come from this site's own pages, so nothing was changed."
CSRF_FIELD = "csrf_token"
WAIT_MS = 15_000  # a sign-in hashes a password: seconds on a busy machine
MOST_PAGES = 80
LOCKOUT = "the lock-out (app/platform/login.py, app/platform/sign_in_records.py)"
CSRF = "the CSRF defence (app/platform/csrf.py)"
HEADERS = "the security headers (app/platform/headers.py, app/platform/cli.py)"


def _accounts_db(context):
    return getattr(context.db, context.product.product.databases[0])


def _sign_in(context, email: str, password: str) -> None:
    screen = LoginScreen(context.page).open()
    context.learned["sessions before"] = sessions_in_use(_accounts_db(context))
    screen.log_in(email, password)
    context.page.wait_for_load_state()


# --- wrong passwords and the lock-out


@when('"{email}" signs in with a wrong password {count:d} times in a row')
@given('"{email}" signed in with a wrong password {count:d} times in a row')
def step_wrong_passwords(context, email, count):
    """Wrong passwords through the real sign-in page, one after the other."""
    screen = LoginScreen(context.page)
    for attempt in range(1, count + 1):
        _sign_in(context, email, f"Wrong-password-{attempt}!")
        expect(screen.login_error, f"wrong password {attempt} of {count}").to_have_text(
            WRONG_PASSWORD, timeout=WAIT_MS
        )


@when('"{email}" signs in with their right password')
def step_right_password(context, email):
    """The password the feature's accounts file gives them, through the real sign-in page."""
    _sign_in(context, email, context.accounts.password_of(email))


@when('a page on another site signs their browser in as "{email}"')
def step_login_forged(context, email):
    """Login CSRF: the foreign page posts the sign-in form with someone else's credentials."""
    context.learned["sessions before"] = sessions_in_use(_accounts_db(context))
    fields = {"email": email, "password": context.accounts.password_of(email)}
    _send_forged(context, ForgedForm(f"{context.app.base_url}/login", fields))


@then("sign-in is refused with the words a wrong password gets, and no session starts")
def step_refused_like_wrong_password(context):
    """The sign-in page again with the wrong-password words; no session in Spanner."""
    screen = LoginScreen(context.page)
    expect(screen.login_error, f"{LOCKOUT}: a locked account is let in").to_have_text(
        WRONG_PASSWORD, timeout=WAIT_MS
    )
    _no_new_session(context, LOCKOUT)


@then("they are signed in")
def step_signed_in(context):
    """They left the sign-in page and the platform holds one more session in use."""
    why = f"{LOCKOUT}: the right password did not sign in (a lock still in force?)"
    expect(context.page, why).not_to_have_url(f"{context.app.base_url}/login", timeout=WAIT_MS)
    now = sessions_in_use(_accounts_db(context))
    before = context.learned["sessions before"]
    assert now == before + 1, f"expected one new session in Spanner, found {now - before}"


@then('"{email}" is locked for {minutes:d} minutes from the last wrong password')
def step_locked(context, email, minutes):
    """Spanner holds the lock: until the last failure plus the lock's length."""
    row = lock_of(_accounts_db(context), email)
    allure.attach(repr(row), name="SignInFailures row")
    assert row is not None and row["LockedUntil"] is not None, (
        f"{LOCKOUT}: no lock is held for {email} in SignInFailures: {row}"
    )
    assert row["LockSeconds"] == minutes * 60, (
        f"{LOCKOUT}: the lock of {email} lasts {row['LockSeconds']} s, not {minutes} minutes"
    )
    assert row["Remaining"] > 0, f"{LOCKOUT}: the lock of {email} is already over: {row}"


@then('"{email}" is not locked, with {count:d} wrong passwords counted')
def step_not_locked(context, email, count):
    """No lock in force, and the count of wrong passwords in a row as said."""
    row = lock_of(_accounts_db(context), email)
    allure.attach(repr(row), name="SignInFailures row")
    locked = row is not None and row["LockedUntil"] is not None and row["Remaining"] > 0
    assert not locked, f"{email} is locked: {row}"
    counted = row["FailuresInARow"] if row else 0
    assert counted == count, f"{count} wrong passwords in a row expected, Spanner has {counted}"


@given('the lock on "{email}" has lasted {minutes:d} minutes')
@when('the lock on "{email}" has lasted {minutes:d} minutes')
def step_lock_lasted(context, email, minutes):
    """As if the minutes had passed: the lock's times in Spanner moved back by them."""
    moved = move_lock_back(_accounts_db(context), email, minutes)
    assert moved == 1, f"no lock on {email} to move back"


# --- requests forged by another site


@when('they follow the link "{words}"')
def step_follow_link(context, words):
    """Opens where the first link with these words on the open page leads (a link inside a
    closed menu too)."""
    links = context.page.get_by_role("link", name=words, exact=True, include_hidden=True)
    if links.count() == 0:
        raise AssertionError(f"the page {context.page.url} has no link {words!r}")
    context.page.goto(links.first.evaluate("link => link.href"))


@when('a page on another site submits the "{button}" form of the page they have open')
@when('a page on another site submits the "{button}" form of the page they have open, with:')
def step_forged_form(context, button):
    """The foreign page copies the form (its fields as shown, without the CSRF token, which
    another site cannot read), with the table's values typed over by label, and submits it."""
    form = form_of_button(context.page, button)
    fields = {name: value for name, value in form.fields.items() if name != CSRF_FIELD}
    for row in context.table or ():
        label = row["field"]
        if label not in form.labels:
            raise AssertionError(f"the form has no field labelled {label!r}: {list(form.labels)}")
        fields[form.labels[label]] = row["value"]
    encoding = "application/x-www-form-urlencoded"
    _send_forged(context, ForgedForm(form.action, fields, form.method, encoding))


def _send_forged(context, forged: ForgedForm) -> None:
    site = ForeignSite().start()
    context.add_cleanup(site.stop)
    page_url = site.publish("/prize.html", forged.page())
    context.learned["before forgery"] = everything(context.db)
    with context.page.expect_response(
        lambda r: r.url.split("?", 1)[0] == forged.action and r.request.method == "POST",
        timeout=WAIT_MS,
    ) as answer:
        context.page.goto(page_url)
    context.learned["forged answer"] = answer.value
    context.page.wait_for_load_state()


@then("the app refuses the request from the other site")
def step_forgery_refused(context):
    """403, and the page says nothing was changed."""
    answer = context.learned["forged answer"]
    assert answer.status == 403, (
        f"{CSRF}: the forged {answer.request.method} {answer.url} was answered "
        f"{answer.status}, not refused"
    )
    expect(context.page.get_by_role("alert")).to_have_text(FOREIGN_REFUSAL)


@then("nothing the app keeps in Spanner has changed")
def step_nothing_changed(context):
    """Every row of every table of the product's databases as before the forged request."""
    found = changes(context.learned["before forgery"], everything(context.db))
    assert not found, f"{CSRF}: the forged request changed Spanner:\n" + "\n".join(found)


@then("no session starts")
def step_no_session(context):
    """The platform holds no more sessions than before."""
    _no_new_session(context, CSRF)


def _no_new_session(context, defence: str) -> None:
    now = sessions_in_use(_accounts_db(context))
    before = context.learned["sessions before"]
    assert now == before, f"{defence}: {now - before} session(s) started in Spanner"


# --- headers on every page


@when("they visit every page they can reach from the page they have open")
def step_walk(context):
    """Every same-origin address linked from the open page, and from those, with the
    browser's cookies; redirects are followed as further pages."""
    request = context.page.request
    queue, seen, visited = [context.page.url], set(), []
    while queue and len(visited) < MOST_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = request.get(url, max_redirects=0)
        visited.append((url, response.status, response.headers))
        location = response.headers.get("location")
        if location:
            queue.append(location if "://" in location else context.app.base_url + location)
        if "text/html" in response.headers.get("content-type", ""):
            queue.extend(links_in(url, response.text()))
    context.learned["visited"] = visited
    allure.attach("\n".join(f"{status} {url}" for url, status, _ in visited), name="pages visited")


REQUIRED = {
    "x-frame-options": lambda v: v == "DENY",
    "x-content-type-options": lambda v: v == "nosniff",
    "referrer-policy": lambda v: v in ("same-origin", "no-referrer", "strict-origin"),
    "permissions-policy": lambda v: "camera=()" in v,
    "content-security-policy": lambda v: (
        "frame-ancestors 'none'" in v and "default-src 'self'" in v and "unsafe-inline" not in v
    ),
    "cache-control": lambda v: "no-store" in v,
}


@then("every page forbids framing, type guessing and caching, and names no server software")
def step_every_page_private(context):
    """The security headers on every page visited, and no Server header."""
    visited = context.learned["visited"]
    assert len(visited) > 1, f"the walk reached only {[url for url, _, _ in visited]}"
    problems = []
    for url, status, headers in visited:
        path = urlsplit(url).path
        wrong = [name for name, good in REQUIRED.items() if not good(headers.get(name, ""))]
        if "server" in headers:
            wrong.append(f"server: {headers['server']}")
        if wrong:
            problems.append(f"{status} {path}: {', '.join(wrong)}")
    assert not problems, f"{HEADERS}: pages without their headers:\n" + "\n".join(problems)
