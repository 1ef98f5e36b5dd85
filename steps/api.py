"""Generic API steps: JSON requests as a signed-in person or with an API key, and the answer's
status and fields (pages/json_api.py)."""

from __future__ import annotations

import allure
from behave import given, then, when

from base.placeholders import resolve
from pages.json_api import Answer, ApiError, JsonApi, field_mismatches, sign_in

SIGN_IN_PAGE = "sign-in"  # the page name (Product.page_paths) of the app's sign-in form
SIGN_IN_PATH = "/login"  # its path when the product names no such page
KEYS_SECTION = "api_keys"


def _api(context) -> JsonApi:
    """Who calls: as the Given said, else the browser as it is (signed in or not)."""
    api = getattr(context, "api", None)
    if api is None:
        api = context.api = JsonApi.of_browser(context.page, context.app.base_url, "the browser")
    return api


def _sent(context, answer: Answer, body: str | None = None) -> None:
    """The answer becomes "the response", and the report shows the exchange."""
    context.response = answer
    sent = f"{answer.request} with:\n  {body}\n" if body is not None else f"{answer.request}\n"
    allure.attach(
        sent + answer.shown(),
        name=f"API: {answer.request} -> {answer.status}",
        attachment_type=allure.attachment_type.TEXT,
    )


def _answer(context) -> Answer:
    answer = getattr(context, "response", None)
    if answer is None:
        raise AssertionError(
            "no request has been sent in this scenario yet: send one first, e.g. When I send a "
            'GET request to "/api/dashboard"'
        )
    return answer


@given('I call the API as "{email}"')
def step_call_api_as(context, email):
    """The next requests are this person's, signed in with their password from accounts.yaml.
    They sign in through the app's sign-in form (the product's "sign-in" page, else /login);
    when the browser has signed them in already, its session is used.
    Example: Given I call the API as "owner@fabrikam.example.com"
    """
    email = resolve(email, context.learned)
    if context.learned.get("signed_in") != email:
        password = context.accounts.password_of(email)
        path = context.product.product.page_paths.get(SIGN_IN_PAGE, SIGN_IN_PATH)
        sign_in(context.page.context, f"{context.app.base_url}{path}", email, password)
        context.learned["signed_in"] = email
    context.api = JsonApi.of_browser(context.page, context.app.base_url, email)


@given('I call the API with the key of "{account}"')
def step_call_api_with_key(context, account):
    """The next requests carry the account's API key from accounts.yaml, and no cookie.
    The key is the account's entry under `api_keys:`, sent as `Authorization: Bearer <key>`.
    Example: Given I call the API with the key of "fabrikam.example.com"
    """
    account = resolve(account, context.learned)
    keys = context.accounts.sections.get(KEYS_SECTION) or {}
    if account not in keys:
        raise AssertionError(
            f"{context.accounts.file} has no API key of {account!r} under `{KEYS_SECTION}:`; "
            f"its accounts with a key: {', '.join(map(str, keys)) or 'none'}"
        )
    client = context.browser.new_context(base_url=context.app.base_url)
    context.add_cleanup(client.close)
    context.api = JsonApi.with_key(client, context.app.base_url, str(keys[account]), account)


@when('I send a {method:w} request to "{path}"')
def step_send_request(context, method, path):
    """Sends a request without a body; its answer becomes "the response".
    The method: GET, POST, PUT, PATCH, DELETE or HEAD; the path: the app's, or a whole URL.
    Example: When I send a GET request to "/api/dashboard"
    """
    _sent(context, _api(context).send(method, resolve(path, context.learned)))


@when('I send a {method:w} request to "{path}" with:')
def step_send_request_with(context, method, path):
    """Sends a request with the JSON body of the doc string ({name} resolved).
    The method: GET, POST, PUT, PATCH, DELETE or HEAD.
    Example: When I send a PATCH request to "/api/profile" with:
    """
    if not context.text:
        raise ApiError('this step needs a JSON body in a doc string (""" … """) below it')
    body = resolve(context.text, context.learned)
    path = resolve(path, context.learned)
    _sent(context, _api(context).send(method, path, str(body)), str(body))


@then("the response status is {status:d}")
def step_response_status(context, status):
    """The response's HTTP status.
    Example: Then the response status is 200
    """
    answer = _answer(context)
    assert answer.status == status, (
        f"the response status is {answer.status}, not {status}: {answer.shown()}"
    )


@then("the response has:")
def step_response_has(context):
    """The response's fields (dotted paths: plan.name, items.0.id) have these values.
    A table | field | value |; values as in database checks: a value, > 5, null, not null,
    like 'A%', within 5 minutes of now, [a, b], JSON.
    Example: Then the response has:
    """
    answer = _answer(context)
    if context.table is None or list(context.table.headings) != ["field", "value"]:
        raise ApiError("this step needs a table below it with the columns | field | value |")
    expected = [
        (str(resolve(row["field"], context.learned)), resolve(row["value"], context.learned))
        for row in context.table
    ]
    differences = field_mismatches(answer, expected)
    assert not differences, f"the response differs: {'; '.join(differences)}\n{answer.shown()}"


@when('I remember the response\'s "{field}" as {{{name:w}}}')
def step_remember_response_field(context, field, name):
    """Remembers a field of the response (dotted path) as {name}.
    Example: When I remember the response's "metric_id" as {metric}
    """
    context.learned[name] = _answer(context).field(resolve(field, context.learned))
