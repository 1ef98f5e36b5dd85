"""Questions about plans, subscriptions, invoices and usage (the secondary, billing database)."""

from __future__ import annotations

from datetime import date

from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.keyset import KeySet

from spanner.query import Row, execute, query
from spanner.transactions import run_in_transaction


def subscriptions_of(db: Database, tenant_id: str) -> list[Row]:
    """Newest first."""
    return query(
        db,
        """
        SELECT SubscriptionID, Plan, Status, BillingCycle, Amount, Currency, NextBillingDate,
               CreatedAt
        FROM Subscriptions
        WHERE TenantID = @tenant_id
        ORDER BY CreatedAt DESC
        """,
        {"tenant_id": tenant_id},
    )


def invoices_created_in_last_hour(db: Database, tenant_id: str) -> list[Row]:
    return query(
        db,
        """
        SELECT InvoiceID, Amount, Status, DueDate, CreatedAt
        FROM Invoices
        WHERE TenantID = @tenant_id
          AND CreatedAt >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR)
        """,
        {"tenant_id": tenant_id},
    )


def usage_totals_today(db: Database, tenant_id: str) -> list[Row]:
    """Sum per metric type for Spanner's today (CURRENT_DATE(), America/Los_Angeles)."""
    return query(
        db,
        """
        SELECT MetricType, SUM(Value) AS TotalValue
        FROM UsageMetrics
        WHERE TenantID = @tenant_id AND Period = CURRENT_DATE()
        GROUP BY MetricType
        """,
        {"tenant_id": tenant_id},
    )


def plan_prices(db: Database) -> dict[str, Row]:
    rows = query(db, "SELECT PlanID, DisplayName, Amount, Currency, BillingCycle, Tier FROM Plans")
    return {row["PlanID"]: row for row in rows}


def set_price_list(db: Database, plans: list[Row]) -> None:
    """Replace the Plans table with these rows (PlanID, DisplayName, Amount, Currency, ...)."""

    def work(transaction) -> None:
        transaction.delete("Plans", KeySet(all_=True))
        for plan in plans:
            columns = list(plan)
            transaction.insert("Plans", columns, [[plan[c] for c in columns]])

    run_in_transaction(db, work)


def set_next_billing_date(db: Database, tenant_id: str, next_billing_date: date) -> int:
    return execute(
        db,
        """
        UPDATE Subscriptions SET NextBillingDate = @next_billing_date
        WHERE TenantID = @tenant_id AND Status = 'active'
        """,
        {"tenant_id": tenant_id, "next_billing_date": next_billing_date},
    )
