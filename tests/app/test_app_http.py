"""HTTP-level flows through the app against the real Spanner emulator."""

from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from google.cloud import spanner

from app.dates import add_months, today_la
from app.db import Databases, query, query_one
from app.security import hash_password, sha256_hex

PASSWORD = "SecurePassword123!"


def _testid(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    assert match, f"no element with data-testid={testid}"
    return match.group(1).strip()


def _onboard(client: TestClient, mail: Any, unique: str, plan: str = "basic") -> str:
    """Sign up and finish the wizard; returns the admin email."""
    email = f"admin@{unique}.example.com"
    r = client.post(
        "/signup",
        data={"company_name": f"Acme {unique}", "domain": f"{unique}.example.com",
              "admin_email": email, "plan": plan},
    )  # fmt: skip
    assert r.status_code == 303, r.text
    assert "email-verification-notice" in client.get(r.headers["location"]).text
    message = mail.last_to(email)
    assert message["Subject"] == "Verify your email"
    link = re.search(r"http://testserver(/verify\?token=\S+)", message.get_payload())
    assert link
    r = client.get(link.group(1))
    assert r.status_code == 200 and "verification-success" in r.text
    assert 'data-testid="continue-setup"' in r.text
    r = client.post(
        "/onboarding/organisation", data={"company_size": "100-500", "industry": "technology"}
    )
    assert r.headers["location"] == "/onboarding/profile"
    r = client.post(
        "/onboarding/profile",
        data={"first_name": "John", "last_name": "Admin", "password": PASSWORD,
              "confirm_password": PASSWORD},
    )  # fmt: skip
    assert r.headers["location"] == "/onboarding/billing"
    r = client.post(
        "/onboarding/billing",
        data={"card_number": "4242 4242 4242 4242", "expiry": "12/99", "cvc": "123",
              "billing_address": "123 Enterprise St"},
    )  # fmt: skip
    assert r.headers["location"] == "/dashboard?welcome=1"
    return email


def _tenant(databases: Databases, domain: str) -> dict:
    row = query_one(
        databases.primary,
        "SELECT TenantID, Name, Plan, Status FROM Tenants WHERE Domain = @d",
        {"d": domain},
    )
    assert row
    return row


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_signup_validation_rerenders_form(client: TestClient) -> None:
    r = client.post(
        "/signup",
        data={"company_name": "A", "domain": "not a domain", "admin_email": "nope",
              "plan": "gold"},
    )  # fmt: skip
    assert r.status_code == 400
    assert "Company name must be 2 to 200 characters." in r.text
    assert "Enter a valid domain name" in r.text
    assert "Enter a valid email address" in r.text
    assert "Choose a plan from the list." in r.text
    assert 'data-testid="start-trial"' in r.text


def test_verify_rejects_unknown_token(client: TestClient) -> None:
    r = client.get("/verify", params={"token": "not-a-real-token"})
    assert r.status_code == 400
    assert "verification-error" in r.text


def test_full_onboarding(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = _onboard(client, mail_sink, unique, plan="enterprise")
    r = client.get("/dashboard?welcome=1")
    assert r.status_code == 200
    assert "onboarding-complete" in r.text
    assert _testid(r.text, "dashboard-plan") == "Enterprise"

    tenant = _tenant(databases, f"{unique}.example.com")
    assert (tenant["Plan"], tenant["Status"]) == ("enterprise", "active")
    user = query_one(
        databases.primary,
        "SELECT Email, Role, Status FROM Users WHERE TenantID = @t",
        {"t": tenant["TenantID"]},
    )
    assert user == {"Email": email, "Role": "admin", "Status": "active"}
    subs = query(
        databases.secondary,
        "SELECT Plan, Status, Amount, Currency, BillingCycle, NextBillingDate "
        "FROM Subscriptions WHERE TenantID = @t",
        {"t": tenant["TenantID"]},
    )
    assert subs == [
        {"Plan": "enterprise", "Status": "active", "Amount": Decimal("499.00"), "Currency": "USD",
         "BillingCycle": "monthly", "NextBillingDate": add_months(today_la(), 1)}
    ]  # fmt: skip
    usage = query(
        databases.secondary,
        "SELECT MetricType, Value FROM UsageMetrics "
        "WHERE TenantID = @t AND Period = CURRENT_DATE()",
        {"t": tenant["TenantID"]},
    )
    assert usage == [{"MetricType": "active_users", "Value": 1}]
    card = query_one(
        databases.secondary,
        "SELECT Brand, Last4 FROM PaymentMethods WHERE TenantID = @t",
        {"t": tenant["TenantID"]},
    )
    assert card == {"Brand": "visa", "Last4": "4242"}

    # A fresh login works with the password set in the wizard.
    client.post("/logout")
    assert client.get("/dashboard").headers["location"] == "/login"
    r = client.post("/login", data={"email": email, "password": "wrong-Password1!"})
    assert r.status_code == 401 and "login-error" in r.text
    r = client.post("/login", data={"email": email, "password": PASSWORD})
    assert r.headers["location"] == "/dashboard"


def test_wizard_cannot_skip_ahead_and_declined_card_writes_nothing(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = f"admin@{unique}.example.com"
    client.post(
        "/signup",
        data={"company_name": f"Skip {unique}", "domain": f"{unique}.example.com",
              "admin_email": email, "plan": "basic"},
    )  # fmt: skip
    link = re.search(r"(/verify\?token=\S+)", mail_sink.last_to(email).get_payload())
    assert link
    client.get(link.group(1))
    assert client.get("/onboarding/billing").headers["location"] == "/onboarding/organisation"
    assert client.get("/dashboard").headers["location"] == "/onboarding/organisation"
    client.post("/onboarding/organisation", data={"company_size": "1-10", "industry": "retail"})
    r = client.post(
        "/onboarding/profile",
        data={"first_name": "A", "last_name": "B", "password": "short",
              "confirm_password": "other"},
    )  # fmt: skip
    assert r.status_code == 400
    assert "at least 12 characters" in r.text and "does not match" in r.text
    client.post(
        "/onboarding/profile",
        data={"first_name": "A", "last_name": "B", "password": PASSWORD,
              "confirm_password": PASSWORD},
    )  # fmt: skip
    r = client.post(
        "/onboarding/billing",
        data={"card_number": "4000 0000 0000 0002", "expiry": "12/99", "cvc": "123",
              "billing_address": "1 Main Street"},
    )  # fmt: skip
    assert r.status_code == 400
    assert _testid(r.text, "payment-error") == "Your card was declined."
    tenant = _tenant(databases, f"{unique}.example.com")
    for sql in (
        "SELECT TenantID FROM Subscriptions WHERE TenantID = @t",
        "SELECT TenantID FROM PaymentMethods WHERE TenantID = @t",
        "SELECT TenantID FROM UsageMetrics WHERE TenantID = @t",
    ):
        assert query(databases.secondary, sql, {"t": tenant["TenantID"]}) == [], sql
    assert tenant["Status"] == "onboarding"


def test_upgrade_charges_proration(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    _onboard(client, mail_sink, unique, plan="basic")
    r = client.get("/settings/billing")
    assert _testid(r.text, "current-plan") == "Basic"
    r = client.get("/settings/billing/upgrade")
    assert 'data-testid="select-professional"' in r.text
    assert 'data-testid="select-enterprise"' in r.text
    assert 'data-testid="select-basic"' not in r.text
    r = client.get("/settings/billing/upgrade/professional")
    assert r.status_code == 200
    # Subscribed today: the whole cycle is left, so the full price difference is due.
    assert _testid(r.text, "prorated-amount") == "100.00"
    assert _testid(r.text, "prorated-currency") == "USD"
    r = client.post("/settings/billing/upgrade/professional", data={"expected_amount": "100.00"})
    assert r.status_code == 303, r.text
    assert "upgrade-success" in client.get(r.headers["location"]).text

    tenant = _tenant(databases, f"{unique}.example.com")
    assert tenant["Plan"] == "professional"
    subs = query(
        databases.secondary,
        "SELECT Plan, Status, Amount FROM Subscriptions WHERE TenantID = @t ORDER BY CreatedAt",
        {"t": tenant["TenantID"]},
    )
    assert subs == [
        {"Plan": "basic", "Status": "superseded", "Amount": Decimal("49.00")},
        {"Plan": "professional", "Status": "active", "Amount": Decimal("149.00")},
    ]
    invoices = query(
        databases.secondary,
        "SELECT Amount, Status, DueDate FROM Invoices WHERE TenantID = @t",
        {"t": tenant["TenantID"]},
    )
    assert invoices == [{"Amount": Decimal("100.00"), "Status": "paid", "DueDate": today_la()}]
    # Downgrade is refused.
    r = client.get("/settings/billing/upgrade/basic")
    assert r.status_code == 400 and "not an upgrade" in r.text


def test_usage_api_and_page(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    _onboard(client, mail_sink, unique)
    tenant_id = _tenant(databases, f"{unique}.example.com")["TenantID"]
    key = f"key-{uuid.uuid4().hex}"
    with databases.primary.batch() as batch:
        batch.insert(
            "ApiKeys",
            columns=("TenantID", "KeyID", "KeyHash", "Label", "CreatedAt"),
            values=[(tenant_id, str(uuid.uuid4()), sha256_hex(key), "test",
                     spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip
    url = f"/api/v1/tenants/{tenant_id}/usage"
    auth = {"Authorization": f"Bearer {key}"}
    now = datetime.now(UTC)
    earlier = (now - timedelta(minutes=5)).isoformat()
    for body in (
        {"metric_type": "api_calls", "value": 1000},
        {"metric_type": "api_calls", "value": 2500},
        # Posted out of order: the latest reading by recorded_at wins, not the last posted.
        {"metric_type": "storage_gb", "value": 150, "recorded_at": now.isoformat()},
        {"metric_type": "storage_gb", "value": 100, "recorded_at": earlier},
        {"metric_type": "active_users", "value": 45},
        {"metric_type": "active_users", "value": 12},
    ):
        r = client.post(url, json=body, headers=auth)
        assert r.status_code == 201, r.text
        assert r.json()["period"] == today_la().isoformat()

    assert client.post(url, json={"metric_type": "api_calls", "value": 1}).status_code == 401
    bad_key = {"Authorization": "Bearer nope"}
    r = client.post(url, json={"metric_type": "api_calls", "value": 1}, headers=bad_key)
    assert r.status_code == 401
    r = client.post(url, json={"metric_type": "api_calls", "value": True}, headers=auth)
    assert r.status_code == 400 and "value" in r.json()["error"]
    r = client.post(url, content=b"{not json", headers=auth)
    assert r.status_code == 400 and "JSON" in r.json()["error"]
    r = client.post(
        f"/api/v1/tenants/{uuid.uuid4()}/usage", json={"metric_type": "api_calls", "value": 1},
        headers=auth,
    )  # fmt: skip
    assert r.status_code == 404

    r = client.get("/billing/usage")
    assert _testid(r.text, "api-calls-today") == "3,500"
    assert _testid(r.text, "storage-current") == "150 GB"
    assert _testid(r.text, "active-users-peak") == "45"


def test_admin_suspends_tenant(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = _onboard(client, mail_sink, unique)
    tenant_id = _tenant(databases, f"{unique}.example.com")["TenantID"]
    admin_email = f"ops-{unique}@platform.example.com"
    with databases.primary.batch() as batch:
        batch.insert(
            "PlatformAdmins",
            columns=("AdminID", "Email", "PasswordHash", "CreatedAt"),
            values=[(str(uuid.uuid4()), admin_email, hash_password(PASSWORD),
                     spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip
    assert client.get("/admin/tenants").headers["location"] == "/admin/login"
    r = client.post("/admin/login", data={"email": admin_email, "password": PASSWORD})
    assert r.headers["location"] == "/admin/tenants"
    r = client.get("/admin/tenants", params={"q": f"{unique}.EXAMPLE"})
    assert r.text.count('data-testid="tenant-row"') == 1
    assert f"/admin/tenants/{tenant_id}/suspend" in r.text

    r = client.post(f"/admin/tenants/{tenant_id}/suspend", data={"suspension_reason": "no"})
    assert r.status_code == 400 and "5 to 500 characters" in r.text
    r = client.post(
        f"/admin/tenants/{tenant_id}/suspend", data={"suspension_reason": "Payment overdue"}
    )
    assert r.status_code == 303
    assert "suspension-success" in client.get(r.headers["location"]).text
    r = client.post(
        f"/admin/tenants/{tenant_id}/suspend", data={"suspension_reason": "Payment overdue"}
    )
    assert r.status_code == 409 and "already suspended" in r.text

    assert _tenant(databases, f"{unique}.example.com")["Status"] == "suspended"
    sessions = query(
        databases.primary,
        "SELECT SessionID FROM UserSessions WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert sessions == []
    subs = query(
        databases.secondary,
        "SELECT Status FROM Subscriptions WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert subs == [{"Status": "suspended"}]
    synced = query(
        databases.primary,
        "SELECT BillingSyncedAt FROM TenantSuspensions WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert len(synced) == 1 and synced[0]["BillingSyncedAt"] is not None

    client.cookies.clear()
    r = client.post("/login", data={"email": email, "password": PASSWORD})
    assert r.status_code == 403
    assert "account-suspended" in r.text and 'class="contact-support"' in r.text
    assert "mailto:support@saas.example.com" in r.text


def test_usage_page_shows_zeroes_without_usage(
    client: TestClient, mail_sink: Any, unique: str
) -> None:
    _onboard(client, mail_sink, unique)
    r = client.get("/billing/usage")
    assert _testid(r.text, "api-calls-today") == "0"
    assert _testid(r.text, "storage-current") == "0 GB"
    assert _testid(r.text, "active-users-peak") == "1"  # the admin, recorded at onboarding


def test_concurrent_usage_reports_all_land(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    """The emulator aborts concurrent read-write transactions; run_write must retry them."""
    _onboard(client, mail_sink, unique)
    tenant_id = _tenant(databases, f"{unique}.example.com")["TenantID"]
    key = f"key-{uuid.uuid4().hex}"
    with databases.primary.batch() as batch:
        batch.insert(
            "ApiKeys",
            columns=("TenantID", "KeyID", "KeyHash", "Label", "CreatedAt"),
            values=[(tenant_id, str(uuid.uuid4()), sha256_hex(key), "test",
                     spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip
    url = f"/api/v1/tenants/{tenant_id}/usage"

    def post(value: int) -> int:
        body = {"metric_type": "api_calls", "value": value}
        return client.post(url, json=body, headers={"Authorization": f"Bearer {key}"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(post, range(1, 17)))
    assert statuses == [201] * 16
    total = query_one(
        databases.secondary,
        "SELECT SUM(Value) AS Total FROM UsageMetrics WHERE TenantID = @t AND MetricType = @m",
        {"t": tenant_id, "m": "api_calls"},
    )
    assert total == {"Total": sum(range(1, 17))}


def test_half_done_suspension_is_repaired(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    """A crash after the primary write (a) leaves billing active; the next admin page load
    finishes steps (b) and (c)."""
    _onboard(client, mail_sink, unique)
    tenant_id = _tenant(databases, f"{unique}.example.com")["TenantID"]
    admin_id = str(uuid.uuid4())
    with databases.primary.batch() as batch:
        batch.update("Tenants", columns=("TenantID", "Status"), values=[(tenant_id, "suspended")])
        batch.insert(
            "TenantSuspensions",
            columns=("TenantID", "SuspensionID", "Reason", "SuspendedBy", "CreatedAt"),
            values=[(tenant_id, str(uuid.uuid4()), "crashed half-way", admin_id,
                     spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip
        batch.insert(
            "PlatformAdmins",
            columns=("AdminID", "Email", "PasswordHash", "CreatedAt"),
            values=[(admin_id, f"ops-{unique}@platform.example.com", hash_password(PASSWORD),
                     spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip
    status_sql = "SELECT Status FROM Subscriptions WHERE TenantID = @t"
    assert query(databases.secondary, status_sql, {"t": tenant_id}) == [{"Status": "active"}]

    client.cookies.clear()
    client.post(
        "/admin/login", data={"email": f"ops-{unique}@platform.example.com", "password": PASSWORD}
    )
    assert client.get("/admin/tenants").status_code == 200
    assert query(databases.secondary, status_sql, {"t": tenant_id}) == [{"Status": "suspended"}]
    synced = query_one(
        databases.primary,
        "SELECT BillingSyncedAt FROM TenantSuspensions WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert synced and synced["BillingSyncedAt"] is not None


def test_suspended_tenant_session_is_logged_out(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    _onboard(client, mail_sink, unique)
    tenant_id = _tenant(databases, f"{unique}.example.com")["TenantID"]
    assert client.get("/dashboard").status_code == 200
    # Even if a session row survived, a suspended tenant's requests are refused.
    with databases.primary.batch() as batch:
        batch.update("Tenants", columns=("TenantID", "Status"), values=[(tenant_id, "suspended")])
    r = client.get("/dashboard")
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_billing_step_finishes_when_only_the_primary_write_was_lost(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    _onboard(client, mail_sink, unique)
    tenant_id = _tenant(databases, f"{unique}.example.com")["TenantID"]
    # Simulate a crash after the billing write: the primary still says "billing".
    with databases.primary.batch() as batch:
        batch.update("Tenants", columns=("TenantID", "Status"), values=[(tenant_id, "onboarding")])
        batch.update(
            "TenantProfiles",
            columns=("TenantID", "OnboardingStep"),
            values=[(tenant_id, "billing")],
        )
    assert client.get("/dashboard").headers["location"] == "/onboarding/billing"
    assert client.get("/onboarding/billing").headers["location"] == "/dashboard?welcome=1"
    assert _tenant(databases, f"{unique}.example.com")["Status"] == "active"
    subs = query(
        databases.secondary,
        "SELECT Status FROM Subscriptions WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert subs == [{"Status": "active"}]


def test_plan_shown_comes_from_billing_and_primary_is_repaired(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    """A crash after the upgrade's billing write leaves Tenants.Plan stale; the next page
    view shows the billing plan and re-applies it to the tenant."""
    _onboard(client, mail_sink, unique, plan="basic")
    tenant_id = _tenant(databases, f"{unique}.example.com")["TenantID"]
    with databases.secondary.batch() as batch:
        batch.update(
            "Subscriptions",
            columns=("SubscriptionID", "Plan", "Amount"),
            values=[
                (row["SubscriptionID"], "professional", Decimal("149.00"))
                for row in query(
                    databases.secondary,
                    "SELECT SubscriptionID FROM Subscriptions WHERE TenantID = @t",
                    {"t": tenant_id},
                )
            ],
        )
    assert _tenant(databases, f"{unique}.example.com")["Plan"] == "basic"
    assert _testid(client.get("/settings/billing").text, "current-plan") == "Professional"
    assert _tenant(databases, f"{unique}.example.com")["Plan"] == "professional"
