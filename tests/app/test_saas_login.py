"""One /login for tenant users and platform operators (the SaaS authenticator)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from saas_testkit import PASSWORD, add_operator, find_tenant, onboard

from app.platform.db import Databases, query
from app.platform.security import sha256_hex

SESSION_SQL = {
    "UserSessions": "SELECT SessionID FROM UserSessions WHERE SessionID = @sid",
    "AdminSessions": "SELECT SessionID FROM AdminSessions WHERE SessionID = @sid",
}


def _sessions(databases: Databases, table: str, session_token: str) -> list[dict]:
    return query(databases.users, SESSION_SQL[table], {"sid": sha256_hex(session_token)})


def test_user_and_operator_log_in_at_the_same_page(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique)
    operator = f"ops-{unique}@platform.example.com"
    add_operator(databases, operator)
    client.cookies.clear()

    r = client.get("/login")
    assert r.status_code == 200
    for testid in ("email", "password", "login"):
        assert f'data-testid="{testid}"' in r.text
    assert "<title>Log in · SaaS Platform</title>" in r.text
    assert '<a href="/signup">Start a free trial</a>' in r.text

    r = client.post("/login", data={"email": email, "password": PASSWORD})
    assert (r.status_code, r.headers["location"]) == (303, "/dashboard")
    assert _sessions(databases, "UserSessions", r.cookies["session"])
    r = client.get("/dashboard")
    assert r.status_code == 200 and 'data-testid="dashboard"' in r.text
    assert client.get("/api/dashboard").json()["plan"]["name"] == "Basic"
    assert 'data-testid="logout"' in r.text
    # A tenant user is no operator.
    assert client.get("/admin/tenants").headers["location"] == "/login"

    client.cookies.clear()
    r = client.post("/login", data={"email": operator.upper(), "password": PASSWORD})
    assert (r.status_code, r.headers["location"]) == (303, "/admin/tenants")
    assert _sessions(databases, "AdminSessions", r.cookies["admin_session"])
    r = client.get("/admin/tenants")
    assert r.status_code == 200
    assert 'data-testid="search"' in r.text and 'data-testid="admin-logout"' in r.text
    # An operator is no tenant user.
    assert client.get("/dashboard").headers["location"] == "/login"


def test_wrong_password_is_refused_for_users_and_operators(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    operator = f"ops-{unique}@platform.example.com"
    admin_id = add_operator(databases, operator)
    client.cookies.clear()
    user_sessions_sql = "SELECT SessionID FROM UserSessions WHERE TenantID = @t"
    before = query(databases.users, user_sessions_sql, {"t": tenant_id})

    for who in (email, operator, f"nobody-{unique}@platform.example.com"):
        r = client.post("/login", data={"email": who, "password": "wrong-Password1!"})
        assert r.status_code == 401, who
        assert '<p class="login-error" role="alert">Incorrect email or password.</p>' in r.text
        assert "set-cookie" not in r.headers
    assert query(databases.users, user_sessions_sql, {"t": tenant_id}) == before
    admin_sessions = query(
        databases.users, "SELECT SessionID FROM AdminSessions WHERE AdminID = @a", {"a": admin_id}
    )
    assert admin_sessions == []


def test_anonymous_admin_pages_redirect_to_login(client: TestClient) -> None:
    r = client.get("/admin/tenants")
    assert (r.status_code, r.headers["location"]) == (303, "/login")
    assert client.get("/admin").headers["location"] == "/admin/tenants"
    r = client.post("/admin/tenants/t-1/suspend", data={"suspension_reason": "Payment overdue"})
    assert (r.status_code, r.headers["location"]) == (303, "/login")
    # The operators' own login page is gone.
    assert client.get("/admin/login").status_code == 404
    assert client.post("/admin/login", data={"email": "a@b.example.com"}).status_code == 404


def test_logout_logs_out_user_and_operator(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique)
    operator = f"ops-{unique}@platform.example.com"
    add_operator(databases, operator)
    user_token = client.post("/login", data={"email": email, "password": PASSWORD}).cookies[
        "session"
    ]
    admin_token = client.post("/login", data={"email": operator, "password": PASSWORD}).cookies[
        "admin_session"
    ]
    assert client.get("/dashboard").status_code == 200
    assert client.get("/admin/tenants").status_code == 200

    r = client.post("/logout")
    assert (r.status_code, r.headers["location"]) == (303, "/login")
    assert _sessions(databases, "UserSessions", user_token) == []
    assert _sessions(databases, "AdminSessions", admin_token) == []
    assert client.get("/dashboard").headers["location"] == "/login"
    assert client.get("/admin/tenants").headers["location"] == "/login"
