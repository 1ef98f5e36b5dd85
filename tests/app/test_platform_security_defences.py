"""The platform's defences, on a made-up product (sign-in records in memory): the CSRF check,
the lock-out and the per-address limit, the idle timeout, session renewal, cookies, headers,
the access log and uvicorn's proxy headers (app/platform/)."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import uvicorn
from csrf_client import browser_client
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient
from platform_testkit import PASSWORD, MemoryAuthenticator, MemorySignInRecords, make_product

from app.platform.cli import server_options
from app.platform.db import Databases
from app.platform.product import AppProduct, FailedSignIn
from app.platform.settings import load_settings
from app.platform.web import create_app
from base.ports import free_port

MEMBER = "member@product.example.org"
WRONG = "Wrong-password-1!"
REFUSED = "Incorrect email or password."
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture()
def product(tmp_path: Path) -> AppProduct:
    return make_product(tmp_path)


def _app(product: AppProduct, **env: str) -> FastAPI:
    settings = load_settings(product, {"APP_PUBLIC_URL": "http://testserver", **env})
    return create_app(product, settings, Databases(cast(Any, None), {}))


@pytest.fixture()
def plain(product: AppProduct) -> Iterator[TestClient]:
    """A client that sends no CSRF token of itself: it must take it from the page."""
    with TestClient(_app(product), follow_redirects=False) as client:
        yield client


@pytest.fixture()
def browser(product: AppProduct) -> Iterator[TestClient]:
    """A client that sends the CSRF token as the app's own pages do."""
    with browser_client(_app(product), follow_redirects=False) as client:
        yield client


def _records(product: AppProduct) -> MemorySignInRecords:
    return cast(MemorySignInRecords, product.sign_in_records(cast(Any, None)))


def _token(client: TestClient) -> str:
    page = client.get("/login")
    match = TOKEN_RE.search(page.text)
    assert match, "the login form carries no CSRF field"
    return match.group(1)


def _log_in(client: TestClient, email: str = MEMBER, password: str = PASSWORD) -> httpx.Response:
    return client.post("/login", data={"email": email, "password": password})


# --- CSRF


def test_a_form_without_its_token_is_refused_and_changes_nothing(
    plain: TestClient, product: AppProduct
) -> None:
    r = _log_in(plain)
    assert r.status_code == 403, "CSRF check: a login without its token was let through"
    assert "This form has expired or was not sent from this site" in r.text
    assert not cast(MemoryAuthenticator, product.authenticator).members.sessions


def test_the_token_of_the_page_lets_the_form_through(plain: TestClient) -> None:
    token = _token(plain)
    r = plain.post("/login", data={"csrf_token": token, "email": MEMBER, "password": PASSWORD})
    assert (r.status_code, r.headers["location"]) == (303, "/member")


