"""The SQL behind reporting usage and operating tenants: readings billing keeps, suspensions,
the tenant list. Every value is a query parameter.
"""

from __future__ import annotations

from collections.abc import Sequence

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, query
from spanner.transactions import run_in_transaction
from spanner.writes import insert_rows

# --- users database


def suspension_state(db: Database, domain: str) -> list[Row]:
    """The tenant's status beside each of its suspensions (one row with Reason NULL if none)."""
    return query(
        db,
        """
        SELECT t.Status, s.Reason, s.SuspendedBy, s.BillingSyncedAt, s.CreatedAt
        FROM Tenants AS t
        LEFT JOIN TenantSuspensions AS s ON s.TenantID = t.TenantID
        WHERE t.Domain = @domain
        """,
        {"domain": domain},
    )


def tenant_count(db: Database) -> int:
    return query(db, "SELECT COUNT(*) AS TenantCount FROM Tenants")[0]["TenantCount"]


def add_tenants(db: Database, tenants: Sequence[Row]) -> None:
    """Insert Tenants rows (column -> Python value), all in one commit."""
    run_in_transaction(db, insert_rows, "Tenants", tenants)


# --- billing database


def usage_readings_of(db: Database, tenant_id: str) -> list[Row]:
    """Every usage reading of the tenant, whatever its day."""
    return query(
        db,
        """
        SELECT MetricType, Value, Period, RecordedAt
        FROM UsageMetrics
        WHERE TenantID = @tenant_id
        """,
        {"tenant_id": tenant_id},
    )
