"""The SQL behind features/many_writers_at_once.feature: what many writers at once left behind.

Every value is a query parameter.
"""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, query


def tenants_of_domain(db: Database, domain: str) -> list[Row]:
    """Every tenant with the domain, whatever its state (users database)."""
    return query(
        db,
        "SELECT TenantID, Domain, Status FROM Tenants WHERE Domain = @domain",
        {"domain": domain},
    )


def users_with_emails(db: Database, emails: list[str]) -> list[Row]:
    """The users, of any tenant, whose email is one of ``emails`` (users database)."""
    return query(
        db,
        "SELECT TenantID, Email, Role FROM Users WHERE Email IN UNNEST(@emails)",
        {"emails": emails},
    )


def usage_readings_with_ids(db: Database, tenant_id: str) -> list[Row]:
    """Every usage reading of the tenant, with the id the usage API answered it with (billing
    database)."""
    return query(
        db,
        "SELECT MetricID, MetricType, Value FROM UsageMetrics WHERE TenantID = @tenant_id",
        {"tenant_id": tenant_id},
    )
