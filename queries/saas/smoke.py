"""The SQL behind the SaaS platform's @smoke steps: reads only, each in a read-only snapshot
(spanner.query), so they run as well against a production database as against the suite's
fixtures."""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, query


def organisation_of(users: Database, email: str) -> Row | None:
    """The organisation the person with this email belongs to: its name."""
    rows = query(
        users,
        """
        SELECT t.TenantID, t.Name
        FROM Users u JOIN Tenants t ON t.TenantID = u.TenantID
        WHERE u.Email = @email
        """,
        {"email": email},
    )
    return rows[0] if rows else None


def plan_names(billing: Database) -> list[str]:
    """Every plan the platform sells, smallest first, as the sign-up form lists them."""
    rows = query(billing, "SELECT DisplayName FROM Plans ORDER BY Tier, PlanID")
    return [row["DisplayName"] for row in rows]
