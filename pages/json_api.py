"""A JSON API client for the generic API steps: requests through Playwright's APIRequestContext.

Two ways to call an app's API, as its clients do:
- as a person signed in in the browser (`JsonApi.of_browser`): the requests share the
  browser's cookies, and an unsafe request (POST, PUT, PATCH, DELETE) carries what a script of
  the app's own page sends with fetch(): Origin and Sec-Fetch-Site of the app, and the page's
  CSRF token (its <meta name="csrf-token">, or the csrf cookie that holds the same token) as
  X-CSRF-Token;
- with an API key (`JsonApi.with_key`): a client of its own, without cookies, sending the key
  as `Authorization: Bearer <key>`.

`sign_in` signs a person in through the app's own sign-in form, in a page of the browser's
context, so that its session cookie is the browser's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import APIRequestContext, BrowserContext, Page

from spanner.conditions import EQUAL, NotationError, parse_condition

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_COOKIES = ("csrf", "__Host-csrf")
SHOWN_CHARS = 1000  # a response body in a failure message is cut after this many characters


class ApiError(AssertionError):
    """A request could not be sent as written, or its answer is not what a step needs."""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Answer:
    """What the app answered to one request."""

    method: str
    path: str
    status: int
    text: str

    @property
    def request(self) -> str:
        return f"{self.method} {self.path}"

    def shown(self) -> str:
        """The whole body, cut when long, for a failure message."""
        body = self.text if len(self.text) <= SHOWN_CHARS else self.text[:SHOWN_CHARS] + " …"
        return f"{self.request} answered {self.status} with:\n  {body or '(an empty body)'}"

    def json(self) -> Any:
        try:
            return json.loads(self.text)
        except ValueError:
            raise ApiError(f"the response is not JSON: {self.shown()}") from None

    def field(self, path: str) -> Any:
        """The value at a dotted path (`plan.name`, `items.0.id`); ApiError showing the body
        when it is missing."""
        value = self.json()
        walked: list[str] = []
        for key in path.split("."):
            where = ".".join(walked) or "the response"
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
                value = value[int(key)]
            else:
                raise ApiError(
                    f'the response has no field "{path}" ({where} has no "{key}"); {self.shown()}'
                )
            walked.append(key)
        return value


def _moment(value: Any) -> Any:
    """A JSON text that is an ISO date or time, as one (compared with `within …`, `> …`)."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        if "T" not in value and " " not in value:
            return moment.date()
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return value


def field_matches(expected: Any, actual: Any) -> bool:
    """Whether a response's value meets a check written in the database checks' notation
    (spanner/conditions.py): `Pro`, `> 5`, `null`, `not null`, `like 'ACME%'`, `[a, b]`,
    `{"a": 1}`, `within 5 minutes of now` (an ISO time in the response)."""
    condition = parse_condition(expected)
    if isinstance(actual, dict | list) and condition.operator == EQUAL:
        try:
            if json.loads(str(condition.operand)) == actual:
                return True
        except ValueError:
            pass
        if isinstance(actual, dict):
            return False
    if isinstance(actual, int | float) and not isinstance(actual, bool):
        actual = Decimal(str(actual))  # JSON has one kind of number: 149 equals "149.00"
    elif condition.operator != EQUAL:
        actual = _moment(actual)
    try:
        return condition.matches(actual)
    except NotationError as error:
        raise ApiError(f"{expected!r}: {error}") from None


def field_mismatches(answer: Answer, expected: list[tuple[str, Any]]) -> list[str]:
    """What differs between the answer's fields and the expected (path, value) pairs."""
    answer.json()  # a body that is not JSON is said so, not as missing fields
    found: list[str] = []
    for path, value in expected:
        try:
            actual = answer.field(path)
        except ApiError:
            found.append(f'"{path}" is missing (expected {value})')
            continue
        if not field_matches(value, actual):
            found.append(f'"{path}" is {json.dumps(actual)}, expected {value}')
    return found


class JsonApi:
    """Sends JSON requests to one app; keeps the last answer."""

    def __init__(
        self,
        request: APIRequestContext,
        base_url: str,
        headers: dict[str, str],
        who: str,
        csrf_token: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.request = request
        self.base_url = base_url.rstrip("/")
        self.headers = headers
        self.who = who
        self.csrf_token = csrf_token

    @classmethod
    def of_browser(cls, page: Page, base_url: str, who: str) -> JsonApi:
        """Requests that carry the browser's cookies, sent as the app's own page sends them."""
        origin = origin_of(base_url)

        def token() -> str | None:
            if origin_of(page.url) == origin:
                meta = page.locator('meta[name="csrf-token"]')
                if meta.count():
                    return meta.first.get_attribute("content")
            cookies = {c["name"]: c["value"] for c in page.context.cookies(base_url)}
            return next((cookies[name] for name in CSRF_COOKIES if name in cookies), None)

        return cls(page.request, base_url, {}, who, token)

    @classmethod
    def with_key(cls, context: BrowserContext, base_url: str, key: str, who: str) -> JsonApi:
        """Requests of a client of its own (a fresh browser context: no cookies) with the key
        as `Authorization: Bearer`."""
        return cls(context.request, base_url, {"Authorization": f"Bearer {key}"}, who)

    def send(self, method: str, path: str, body: str | None = None) -> Answer:
        method = method.upper()
        if method not in METHODS:
            raise ApiError(
                f"{method} is no request method the API steps send: {', '.join(METHODS)}"
            )
        headers = {"Accept": "application/json", **self.headers}
        if body is not None:
            _check_json(body)
            headers["Content-Type"] = "application/json"
        if method in UNSAFE and "Authorization" not in self.headers:
            headers.update({"Origin": origin_of(self.base_url), "Sec-Fetch-Site": "same-origin"})
            token = self.csrf_token()
            if token:
                headers["X-CSRF-Token"] = token
        url = path if urlsplit(path).scheme else f"{self.base_url}/{path.lstrip('/')}"
        response = self.request.fetch(
            url, method=method, headers=headers, data=body, max_redirects=0
        )
        try:
            text = response.text()
        finally:
            response.dispose()
        return Answer(method, path, response.status, text)


def _check_json(body: str) -> None:
    try:
        json.loads(body)
    except ValueError as error:
        raise ApiError(f"the request's body is not JSON ({error}):\n  {body}") from None


def sign_in(context: BrowserContext, sign_in_url: str, email: str, password_text: str) -> None:
    """Sign in through the app's own sign-in form (the form with a password field), in a page
    of its own in this browser context: the session cookie it sets is the browser's.

    ApiError with what the app said when it does not let the person in.
    """
    page = context.new_page()
    try:
        page.goto(sign_in_url)
        form = page.locator("form:has(input[type=password])")
        if form.count() != 1:
            raise ApiError(
                f"{sign_in_url} shows {form.count()} forms with a password field, not one: "
                "no sign-in form to sign in with"
            )
        login = form.locator(
            "input[type=email], input[autocomplete=username], input[type=text], input:not([type])"
        )
        login.first.fill(email)
        password = form.locator("input[type=password]").first
        password.fill(password_text)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            password.press("Enter")
        status = posted.value.status
        page.wait_for_load_state()
        still_asked = urlsplit(page.url).path == urlsplit(sign_in_url).path and form.count() == 1
        if status >= 400 or still_asked:
            said = page.get_by_role("alert").all_inner_texts() or [
                page.locator("body").inner_text()
            ]
            raise ApiError(
                f"{email} could not sign in at {sign_in_url} (answered {status}): "
                f"{' '.join(' '.join(said).split())[:300]}"
            )
    finally:
        page.close()