def test_a_token_other_than_the_cookies_is_refused(plain: TestClient) -> None:
    _token(plain)
    forged = "x" * 43
    r = plain.post("/login", data={"csrf_token": forged, "email": MEMBER, "password": PASSWORD})
    assert r.status_code == 403, "CSRF check: a token unlike the cookie's was let through"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example.org"},
        {"Origin": "http://testserver:8080"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_request_from_another_origin_is_refused_even_with_the_token(
    plain: TestClient, headers: dict[str, str]
) -> None:
    token = _token(plain)
    form = {"csrf_token": token, "email": MEMBER, "password": PASSWORD}
    r = plain.post("/login", data=form, headers=headers)
    assert r.status_code == 403, f"Origin check: {headers} was let through"
    assert "so nothing was changed" in r.text


def test_the_apps_own_origin_passes(plain: TestClient) -> None:
    token = _token(plain)
    form = {"csrf_token": token, "email": MEMBER, "password": PASSWORD}
    headers = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert plain.post("/login", data=form, headers=headers).status_code == 303


def test_a_multipart_form_carries_its_token_as_its_first_field(plain: TestClient) -> None:
    token = _token(plain)
    first = {"csrf_token": token, "email": MEMBER, "password": PASSWORD}
    files = {"ignored": ("a.txt", b"x", "text/plain")}
    assert plain.post("/login", data=first, files=files).status_code == 303
    last = {"email": MEMBER, "password": PASSWORD, "csrf_token": token}
    assert plain.post("/login", data=last, files=files).status_code == 403


def test_a_browsers_multipart_form_with_its_mixed_case_boundary_passes(plain: TestClient) -> None:
    token = _token(plain)
    boundary = "----WebKitFormBoundaryAbCdEf0123456789"
    parts = [("csrf_token", token), ("email", MEMBER), ("password", PASSWORD)]
    body = (
        "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in parts
        )
        + f"--{boundary}--\r\n"
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    r = plain.post("/login", content=body.encode(), headers=headers)
    assert r.status_code == 303, "CSRF check: a browser's multipart form was refused"


def test_a_form_too_large_to_look_into_is_refused(plain: TestClient) -> None:
    token = _token(plain)
    body = {"csrf_token": token, "email": MEMBER, "password": "p" * (1024 * 1024 + 1)}
    assert plain.post("/login", data=body).status_code == 413


def test_json_without_a_session_cookie_needs_no_token_but_with_one_it_does(
    plain: TestClient,
) -> None:
    """A client with an API key in a header holds no ambient credential: not refused (the
    made-up product has no such route: 404). A session cookie makes the same request need
    the token."""
    r = plain.post("/api/readings", json={"n": 1}, headers={"X-Api-Key": "k"})
    assert r.status_code == 404
    plain.cookies.set("member_session", "anything")
    r = plain.post("/api/readings", json={"n": 1}, headers={"X-Api-Key": "k"})
    assert r.status_code == 403


def test_the_csrf_cookie_is_httponly_strict_and_secure_behind_https(product: AppProduct) -> None:
    with TestClient(_app(product), follow_redirects=False) as client:
        cookie = client.get("/login").headers["set-cookie"]
    assert cookie.startswith("csrf=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    app = _app(product, APP_PUBLIC_URL="https://app.example.org")
    with TestClient(app, base_url="https://app.example.org") as client:
        cookie = client.get("/login").headers["set-cookie"]
    assert cookie.startswith("__Host-csrf=") and "Secure" in cookie and "Path=/" in cookie


# --- lock-out


def test_five_wrong_passwords_lock_even_the_right_one_for_fifteen_minutes(
    browser: TestClient, product: AppProduct
) -> None:
    records = _records(product)
    for _ in range(4):
        assert _log_in(browser, password=WRONG).status_code == 401
    assert not records.locked(MEMBER), "four wrong passwords must not lock"
    assert _log_in(browser, password=WRONG).status_code == 401
    assert records.locked(MEMBER), "lock-out: five wrong passwords in a row locked nothing"
    r = _log_in(browser)
    assert r.status_code == 401 and REFUSED in r.text, "lock-out: the right password got in"
    records.now += 15 * 60 - 1
    assert _log_in(browser).status_code == 401, "lock-out: the lock ended early"
    records.now += 1
    assert _log_in(browser).status_code == 303, "the lock did not end after 15 minutes"
    assert records.failures.get(MEMBER) is None, "a right password must clear the count"


def test_a_right_password_between_wrong_ones_starts_the_count_again(
    browser: TestClient, product: AppProduct
) -> None:
    for _ in range(4):
        _log_in(browser, password=WRONG)
    assert _log_in(browser).status_code == 303
    for _ in range(4):
        _log_in(browser, password=WRONG)
    assert not _records(product).locked(MEMBER)


def test_the_lock_counts_per_login_name_known_or_not_and_its_settings_apply(
    product: AppProduct,
) -> None:
    app = _app(product, APP_LOGIN_FAILURES_BEFORE_LOCK="2", APP_LOGIN_LOCK_MINUTES="3")
    records = _records(product)
    with browser_client(app, follow_redirects=False) as client:
        for email in ("Nobody@Product.example.org", "nobody@product.example.org "):
            _log_in(client, email, WRONG)
    assert records.locked("nobody@product.example.org")
    assert records.locked_until["nobody@product.example.org"] == 3 * 60


def test_every_failed_sign_in_is_told_to_the_product(product: AppProduct) -> None:
    heard: list[FailedSignIn] = []
    told = dataclasses.replace(product, sign_in_failed=lambda databases, f: heard.append(f))
    with browser_client(_app(told), follow_redirects=False) as client:
        for _ in range(6):
            _log_in(client, MEMBER.upper(), WRONG)
    assert [(f.login_name, f.was_locked, f.locks_now) for f in heard] == [
        *[(MEMBER, False, False)] * 4,
        (MEMBER, False, True),
        (MEMBER, True, False),
    ]
    assert heard[0].client_address == "testclient"


def test_one_address_spraying_many_accounts_is_stopped(product: AppProduct) -> None:
    app = _app(product, APP_LOGIN_FAILURES_PER_ADDRESS="3/minute")
    with browser_client(app, follow_redirects=False) as client:
        for n in range(3):
            assert _log_in(client, f"user{n}@product.example.org", WRONG).status_code == 401
        r = _log_in(client)
    assert r.status_code == 429, "per-address limit: a fourth failure in a minute was let in"
    assert "Too many failed sign-ins" in r.text and int(r.headers["retry-after"]) >= 1


def test_unlocking_lifts_the_lock(browser: TestClient, product: AppProduct) -> None:
    for _ in range(5):
        _log_in(browser, password=WRONG)
    assert _records(product).unlock(MEMBER)
    assert _log_in(browser).status_code == 303


# --- sessions: idle timeout, renewal, cookies


def test_a_session_idle_for_the_idle_timeout_ends(product: AppProduct) -> None:
    idle = dataclasses.replace(product, session_idle_minutes=15)
    records = _records(product)
    with browser_client(_app(idle), follow_redirects=False) as client:
        _log_in(client)
        records.now += 15 * 60 - 1
        assert client.get("/member").status_code == 200
        records.now += 15 * 60 - 1  # idle counts from the last use
        assert client.get("/member").status_code == 200
        records.now += 15 * 60
        r = client.get("/member")
    where = (r.status_code, r.headers.get("location"))
    assert where == (303, "/login"), (
        f"idle timeout: 45 idle minutes later the page answered {where}"
    )
    assert not cast(MemoryAuthenticator, product.authenticator).members.sessions


def test_a_renewed_session_has_a_new_token_and_the_old_one_opens_nothing(
    browser: TestClient,
) -> None:
    _log_in(browser)
    old = browser.cookies["member_session"]
    r = browser.post("/member/renew")
    new = r.cookies.get("member_session")
    assert r.status_code == 200 and new and new != old, "session renewal: no new token was set"
    assert browser.get("/member").status_code == 200
    browser.cookies.set("member_session", old)
    assert browser.get("/member").status_code == 303, "the token from before still opens"


def test_behind_https_the_session_cookie_is_host_prefixed_and_secure(product: AppProduct) -> None:
    app = _app(product, APP_PUBLIC_URL="https://app.example.org")
    with browser_client(app, base_url="https://app.example.org", follow_redirects=False) as c:
        r = _log_in(c)
        cookie = r.headers["set-cookie"]
        assert cookie.startswith("__Host-member_session="), f"no __Host- prefix: {cookie}"
        assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
        assert c.get("/member").status_code == 200
        assert "max-age=31536000" in c.get("/login").headers["strict-transport-security"]


# --- headers, access log, proxy headers


def test_headers_on_pages_redirects_errors_and_refusals(
    plain: TestClient, browser: TestClient
) -> None:
    answers = [plain.get("/login"), plain.get("/member"), plain.get("/nowhere"), _log_in(plain)]
    for r in answers:
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, r.request.url
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert "camera=()" in r.headers["permissions-policy"]
        assert "strict-transport-security" not in r.headers  # plain http
    _log_in(browser)
    cache = browser.get("/member").headers.get("cache-control")
    assert cache == "no-store", f"Cache-Control no-store missing on a signed-in page: {cache}"


def test_inline_styles_carry_the_answers_nonce(plain: TestClient) -> None:
    r = plain.get("/login")
    nonce = re.search(r"'nonce-([^']+)'", r.headers["content-security-policy"])
    assert nonce and f'<style nonce="{nonce.group(1)}">' in r.text
    assert nonce.group(1) not in plain.get("/login").text, "a nonce must differ per answer"


def test_the_access_log_keeps_no_query_string(
    plain: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        plain.get("/login?token=s3cret&name=John+Patient")
    lines = [r.getMessage() for r in caplog.records if r.name == "app.access"]
    assert any('"GET /login HTTP/1.1" 200' in line for line in lines), lines
    assert not any("s3cret" in line or "John" in line for line in lines), lines


def _echo_client_address() -> FastAPI:
    echo = FastAPI()

    @echo.get("/")
    def who(request: Request) -> PlainTextResponse:
        return PlainTextResponse(request.client.host if request.client else "-")

    return echo


@pytest.mark.parametrize(
    ("trusted", "seen"), [("", "127.0.0.1"), ("10.0.0.0/8", "127.0.0.1"), ("127.0.0.1", "6.6.6.6")]
)
def test_forwarded_for_is_not_believed_by_default(
    product: AppProduct, trusted: str, seen: str
) -> None:
    """uvicorn as the apps start it (app/platform/cli.py): X-Forwarded-For only from a
    trusted proxy; and no Server header."""
    settings = load_settings(product, {"APP_TRUSTED_PROXIES": trusted})
    port = free_port()
    config = uvicorn.Config(
        _echo_client_address(), host="127.0.0.1", port=port, **server_options(settings)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            thread.join(0.025)
        assert server.started, "uvicorn did not start within 5 s"
        r = httpx.get(
            f"http://127.0.0.1:{port}/", headers={"X-Forwarded-For": "6.6.6.6"}, trust_env=False
        )
    finally:
        server.should_exit = True
        thread.join(5)
    assert r.text == seen, f"trusted proxies {trusted!r}: the app saw {r.text}"
    assert "server" not in r.headers, f"a Server header names the software: {r.headers['server']}"
