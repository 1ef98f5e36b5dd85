"""Platform operators: tenant search and suspension over HTTP (real Spanner emulator)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from google.cloud import spanner
from saas_testkit import PASSWORD, add_operator, find_tenant, onboard

from app.platform.db import Databases, query, query_one
from app.platform.security import hash_password


def test_admin_suspends_tenant(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    admin_email = f"ops-{unique}@platform.example.com"
    add_operator(databases, admin_email)
    assert client.get("/admin/tenants").headers["location"] == "/login"
    r = client.post("/login", data={"email": admin_email, "password": PASSWORD})
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

    assert find_tenant(databases, f"{unique}.example.com")["Status"] == "suspended"
    sessions = query(
        databases.users,
        "SELECT SessionID FROM UserSessions WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert sessions == []
    subs = query(
        databases.billing,
        "SELECT Status FROM Subscriptions WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert subs == [{"Status": "suspended"}]
    synced = query(
        databases.users,
        "SELECT BillingSyncedAt FROM TenantSuspensions WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert len(synced) == 1 and synced[0]["BillingSyncedAt"] is not None

    client.cookies.clear()
    r = client.post("/login", data={"email": email, "password": PASSWORD})
    assert r.status_code == 403
    assert "account-suspended" in r.text and 'class="contact-support"' in r.text
    assert "mailto:support@saas.example.com" in r.text
    assert "session" not in r.cookies
    assert query(databases.users, "SELECT SessionID FROM UserSessions WHERE TenantID = @t",
                 {"t": tenant_id}) == []  # fmt: skip


def test_half_done_suspension_is_repaired(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    """A crash after the users-database write (a) leaves billing active; the next admin page load
    finishes steps (b) and (c)."""
    onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    admin_id = str(uuid.uuid4())
    with databases.users.batch() as batch:
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
    assert query(databases.billing, status_sql, {"t": tenant_id}) == [{"Status": "active"}]

    client.cookies.clear()
    r = client.post(
        "/login", data={"email": f"ops-{unique}@platform.example.com", "password": PASSWORD}
    )
    assert r.headers["location"] == "/admin/tenants"
    assert client.get("/admin/tenants").status_code == 200
    assert query(databases.billing, status_sql, {"t": tenant_id}) == [{"Status": "suspended"}]
    synced = query_one(
        databases.users,
        "SELECT BillingSyncedAt FROM TenantSuspensions WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert synced and synced["BillingSyncedAt"] is not None


def test_suspended_tenant_session_is_logged_out(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    assert client.get("/dashboard").status_code == 200
    # Even if a session row survived, a suspended tenant's requests are refused.
    with databases.users.batch() as batch:
        batch.update("Tenants", columns=("TenantID", "Status"), values=[(tenant_id, "suspended")])
    r = client.get("/dashboard")
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_an_interrupted_reinstatement_is_finished_by_reinstating_again(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    """Reinstatement touches billing first: when it stops before the tenant is active again,
    the console still offers it and doing it again finishes it. A browser cannot interrupt it."""
    from app.platform.db import run_write, tx_update
    from app.saas.suspension import repair_billing_sync

    onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    admin_email = f"ops-{unique}@platform.example.com"
    add_operator(databases, admin_email)
    client.cookies.clear()
    client.post("/login", data={"email": admin_email, "password": PASSWORD})
    r = client.post(
        f"/admin/tenants/{tenant_id}/suspend", data={"suspension_reason": "Payment overdue"}
    )
    assert r.status_code == 303
    # billing reactivated, then the reinstatement stopped, and the suspension looks unsynced
    run_write(databases.billing, lambda txn: tx_update(
        txn, "UPDATE Subscriptions SET Status = @a WHERE TenantID = @t",
        {"a": "active", "t": tenant_id}))  # fmt: skip
    run_write(databases.users, lambda txn: tx_update(
        txn, "UPDATE TenantSuspensions SET BillingSyncedAt = NULL WHERE TenantID = @t",
        {"t": tenant_id}))  # fmt: skip
    listing = client.get("/admin/tenants", params={"q": f"{unique}.example.com"}).text
    assert f'action="/admin/tenants/{tenant_id}/reinstate"' in listing
    r = client.post(f"/admin/tenants/{tenant_id}/reinstate")
    assert (
        r.status_code == 303 and "reinstatement-success" in client.get(r.headers["location"]).text
    )
    assert find_tenant(databases, f"{unique}.example.com")["Status"] == "active"
    repair_billing_sync(databases)  # an old unsynced suspension does not suspend it again
    subs = query(databases.billing, "SELECT Status FROM Subscriptions WHERE TenantID = @t",
                 {"t": tenant_id})  # fmt: skip
    assert subs == [{"Status": "active"}]
    r = client.post(f"/admin/tenants/{tenant_id}/reinstate")
    assert r.status_code == 409 and "not suspended" in r.text
