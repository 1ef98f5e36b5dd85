"""The SQL behind the sign-up and sign-in steps (users database). Every value is a parameter."""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, execute, query


def tenant_and_user_counts(db: Database) -> Row:
    return query(
        db,
        "SELECT (SELECT COUNT(*) FROM Tenants) AS Tenants, (SELECT COUNT(*) FROM Users) AS Users",
    )[0]


def signed_up_tenant(db: Database, domain: str) -> list[Row]:
    """The tenant with this domain and its users, with their verification links."""
    return query(
        db,
        """
        SELECT t.Name, t.Status AS TenantStatus, u.Email, u.Role, u.Status AS UserStatus,
               v.CreatedAt AS LinkCreatedAt, v.ExpiresAt AS LinkExpiresAt
        FROM Tenants t
        JOIN Users u ON u.TenantID = t.TenantID
        LEFT JOIN EmailVerifications v ON v.TenantID = u.TenantID AND v.UserID = u.UserID
        WHERE t.Domain = @domain
        """,
        {"domain": domain},
    )


def session_counts(db: Database) -> Row:
    """Every session row of tenant users and of platform operators, expired or not."""
    return query(
        db,
        "SELECT (SELECT COUNT(*) FROM UserSessions) AS UserSessions, "
        "(SELECT COUNT(*) FROM AdminSessions) AS AdminSessions",
    )[0]


def sessions_of_user(db: Database, email: str) -> int:
    """The user's session rows, expired or not."""
    return query(
        db,
        """
        SELECT COUNT(*) AS Sessions
        FROM UserSessions s JOIN Users u ON u.TenantID = s.TenantID AND u.UserID = s.UserID
        WHERE u.Email = @email
        """,
        {"email": email},
    )[0]["Sessions"]


def end_sessions_of_user(db: Database, email: str) -> int:
    """Lets the user's sessions run out now, as if their lifetime had passed."""
    return execute(
        db,
        """
        UPDATE UserSessions s SET ExpiresAt = TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 SECOND)
        WHERE EXISTS (SELECT 1 FROM Users u
                      WHERE u.TenantID = s.TenantID AND u.UserID = s.UserID AND u.Email = @email)
        """,
        {"email": email},
    )
