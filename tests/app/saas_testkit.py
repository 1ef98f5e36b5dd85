"""Steps the SaaS HTTP tests share: onboarding a tenant, reading pages, adding rows."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi.testclient import TestClient
from google.cloud import spanner

from app.platform.db import Databases, query_one
from app.platform.security import hash_password, sha256_hex

PASSWORD = "SecurePassword123!"


def by_testid(html: str, name: str) -> str:
    """The text of the element with data-testid=name."""
    match = re.search(rf'data-testid="{name}"[^>]*>([^<]*)<', html)
    assert match, f"no element with data-testid={name}"
    return match.group(1).strip()


def confirm_email(client: TestClient, token: str) -> Any:
    """Presses the button of the emailed link's page (the link's GET changes nothing)."""
    return client.post("/verify", data={"token": token})


def onboard(client: TestClient, mail: Any, unique: str, plan: str = "basic") -> str:
    """Sign up and finish the wizard; returns the admin email."""
    email = at_profile_step(client, mail, unique, plan)
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


def at_profile_step(client: TestClient, mail: Any, unique: str, plan: str = "basic") -> str:
    """Sign up, confirm the admin's address and answer the organisation step: the wizard waits
    at its profile step. Returns the admin email."""
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
    link = re.search(r"http://testserver(/verify\?token=(\S+))", message.get_payload())
    assert link
    assert 'data-testid="confirm-email"' in client.get(link.group(1)).text
    r = confirm_email(client, link.group(2))
    assert r.status_code == 200 and "verification-success" in r.text
    assert 'data-testid="continue-setup"' in r.text
    r = client.post(
        "/onboarding/organisation", data={"company_size": "100-500", "industry": "technology"}
    )
    assert r.headers["location"] == "/onboarding/profile"
    return email


def find_tenant(databases: Databases, domain: str) -> dict:
    row = query_one(
        databases.users,
        "SELECT TenantID, Name, Plan, Status FROM Tenants WHERE Domain = @d",
        {"d": domain},
    )
    assert row
    return row


def add_operator(databases: Databases, email: str, admin_id: str | None = None) -> str:
    """A platform operator (PlatformAdmins row) with PASSWORD; returns the AdminID."""
    admin_id = admin_id or str(uuid.uuid4())
    with databases.users.batch() as batch:
        batch.insert(
            "PlatformAdmins",
            columns=("AdminID", "Email", "PasswordHash", "CreatedAt"),
            values=[(admin_id, email, hash_password(PASSWORD), spanner.COMMIT_TIMESTAMP)],
        )
    return admin_id


def add_api_key(databases: Databases, tenant_id: str) -> str:
    """A new API key of the tenant; returns the key."""
    key = f"key-{uuid.uuid4().hex}"
    with databases.users.batch() as batch:
        batch.insert(
            "ApiKeys",
            columns=("TenantID", "KeyID", "KeyHash", "Label", "CreatedAt"),
            values=[(tenant_id, str(uuid.uuid4()), sha256_hex(key), "test",
                     spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip
    return key
