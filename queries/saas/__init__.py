"""The SQL behind the SaaS platform's steps: one function per question asked of Spanner.

Tenants, users and sessions live in the users database; plans, subscriptions, invoices and
usage in the billing database. Every value is a query parameter.
"""

from __future__ import annotations

from datetime import date

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, execute, query
from spanner.writes import replace_rows

# --- users database


def tenant_by_domain(db: Database, domain: str) -> Row | None:
    rows = query(
        db,
        "SELECT TenantID, Name, Domain, Plan, Status, CreatedAt, UpdatedAt "
        "FROM Tenants WHERE Domain = @domain",
        {"domain": domain},
    )
    return rows[0] if rows else None


def tenants_with_users(db: Database, domain: str) -> list[Row]:
    return query(
        db,
        """
        SELECT t.TenantID, t.Name, t.Plan, t.Status, u.UserID, u.Email, u.Role
        FROM Tenants t
        JOIN Users u ON u.TenantID = t.TenantID
        WHERE t.Domain = @domain
        """,
        {"domain": domain},
    )


def unexpired_session_count(db: Database, tenant_id: str) -> int:
    return query(
        db,
        """
        SELECT COUNT(*) AS SessionCount
        FROM UserSessions
        WHERE TenantID = @tenant_id AND ExpiresAt > CURRENT_TIMESTAMP()
        """,
        {"tenant_id": tenant_id},
    )[0]["SessionCount"]


def session_count_of_user(db: Database, email: str) -> int:
    return query(
        db,
        """
        SELECT COUNT(*) AS SessionCount
        FROM UserSessions s JOIN Users u ON u.TenantID = s.TenantID AND u.UserID = s.UserID
        WHERE u.Email = @email AND s.ExpiresAt > CURRENT_TIMESTAMP()
        """,
        {"email": email},
    )[0]["SessionCount"]


def tenant_id_by_domain(db: Database, domain: str) -> str:
    tenant = tenant_by_domain(db, domain)
    assert tenant is not None, f"no tenant with the domain {domain} in the users database"
    return tenant["TenantID"]


# --- billing database


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
    replace_rows(db, "Plans", plans)


def set_next_billing_date(db: Database, tenant_id: str, next_billing_date: date) -> int:
    return execute(
        db,
        """
        UPDATE Subscriptions SET NextBillingDate = @next_billing_date
        WHERE TenantID = @tenant_id AND Status = 'active'
        """,
        {"tenant_id": tenant_id, "next_billing_date": next_billing_date},
    )


# --- added for the lifecycle rules
def user_by_email(db: Database, email: str) -> Row | None:
    rows = query(
        db,
        "SELECT TenantID, UserID, Email, Role, Status FROM Users WHERE Email = @email",
        {"email": email},
    )
    return rows[0] if rows else None


def admin_id_by_email(db: Database, email: str) -> str:
    rows = query(db, "SELECT AdminID FROM PlatformAdmins WHERE Email = @email", {"email": email})
    assert rows, f"no platform administrator {email} in the users database"
    return rows[0]["AdminID"]


def suspension_records(db: Database, tenant_id: str) -> list[Row]:
    return query(
        db,
        "SELECT Reason, SuspendedBy FROM TenantSuspensions WHERE TenantID = @tenant_id",
        {"tenant_id": tenant_id},
    )


def usage_readings_today(db: Database, tenant_id: str) -> list[Row]:
    """Every reading of Spanner's today (CURRENT_DATE(), America/Los_Angeles)."""
    return query(
        db,
        """
        SELECT MetricType, Value, RecordedAt
        FROM UsageMetrics
        WHERE TenantID = @tenant_id AND Period = CURRENT_DATE()
        """,
        {"tenant_id": tenant_id},
    )


# --- added for the load rules
def active_people_of_tenant(db: Database, tenant_name: str) -> list[Row]:
    """The active users of the active tenant of that name, with their password hashes."""
    return query(
        db,
        """
        SELECT t.TenantID, t.Domain, u.UserID, u.Email, c.PasswordHash
        FROM Tenants t
        JOIN Users u ON u.TenantID = t.TenantID
        LEFT JOIN UserCredentials c ON c.TenantID = u.TenantID AND c.UserID = u.UserID
        WHERE t.Name = @name AND t.Status = 'active' AND u.Status = 'active'
        ORDER BY u.Email
        """,
        {"name": tenant_name},
    )


# --- added for the resilience rules: the dashboard's profile and its changes
def profile_of(db: Database, email: str) -> Row | None:
    """The person's profile: first and last name, and the display name they chose (or None)."""
    rows = query(
        db,
        """
        SELECT p.FirstName, p.LastName, p.DisplayName
        FROM Users u
        JOIN UserProfiles p ON p.TenantID = u.TenantID AND p.UserID = u.UserID
        WHERE u.Email = @email
        """,
        {"email": email},
    )
    return rows[0] if rows else None


def profile_changes_of(db: Database, email: str) -> list[Row]:
    """Every profile change the platform applied for the person, oldest first."""
    return query(
        db,
        """
        SELECT c.DisplayName, c.IdempotencyKey, c.ChangedAt
        FROM Users u
        JOIN ProfileChanges c ON c.TenantID = u.TenantID AND c.UserID = u.UserID
        WHERE u.Email = @email
        ORDER BY c.ChangedAt, c.ChangeID
        """,
        {"email": email},
    )
