"""The SQL behind the plan-changing steps. Every value is a query parameter."""

from __future__ import annotations

from datetime import date

from google.cloud.spanner_v1.database import Database

from spanner.query import execute, query_value


def set_tenant_plan_record(db: Database, tenant_id: str, plan: str) -> int:
    """The plan the users database's tenant record names (billing keeps its own)."""
    return execute(
        db,
        "UPDATE Tenants SET Plan = @plan WHERE TenantID = @tenant_id",
        {"tenant_id": tenant_id, "plan": plan},
    )


def tenant_plan_record(db: Database, tenant_id: str) -> str:
    return query_value(
        db, "SELECT Plan FROM Tenants WHERE TenantID = @tenant_id", {"tenant_id": tenant_id}
    )


def set_card_expiry(db: Database, tenant_id: str, expires: date) -> int:
    """Every card on file of the tenant expires at the end of that date's month."""
    return execute(
        db,
        """
        UPDATE PaymentMethods SET ExpiryMonth = @month, ExpiryYear = @year
        WHERE TenantID = @tenant_id
        """,
        {"tenant_id": tenant_id, "month": expires.month, "year": expires.year},
    )
