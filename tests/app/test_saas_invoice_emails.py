"""Whether invoices are emailed, on the billing settings page (real Spanner emulator)."""

from __future__ import annotations

import uuid
from typing import Any

from csrf_client import browser_client
from fastapi.testclient import TestClient
from google.cloud import spanner
from saas_testkit import PASSWORD, by_testid, find_tenant, onboard

from app.platform.db import Databases, query
from app.platform.security import hash_password

SAVE = "/settings/billing/invoice-emails"
BOX = 'name="email_invoices" value="yes"'


def _preferences(databases: Databases, tenant_id: str) -> list[dict[str, Any]]:
    return query(
        databases.billing,
        "SELECT EmailInvoices, UpdatedBy FROM InvoicePreferences WHERE TenantID = @t",
        {"t": tenant_id},
    )


def _box_ticked(html: str) -> bool:
    assert BOX in html, "no invoice email check box on the page"
    return f"{BOX} checked" in html


def _user_id(databases: Databases, tenant_id: str, email: str) -> str:
    rows = query(
        databases.users,
        "SELECT UserID FROM Users WHERE TenantID = @t AND Email = @e",
        {"t": tenant_id, "e": email},
    )
    assert len(rows) == 1, rows
    return rows[0]["UserID"]


def _add_member(databases: Databases, tenant_id: str, email: str) -> None:
    ts, user_id = spanner.COMMIT_TIMESTAMP, str(uuid.uuid4())
    with databases.users.batch() as batch:
        batch.insert(
            "Users",
            columns=("TenantID", "UserID", "Email", "Role", "Status", "CreatedAt"),
            values=[(tenant_id, user_id, email, "member", "active", ts)],
        )
        batch.insert(
            "UserCredentials",
            columns=("TenantID", "UserID", "PasswordHash", "UpdatedAt"),
            values=[(tenant_id, user_id, hash_password(PASSWORD), ts)],
        )


def test_the_choice_is_saved_for_the_tenant_and_shown_again(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    page = client.get("/settings/billing").text
    assert _box_ticked(page)
    assert by_testid(page, "invoice-emails") == "Each invoice is sent by email."
    assert _preferences(databases, tenant_id) == []

    r = client.post(SAVE, data={})  # an unticked box sends nothing
    assert (r.status_code, r.headers["location"]) == (303, "/settings/billing?saved=invoice-emails")
    admin_id = _user_id(databases, tenant_id, email)
    assert _preferences(databases, tenant_id) == [{"EmailInvoices": False, "UpdatedBy": admin_id}]
    page = client.get(r.headers["location"]).text
    assert not _box_ticked(page)
    assert by_testid(page, "invoice-emails") == "Invoices are not sent by email."
    assert "Your invoice preference was saved." in page

    r = client.post(SAVE, data={"email_invoices": "yes"})
    assert r.status_code == 303
    assert _preferences(databases, tenant_id) == [{"EmailInvoices": True, "UpdatedBy": admin_id}]
    assert _box_ticked(client.get("/settings/billing").text)


def test_a_form_without_its_csrf_token_changes_nothing(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    page = client.get("/settings/billing").text
    assert 'name="csrf_token"' in page.split('action="/settings/billing/invoice-emails"')[1]
    # The same signed-in browser (session and csrf cookies), but a form that carries no token.
    plain = TestClient(client.app, follow_redirects=False, cookies=dict(client.cookies))
    assert "session" in plain.cookies
    r = plain.post(SAVE, data={})
    assert r.status_code == 403, r.text
    assert "This form has expired or was not sent from this site" in r.text
    assert _preferences(databases, tenant_id) == []


def test_someone_who_does_not_manage_billing_cannot_change_it(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    member = f"member@{unique}.example.com"
    _add_member(databases, tenant_id, member)
    with browser_client(client.app, follow_redirects=False) as browser:
        r = browser.post("/login", data={"email": member, "password": PASSWORD})
        assert (r.status_code, r.headers["location"]) == (303, "/dashboard")
        page = browser.get("/settings/billing").text
        assert BOX not in page and "Save invoice preference" not in page
        assert by_testid(page, "invoice-emails") == "Each invoice is sent by email."
        assert "Ask an administrator to change whether invoices are emailed." in page

        r = browser.post(SAVE, data={})
        assert r.status_code == 403
        assert '<p class="form-error" role="alert">Only administrators' in r.text
    assert _preferences(databases, tenant_id) == []
