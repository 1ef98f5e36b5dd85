"""The billing tab, plan upgrades, the usage API and page over HTTP (real Spanner emulator)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from saas_testkit import add_api_key, by_testid, find_tenant, onboard

from app.platform.db import Databases, query, query_one
from app.saas.dates import today_la


def test_upgrade_charges_proration(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    onboard(client, mail_sink, unique, plan="basic")
    r = client.get("/settings/billing")
    assert by_testid(r.text, "current-plan") == "Basic"
    r = client.get("/settings/billing/upgrade")
    assert 'data-testid="select-professional"' in r.text
    assert 'data-testid="select-enterprise"' in r.text
    assert 'data-testid="select-basic"' not in r.text
    r = client.get("/settings/billing/upgrade/professional")
    assert r.status_code == 200
    # Subscribed today: the whole cycle is left, so the full price difference is due.
    assert by_testid(r.text, "prorated-amount") == "100.00"
    assert by_testid(r.text, "prorated-currency") == "USD"
    r = client.post("/settings/billing/upgrade/professional", data={"expected_amount": "100.00"})
    assert r.status_code == 303, r.text
    assert "upgrade-success" in client.get(r.headers["location"]).text

    tenant = find_tenant(databases, f"{unique}.example.com")
    assert tenant["Plan"] == "professional"
    subs = query(
        databases.billing,
        "SELECT Plan, Status, Amount FROM Subscriptions WHERE TenantID = @t ORDER BY CreatedAt",
        {"t": tenant["TenantID"]},
    )
    assert subs == [
        {"Plan": "basic", "Status": "superseded", "Amount": Decimal("49.00")},
        {"Plan": "professional", "Status": "active", "Amount": Decimal("149.00")},
    ]
    invoices = query(
        databases.billing,
        "SELECT Amount, Status, DueDate FROM Invoices WHERE TenantID = @t",
        {"t": tenant["TenantID"]},
    )
    assert invoices == [{"Amount": Decimal("100.00"), "Status": "paid", "DueDate": today_la()}]
    # Downgrade is refused.
    r = client.get("/settings/billing/upgrade/basic")
    assert r.status_code == 400 and "not an upgrade" in r.text


def test_plan_shown_comes_from_billing_and_users_db_is_repaired(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    """A crash after the upgrade's billing write leaves Tenants.Plan stale; the next page
    view shows the billing plan and re-applies it to the tenant."""
    onboard(client, mail_sink, unique, plan="basic")
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    with databases.billing.batch() as batch:
        batch.update(
            "Subscriptions",
            columns=("SubscriptionID", "Plan", "Amount"),
            values=[
                (row["SubscriptionID"], "professional", Decimal("149.00"))
                for row in query(
                    databases.billing,
                    "SELECT SubscriptionID FROM Subscriptions WHERE TenantID = @t",
                    {"t": tenant_id},
                )
            ],
        )
    assert find_tenant(databases, f"{unique}.example.com")["Plan"] == "basic"
    assert by_testid(client.get("/settings/billing").text, "current-plan") == "Professional"
    assert find_tenant(databases, f"{unique}.example.com")["Plan"] == "professional"


def test_usage_api_and_page(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    key = add_api_key(databases, tenant_id)
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
    assert by_testid(r.text, "api-calls-today") == "3,500"
    assert by_testid(r.text, "storage-current") == "150 GB"
    assert by_testid(r.text, "active-users-peak") == "45"


def test_usage_page_shows_zeroes_without_usage(
    client: TestClient, mail_sink: Any, unique: str
) -> None:
    onboard(client, mail_sink, unique)
    r = client.get("/billing/usage")
    assert by_testid(r.text, "api-calls-today") == "0"
    assert by_testid(r.text, "storage-current") == "0 GB"
    assert by_testid(r.text, "active-users-peak") == "1"  # the admin, recorded at onboarding


def test_concurrent_usage_reports_all_land(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    """The emulator aborts concurrent read-write transactions; run_write must retry them."""
    onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    key = add_api_key(databases, tenant_id)
    url = f"/api/v1/tenants/{tenant_id}/usage"

    def post(value: int) -> int:
        body = {"metric_type": "api_calls", "value": value}
        return client.post(url, json=body, headers={"Authorization": f"Bearer {key}"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(post, range(1, 17)))
    assert statuses == [201] * 16
    total = query_one(
        databases.billing,
        "SELECT SUM(Value) AS Total FROM UsageMetrics WHERE TenantID = @t AND MetricType = @m",
        {"t": tenant_id, "m": "api_calls"},
    )
    assert total == {"Total": sum(range(1, 17))}
