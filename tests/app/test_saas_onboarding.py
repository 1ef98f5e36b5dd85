"""Sign-up, email verification and the setup wizard over HTTP (real Spanner emulator)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from saas_testkit import PASSWORD, by_testid, confirm_email, find_tenant, onboard

from app.platform.db import Databases, query, query_one
from app.saas.dates import add_months, today_la


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
    r = confirm_email(client, "not-a-real-token")
    assert r.status_code == 400
    assert "verification-error" in r.text


def test_full_onboarding(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique, plan="enterprise")
    r = client.get("/dashboard?welcome=1")
    assert r.status_code == 200
    assert "onboarding-complete" in r.text
    assert client.get("/api/dashboard").json()["plan"]["name"] == "Enterprise"

    tenant = find_tenant(databases, f"{unique}.example.com")
    assert (tenant["Plan"], tenant["Status"]) == ("enterprise", "active")
    user = query_one(
        databases.users,
        "SELECT Email, Role, Status FROM Users WHERE TenantID = @t",
        {"t": tenant["TenantID"]},
    )
    assert user == {"Email": email, "Role": "admin", "Status": "active"}
    subs = query(
        databases.billing,
        "SELECT Plan, Status, Amount, Currency, BillingCycle, NextBillingDate "
        "FROM Subscriptions WHERE TenantID = @t",
        {"t": tenant["TenantID"]},
    )
    assert subs == [
        {"Plan": "enterprise", "Status": "active", "Amount": Decimal("499.00"), "Currency": "USD",
         "BillingCycle": "monthly", "NextBillingDate": add_months(today_la(), 1)}
    ]  # fmt: skip
    usage = query(
        databases.billing,
        "SELECT MetricType, Value FROM UsageMetrics "
        "WHERE TenantID = @t AND Period = CURRENT_DATE()",
        {"t": tenant["TenantID"]},
    )
    assert usage == [{"MetricType": "active_users", "Value": 1}]
    card = query_one(
        databases.billing,
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
    link = re.search(r"/verify\?token=(\S+)", mail_sink.last_to(email).get_payload())
    assert link
    confirm_email(client, link.group(1))
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
    assert by_testid(r.text, "payment-error") == "Your card was declined."
    tenant = find_tenant(databases, f"{unique}.example.com")
    for sql in (
        "SELECT TenantID FROM Subscriptions WHERE TenantID = @t",
        "SELECT TenantID FROM PaymentMethods WHERE TenantID = @t",
        "SELECT TenantID FROM UsageMetrics WHERE TenantID = @t",
    ):
        assert query(databases.billing, sql, {"t": tenant["TenantID"]}) == [], sql
    assert tenant["Status"] == "onboarding"


def test_billing_step_finishes_when_only_the_users_write_was_lost(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    # Simulate a crash after the billing write: the users database still says "billing".
    with databases.users.batch() as batch:
        batch.update("Tenants", columns=("TenantID", "Status"), values=[(tenant_id, "onboarding")])
        batch.update(
            "TenantProfiles",
            columns=("TenantID", "OnboardingStep"),
            values=[(tenant_id, "billing")],
        )
    assert client.get("/dashboard").headers["location"] == "/onboarding/billing"
    assert client.get("/onboarding/billing").headers["location"] == "/dashboard?welcome=1"
    assert find_tenant(databases, f"{unique}.example.com")["Status"] == "active"
    subs = query(
        databases.billing,
        "SELECT Status FROM Subscriptions WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert subs == [{"Status": "active"}]
