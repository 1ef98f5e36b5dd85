"""SaaS platform security: a change of display name sent straight to the dashboard's API, the
way no page of the platform sends it (larger than 4 KB, not in UTF-8), and a person with no
profile yet."""

from __future__ import annotations

import json

import httpx
from behave import then, when

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from pages.saas.access import WizardByAddress
from pages.saas.profile_api import ProfileApi, name_change
from queries.saas import profile_changes_of, profile_of

LIMIT_RULE = (
    "a change of display name is read only up to 4 KB, announced or not, and only as JSON in "
    "UTF-8; a larger or unreadable one is refused, and the name stays as it was"
)
SIZES = {"4 KB": 4 * 1024, "4 KB and 1 byte": 4 * 1024 + 1}
ENCODINGS = {"Latin-1": "latin-1"}


def _error_text(response: httpx.Response) -> str:
    """What the API said: its JSON error, or the body as text when it is not JSON."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.json().get("error", "")
    return response.text


def _send(context, body: bytes, sent: str, content_type: str | None = "application/json") -> None:
    api = ProfileApi(context.page, context.app.base_url)
    response = api.send(body, context.learned["how"], content_type)
    context.learned.update(answer=response, change=f"{sent} by {context.learned['signed_in']}")


@when(
    'their browser sends a change of their display name to "{name}", padded to exactly {size}, '
    "{announce:Announcing}"
)
def step_send_padded_change(context, name, size, announce):
    """Sends the change's JSON padded with spaces to that size ("4 KB", "4 KB and 1 byte"),
    with its length announced or not."""
    assert size in SIZES, f"say one of: {', '.join(SIZES)}; not {size!r}"
    context.learned["how"] = announce
    how = "its length announced" if announce else "its length not announced"
    _send(context, name_change(name, SIZES[size]), f"a change to {name!r} of {size}, {how}")


@when('their browser sends a change of their display name to "{name}" written in {encoding}')
def step_send_encoded_change(context, name, encoding):
    """Sends the change's JSON in that encoding instead of UTF-8 ("Latin-1")."""
    assert encoding in ENCODINGS, f"say one of: {', '.join(ENCODINGS)}; not {encoding!r}"
    context.learned["how"] = True
    body = name_change(name, encoding=ENCODINGS[encoding])
    _send(context, body, f"a change to {name!r} written in {encoding}")


@when('their browser sends a change of their display name to "{name}" without saying it is JSON')
def step_send_change_without_type(context, name):
    """Sends the change's JSON with no Content-Type at all: a body a page of another site can
    send without asking first (a cross-site request with no type is not preflighted)."""
    context.learned["how"] = True
    body = name_change(name)
    _send(context, body, f"a change to {name!r} with no Content-Type", content_type=None)


@when('their browser sends a change of their display name to "{name}" saying it is JSON in UTF-8')
def step_send_change_as_json_with_charset(context, name):
    """Sends the change's JSON as `application/json; charset=utf-8`: JSON, its character set
    named after the type, as many clients send it."""
    context.learned["how"] = True
    body = name_change(name)
    sent = f"a change to {name!r} sent as application/json; charset=utf-8"
    _send(context, body, sent, content_type="application/json; charset=utf-8")


@when('their browser sends a change of their display name to "{name}" saying it is plain text')
def step_send_change_as_text(context, name):
    """Sends the change's JSON as text/plain: the type a form on another site can send."""
    context.learned["how"] = True
    body = name_change(name)
    _send(context, body, f"a change to {name!r} sent as text/plain", content_type="text/plain")


@when(
    'their browser sends a change of their nickname to "{name}", a field the platform does not have'
)
def step_send_unknown_field(context, name):
    """Sends JSON naming another field than display_name."""
    context.learned["how"] = True
    body = json.dumps({"nickname": name}).encode()
    _send(context, body, f"a change of nickname to {name!r}")


@when(
    'their browser sends a change of their display name to "{name}" straight to the dashboard\'s API'
)
def step_send_change_before_setup(context, name):
    """Sends the change as the dashboard's script would, for whoever the browser is signed in
    as (an admin still in the setup wizard, for one)."""
    context.learned["how"] = True
    context.learned.setdefault("signed_in", context.learned.get("wizard_admin", "this browser"))
    WizardByAddress(context.page).type_address("the dashboard")  # the page gives the CSRF token
    _send(context, name_change(name), f"a change to {name!r}")


@then('the dashboard\'s API refuses the change: "{message}"')
def step_change_forbidden(context, message):
    """403 Forbidden, saying why; nothing was changed."""
    response, change = context.learned["answer"], context.learned["change"]
    said = _error_text(response)
    assert response.status_code == 403 and message in said, (
        f"the dashboard's data and changes are for people who finished setting up: {change} "
        f"must be answered 403 saying {message!r}, was {response.status_code}: {said[:300]}"
    )


@then("the change is refused as not sent as JSON")
def step_change_not_json_type(context):
    """415 Unsupported Media Type, asking for application/json."""
    response, change = context.learned["answer"], context.learned["change"]
    assert response.status_code == 415 and "application/json" in response.text, (
        f"{LIMIT_RULE}: {change} must be answered 415, asking for application/json, was "
        f"{response.status_code}: {response.text[:300]}"
    )


@then("the change is taken")
def step_change_taken(context):
    """200: the platform read the change whole and applied it."""
    response, change = context.learned["answer"], context.learned["change"]
    assert response.status_code == 200, (
        f"{LIMIT_RULE}: {change} must be taken, was answered {response.status_code}: "
        f"{response.text[:300]}"
    )


@then("the change is refused as too large")
def step_change_too_large(context):
    """413 Content Too Large, saying so."""
    response, change = context.learned["answer"], context.learned["change"]
    assert response.status_code == 413 and "too large" in response.text, (
        f"{LIMIT_RULE}: {change} must be answered 413, was {response.status_code}: "
        f"{response.text[:300]}"
    )


@then('the change is refused because "{reason}"')
def step_change_refused(context, reason):
    """400 Bad Request, giving the reason."""
    response, change = context.learned["answer"], context.learned["change"]
    said = _error_text(response)
    assert response.status_code == 400 and reason in said, (
        f"{LIMIT_RULE}: {change} must be answered 400 saying {reason!r}, was "
        f"{response.status_code}: {response.text[:300]}"
    )


@then('"{email}" still has no profile, and no change of theirs is kept')
def step_no_profile(context, email):
    """Spanner: no profile of the person, and no applied change."""
    profile, changes = (
        profile_of(context.db.users, email),
        profile_changes_of(context.db.users, email),
    )
    assert profile is None and changes == [], (
        "a person without a profile cannot make one by changing their display name: "
        f"{email} has the profile {profile} and the applied changes {changes}"
    )
