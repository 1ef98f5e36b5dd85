"""The SQL behind an operator's unlock of a person's sign-in: who the person is, and the
unlocks the console recorded (SignInUnlocks, in the users database). Every value is a query
parameter."""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, query


def person_by_email(db: Database, email: str) -> Row:
    """The tenant's person with this email: TenantID, UserID and the tenant's Domain."""
    rows = query(
        db,
        """
        SELECT u.TenantID, u.UserID, t.Domain FROM Users AS u
        JOIN Tenants AS t ON t.TenantID = u.TenantID WHERE u.Email = @email
        """,
        {"email": email},
    )
    assert rows, f"no person of any tenant has the email {email} in the users database"
    return rows[0]


def unlocks_of(db: Database, email: str) -> list[Row]:
    """Each recorded unlock of the person's sign-in, with the operator's email (None when the
    AdminID names no operator)."""
    return query(
        db,
        """
        SELECT r.LoginName, a.Email AS Operator, r.UnlockedAt FROM SignInUnlocks AS r
        JOIN Users AS u ON u.TenantID = r.TenantID AND u.UserID = r.UserID
        LEFT JOIN PlatformAdmins AS a ON a.AdminID = r.UnlockedBy
        WHERE u.Email = @email ORDER BY r.UnlockedAt
        """,
        {"email": email},
    )
