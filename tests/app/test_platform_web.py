"""The platform serving a made-up product: one login for every kind of account, logout,
redirects, error pages and /healthz (app/platform/web.py, login.py, health.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from csrf_client import browser_client
from fastapi.testclient import TestClient
from platform_testkit import PASSWORD, SUPPORT, TITLE, MemoryAuthenticator, make_product

from app.platform.db import Databases
from app.platform.product import AppProduct
from app.platform.settings import load_settings
from app.platform.web import create_app

PLATFORM = Path(__file__).resolve().parents[2] / "app" / "platform"
MEMBER, WARDEN = "member@product.example.org", "warden@product.example.org"


@pytest.fixture()
def product(tmp_path: Path) -> AppProduct:
    return make_product(tmp_path)


def _client(product: AppProduct, public_url: str = "http://testserver") -> TestClient:
    settings = load_settings(product, {"APP_PUBLIC_URL": public_url})
    no_databases = Databases(cast(Any, None), {})  # the made-up product keeps nothing there
    app = create_app(product, settings, no_databases)
    return browser_client(app, follow_redirects=False)


@pytest.fixture()
def web(product: AppProduct) -> Iterator[TestClient]:
    with _client(product) as client:
        yield client


def _authenticator(product: AppProduct) -> MemoryAuthenticator:
    return cast(MemoryAuthenticator, product.authenticator)


def test_the_platform_knows_no_product() -> None:
    banned = re.compile(r"saas|tenant|billing|plan", re.IGNORECASE)
    for path in sorted(PLATFORM.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html"):
            found = banned.search(path.read_text())
            assert found is None, f"{path} mentions {found.group(0)!r}"


def test_login_page_is_the_platforms_with_the_products_parts(web: TestClient) -> None:
    r = web.get("/login")
    assert r.status_code == 200
    for testid in ("email", "password", "login", "login-footer"):
        assert f'data-testid="{testid}"' in r.text
    assert f"<title>Log in · {TITLE}</title>" in r.text
    assert 'action="/login"' in r.text


def test_each_kind_of_account_logs_in_at_the_same_page(
    web: TestClient, product: AppProduct
) -> None:
    r = web.post("/login", data={"email": MEMBER, "password": PASSWORD})
    assert (r.status_code, r.headers["location"]) == (303, "/member")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("member_session=")
    for part in ("HttpOnly", "Max-Age=28800", "Path=/", "SameSite=lax"):
        assert part in cookie
    assert "Secure" not in cookie
    r = web.get("/member")
    assert r.status_code == 200 and f"signed in as {MEMBER}" in r.text

    r = web.post("/login", data={"email": WARDEN, "password": PASSWORD})
    assert (r.status_code, r.headers["location"]) == (303, "/warden")
    assert r.headers["set-cookie"].startswith("warden_session=")
    assert web.get("/warden").text == f"warden {WARDEN}"
    assert list(_authenticator(product).members.sessions.values()) == [MEMBER]
    assert list(_authenticator(product).wardens.sessions.values()) == [WARDEN]


def test_session_cookie_is_secure_behind_https(product: AppProduct) -> None:
    with _client(product, "https://app.example.org") as client:
        r = client.post("/login", data={"email": MEMBER, "password": PASSWORD})
    assert "Secure" in r.headers["set-cookie"]


@pytest.mark.parametrize("email", [MEMBER, WARDEN, "nobody@product.example.org"])
def test_wrong_password_is_refused(web: TestClient, product: AppProduct, email: str) -> None:
    r = web.post("/login", data={"email": email, "password": PASSWORD + "x"})
    assert r.status_code == 401
    assert '<p class="login-error" role="alert">Incorrect email or password.</p>' in r.text
    assert f'value="{email}"' in r.text
    assert "set-cookie" not in r.headers
    assert not _authenticator(product).members.sessions
    assert not _authenticator(product).wardens.sessions


def test_empty_form_names_the_missing_fields(web: TestClient) -> None:
    r = web.post("/login", data={"email": "  ", "password": ""})
    assert r.status_code == 400
    assert "Enter your email address." in r.text and "Enter your password." in r.text
    assert "set-cookie" not in r.headers


def test_refused_account_sees_the_products_notice(web: TestClient, product: AppProduct) -> None:
    r = web.post("/login", data={"email": "blocked@product.example.org", "password": PASSWORD})
    assert r.status_code == 423
    assert f'<div class="blocked">Blocked; write to {SUPPORT}.</div>' in r.text
    assert 'data-testid="login"' in r.text
    assert "set-cookie" not in r.headers


def test_anonymous_and_stale_sessions_are_sent_to_login(web: TestClient) -> None:
    r = web.get("/member")
    assert (r.status_code, r.headers["location"]) == (303, "/login")
    assert "set-cookie" not in r.headers
    web.cookies.set("warden_session", "stale")
    r = web.get("/warden")
    assert (r.status_code, r.headers["location"]) == (303, "/login")
    assert r.headers["set-cookie"].startswith('warden_session="";')


def test_logout_ends_every_session(web: TestClient, product: AppProduct) -> None:
    web.post("/login", data={"email": MEMBER, "password": PASSWORD})
    web.post("/login", data={"email": WARDEN, "password": PASSWORD})
    r = web.post("/logout")
    assert (r.status_code, r.headers["location"]) == (303, "/login")
    cleared = r.headers.get_list("set-cookie")
    assert sorted(c.split("=")[0] for c in cleared) == ["member_session", "warden_session"]
    assert not _authenticator(product).members.sessions
    assert not _authenticator(product).wardens.sessions
    assert web.get("/member").headers["location"] == "/login"
    assert web.get("/warden").headers["location"] == "/login"


def test_error_pages(web: TestClient) -> None:
    r = web.get("/nowhere")
    assert r.status_code == 404
    assert '<p class="error-message" role="alert">Page not found.</p>' in r.text
    assert f"<title>Error · {TITLE}</title>" in r.text
    r = web.get("/api/nowhere")
    assert (r.status_code, r.json()) == (404, {"error": "Page not found."})
    r = web.get("/boom")
    assert r.status_code == 500 and "Something went wrong on our side." in r.text
    assert "a bug" not in r.text


def test_healthz_answers_for_every_database(
    tmp_path: Path, app_env: dict[str, str], spanner_instance: object
) -> None:
    product = make_product(tmp_path, databases=("users", "billing"))
    with TestClient(create_app(product, load_settings(product, app_env))) as client:
        r = client.get("/healthz")
    assert (r.status_code, r.json()) == (200, {"status": "ok"})

    env = {**app_env, "APP_DATABASE_BILLING": "no-such-db"}
    with TestClient(create_app(product, load_settings(product, env))) as client:
        r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json() == {"status": "unavailable", "users": True, "billing": False}
