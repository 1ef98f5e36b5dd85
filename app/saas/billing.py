"""Billing database access: plans, subscriptions, cards on file and invoices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import Row, query, query_one, run_write, tx_query
from app.saas.dates import add_months
from app.saas.payments import Card
from app.saas.plans import Plan
from app.saas.proration import cycle_months

ACTIVE = "active"


@dataclass(frozen=True)
class Subscription:
    subscription_id: str
    tenant_id: str
    plan_id: str
    status: str
    billing_cycle: str
    amount: Decimal
    currency: str
    next_billing_date: date


class SubscriptionChangedError(RuntimeError):
    """The active subscription is no longer the one the change was priced against."""


def load_plans(db: Database) -> list[Plan]:
    rows = query(
        db,
        "SELECT PlanID, DisplayName, Amount, Currency, BillingCycle, Tier FROM Plans "
        "ORDER BY Tier, PlanID",
    )
    return [
        Plan(
            r["PlanID"], r["DisplayName"], r["Amount"], r["Currency"], r["BillingCycle"], r["Tier"]
        )
        for r in rows
    ]


def _subscription(row: Row) -> Subscription:
    return Subscription(
        subscription_id=row["SubscriptionID"],
        tenant_id=row["TenantID"],
        plan_id=row["Plan"],
        status=row["Status"],
        billing_cycle=row["BillingCycle"],
        amount=row["Amount"],
        currency=row["Currency"],
        next_billing_date=row["NextBillingDate"],
    )


_ACTIVE_SQL = """
    SELECT SubscriptionID, TenantID, Plan, Status, BillingCycle, Amount, Currency,
           NextBillingDate
    FROM Subscriptions@{FORCE_INDEX=SubscriptionsByTenant}
    WHERE TenantID = @t AND Status = @active
    ORDER BY CreatedAt DESC
    LIMIT 1
"""


def active_subscription(db: Database, tenant_id: str) -> Subscription | None:
    row = query_one(db, _ACTIVE_SQL, {"t": tenant_id, "active": ACTIVE})
    return _subscription(row) if row else None


def card_on_file(db: Database, tenant_id: str) -> Card | None:
    row = query_one(
        db,
        """
        SELECT Brand, Last4, ExpiryMonth, ExpiryYear FROM PaymentMethods
        WHERE TenantID = @t ORDER BY CreatedAt DESC LIMIT 1
        """,
        {"t": tenant_id},
    )
    if row is None:
        return None
    return Card(row["Brand"], row["Last4"], row["ExpiryMonth"], row["ExpiryYear"])


def start_subscription(
    db: Database,
    tenant_id: str,
    plan: Plan,
    card: Card,
    billing_address: str,
    today: date,
    now: datetime,
) -> None:
    """Store the card, the first subscription and the initial usage (one active user).

    Idempotent: when the tenant already has an active subscription nothing is written, so
    a retried billing step after a failure of the later users-database write adds no duplicates.
    """
    ts = spanner.COMMIT_TIMESTAMP
    next_billing = add_months(today, cycle_months(plan.billing_cycle))

    def work(txn: Transaction) -> None:
        if tx_query(txn, _ACTIVE_SQL, {"t": tenant_id, "active": ACTIVE}):
            return
        txn.insert(
            "PaymentMethods",
            columns=("TenantID", "PaymentMethodID", "Brand", "Last4", "ExpiryMonth",
                     "ExpiryYear", "BillingAddress", "CreatedAt"),
            values=[(tenant_id, str(uuid.uuid4()), card.brand, card.last4, card.exp_month,
                     card.exp_year, billing_address, ts)],
        )  # fmt: skip
        txn.insert(
            "Subscriptions",
            columns=("SubscriptionID", "TenantID", "Plan", "Status", "BillingCycle", "Amount",
                     "Currency", "NextBillingDate", "CreatedAt"),
            values=[(str(uuid.uuid4()), tenant_id, plan.plan_id, ACTIVE, plan.billing_cycle,
                     plan.amount, plan.currency, next_billing, ts)],
        )  # fmt: skip
        txn.insert(
            "UsageMetrics",
            columns=("TenantID", "Period", "MetricType", "MetricID", "Value", "RecordedAt",
                     "CreatedAt"),
            values=[(tenant_id, today, "active_users", str(uuid.uuid4()), 1, now, ts)],
        )  # fmt: skip

    run_write(db, work)


def switch_plan(
    db: Database,
    current: Subscription,
    plan: Plan,
    proration: Decimal,
    today: date,
    renewal: date,
) -> None:
    """Supersede ``current`` by a subscription on ``plan`` (billed over the plan's own cycle,
    renewing on ``renewal``) and record the paid proration.

    Raises SubscriptionChangedError when ``current`` is no longer the active subscription.
    """
    ts = spanner.COMMIT_TIMESTAMP

    def work(txn: Transaction) -> None:
        rows = tx_query(txn, _ACTIVE_SQL, {"t": current.tenant_id, "active": ACTIVE})
        if not rows or rows[0]["SubscriptionID"] != current.subscription_id:
            raise SubscriptionChangedError(current.subscription_id)
        txn.update(
            "Subscriptions",
            columns=("SubscriptionID", "Status"),
            values=[(current.subscription_id, "superseded")],
        )
        txn.insert(
            "Subscriptions",
            columns=("SubscriptionID", "TenantID", "Plan", "Status", "BillingCycle", "Amount",
                     "Currency", "NextBillingDate", "CreatedAt"),
            values=[(str(uuid.uuid4()), current.tenant_id, plan.plan_id, ACTIVE,
                     plan.billing_cycle, plan.amount, plan.currency, renewal, ts)],
        )  # fmt: skip
        txn.insert(
            "Invoices",
            columns=("InvoiceID", "TenantID", "Amount", "Status", "DueDate", "CreatedAt"),
            values=[(str(uuid.uuid4()), current.tenant_id, proration, "paid", today, ts)],
        )

    run_write(db, work)
