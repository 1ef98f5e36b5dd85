"""Sessions of tenant users (UserSessions) and platform operators (AdminSessions).

Both tables live in the users database and hold only the SHA-256 of the cookie token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from google.cloud import spanner
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import Databases, query_one, run_write, tx_update
from app.platform.sessions import SESSION_LIFETIME, new_session, session_id

USER_COOKIE = "session"
ADMIN_COOKIE = "admin_session"
SUSPENDED = "suspended"


@dataclass(frozen=True)
class CurrentUser:
    tenant_id: str
    user_id: str
    email: str
    role: str
    tenant_name: str
    tenant_plan: str
    tenant_status: str
    onboarding_step: str  # "complete" for tenants without a TenantProfiles row

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class CurrentAdmin:
    admin_id: str
    email: str


def insert_user_session(txn: Transaction, tenant_id: str, user_id: str, now: datetime) -> str:
    """Add a session row inside an open transaction; returns the cookie token."""
    token, sid = new_session()
    txn.insert(
        "UserSessions",
        columns=("TenantID", "UserID", "SessionID", "ExpiresAt", "CreatedAt"),
        values=[(tenant_id, user_id, sid, now + SESSION_LIFETIME, spanner.COMMIT_TIMESTAMP)],
    )
    return token


class UserSessions:
    """Sessions of tenant users; a suspended tenant's or inactive user's session is refused."""

    cookie = USER_COOKIE

    def start(self, databases: Databases, tenant_id: str, user_id: str, now: datetime) -> str:
        def work(txn: Transaction) -> str:
            token = insert_user_session(txn, tenant_id, user_id, now)
            txn.update("Users", columns=("TenantID", "UserID", "LastLoginAt"),
                       values=[(tenant_id, user_id, now)])  # fmt: skip
            return token

        return run_write(databases.users, work)

    def load(self, databases: Databases, token: str) -> CurrentUser | None:
        row = query_one(
            databases.users,
            """
            SELECT s.TenantID, s.UserID, u.Email, u.Role, u.Status AS UserStatus,
                   t.Name, t.Plan, t.Status AS TenantStatus, p.OnboardingStep
            FROM UserSessions@{FORCE_INDEX=UserSessionsBySessionID} AS s
            JOIN Users AS u ON u.TenantID = s.TenantID AND u.UserID = s.UserID
            JOIN Tenants AS t ON t.TenantID = s.TenantID
            LEFT JOIN TenantProfiles AS p ON p.TenantID = s.TenantID
            WHERE s.SessionID = @sid AND s.ExpiresAt > CURRENT_TIMESTAMP()
            """,
            {"sid": session_id(token)},
        )
        if row is None or row["TenantStatus"] == SUSPENDED or row["UserStatus"] != "active":
            return None
        return CurrentUser(
            tenant_id=row["TenantID"],
            user_id=row["UserID"],
            email=row["Email"],
            role=row["Role"],
            tenant_name=row["Name"],
            tenant_plan=row["Plan"],
            tenant_status=row["TenantStatus"],
            onboarding_step=row["OnboardingStep"] or "complete",
        )

    def end(self, databases: Databases, token: str) -> None:
        run_write(
            databases.users,
            lambda txn: tx_update(
                txn, "DELETE FROM UserSessions WHERE SessionID = @sid", {"sid": session_id(token)}
            ),
        )


class AdminSessions:
    """Sessions of platform operators (PlatformAdmins)."""

    cookie = ADMIN_COOKIE

    def start(self, databases: Databases, admin_id: str, now: datetime) -> str:
        token, sid = new_session()

        def work(txn: Transaction) -> None:
            txn.insert(
                "AdminSessions",
                columns=("AdminID", "SessionID", "ExpiresAt", "CreatedAt"),
                values=[(admin_id, sid, now + SESSION_LIFETIME, spanner.COMMIT_TIMESTAMP)],
            )

        run_write(databases.users, work)
        return token

    def load(self, databases: Databases, token: str) -> CurrentAdmin | None:
        row = query_one(
            databases.users,
            """
            SELECT a.AdminID, a.Email
            FROM AdminSessions@{FORCE_INDEX=AdminSessionsBySessionID} AS s
            JOIN PlatformAdmins AS a ON a.AdminID = s.AdminID
            WHERE s.SessionID = @sid AND s.ExpiresAt > CURRENT_TIMESTAMP()
            """,
            {"sid": session_id(token)},
        )
        return CurrentAdmin(row["AdminID"], row["Email"]) if row else None

    def end(self, databases: Databases, token: str) -> None:
        run_write(
            databases.users,
            lambda txn: tx_update(
                txn, "DELETE FROM AdminSessions WHERE SessionID = @sid", {"sid": session_id(token)}
            ),
        )


USER_SESSIONS = UserSessions()
ADMIN_SESSIONS = AdminSessions()
