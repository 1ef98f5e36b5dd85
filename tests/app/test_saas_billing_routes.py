"""The upgrade's confirmation when its subscription changes between the quote and the switch:
a race of two requests that no browser-level scenario can time, so it is told here, with a
gateway that lets the other change land while the card is being charged."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from google.cloud import spanner
from saas_testkit import by_testid, find_tenant, onboard

from app.platform.db import Databases, query
from app.saas.payments import Card, Charge, Gateway


class ChangedWhileCharging(Gateway):
    """Charges as the real gateway does; meanwhile another upgrade of the tenant lands (its
    active subscription superseded by a Professional one), and every refund is kept."""

    def __init__(self, databases: Databases, tenant_id: str) -> None:
        self.databases, self.tenant_id = databases, tenant_id
        self.charges: list[Charge] = []
        self.refunds: list[Charge] = []

    def charge_card_on_file(
        self, card: Card, amount: Decimal, currency: str, today: date
    ) -> Charge:
        charge = super().charge_card_on_file(card, amount, currency, today)
        self.charges.append(charge)
        active = _subscriptions(self.databases, self.tenant_id)[-1]
        with self.databases.billing.batch() as batch:
            batch.update(
                "Subscriptions",
                columns=("SubscriptionID", "Status"),
                values=[(active["SubscriptionID"], "superseded")],
            )
            batch.insert(
                "Subscriptions",
                columns=("SubscriptionID", "TenantID", "Plan", "Status", "BillingCycle",
                         "Amount", "Currency", "NextBillingDate", "CreatedAt"),
                values=[(str(uuid.uuid4()), self.tenant_id, "professional", "active",
                         "monthly", Decimal("149.00"), "USD", active["NextBillingDate"],
                         spanner.COMMIT_TIMESTAMP)],
            )  # fmt: skip
        return charge

    def refund(self, charge: Charge) -> None:
        self.refunds.append(charge)
        super().refund(charge)


def _subscriptions(databases: Databases, tenant_id: str) -> list[dict[str, Any]]:
    return query(
        databases.billing,
        """
        SELECT SubscriptionID, Plan, Status, NextBillingDate FROM Subscriptions
        WHERE TenantID = @t ORDER BY CreatedAt
        """,
        {"t": tenant_id},
    )


def test_a_subscription_changed_while_charging_is_refunded_and_sent_back_for_review(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    """Rule: an upgrade whose subscription changed after its quote switches nothing, refunds
    its charge and answers a conflict (409) asking for a review, not a server error."""
    onboard(client, mail_sink, unique, plan="basic")
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    summary = client.get("/settings/billing/upgrade/enterprise")
    amount = by_testid(summary.text, "prorated-amount")
    gateway = ChangedWhileCharging(databases, tenant_id)
    client.app.state.gateway = gateway  # type: ignore[attr-defined]

    answer = client.post("/settings/billing/upgrade/enterprise", data={"expected_amount": amount})

    assert answer.status_code == 409, answer.text
    assert "Your subscription changed meanwhile" in answer.text
    assert gateway.refunds == gateway.charges and len(gateway.charges) == 1
    assert [(s["Plan"], s["Status"]) for s in _subscriptions(databases, tenant_id)] == [
        ("basic", "superseded"),
        ("professional", "active"),
    ]
    assert (
        query(
            databases.billing,
            "SELECT InvoiceID FROM Invoices WHERE TenantID = @t",
            {"t": tenant_id},
        )
        == []
    )
    assert find_tenant(databases, f"{unique}.example.com")["Plan"] == "basic"
