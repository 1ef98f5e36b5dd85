"""Questions about tenants, their users and sessions (the primary, user-service database)."""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, query


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


def users_of(db: Database, tenant_id: str) -> list[Row]:
    return query(
        db,
        "SELECT UserID, Email, Role, Status FROM Users WHERE TenantID = @tenant_id",
        {"tenant_id": tenant_id},
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


def suspensions_of(db: Database, tenant_id: str) -> list[Row]:
    return query(
        db,
        "SELECT Reason, BillingSyncedAt FROM TenantSuspensions WHERE TenantID = @tenant_id",
        {"tenant_id": tenant_id},
    )


def tenant_id_by_domain(db: Database, domain: str) -> str:
    tenant = tenant_by_domain(db, domain)
    assert tenant is not None, f"no tenant with the domain {domain} in the primary database"
    return tenant["TenantID"]
