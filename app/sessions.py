"""Login sessions of tenant users and platform admins (primary database).

Cookies carry a random token; the tables only hold its SHA-256 (the SessionID).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.db import query_one, run_write, tx_update
from app.security import new_token, sha256_hex

USER_COOKIE = "session"
ADMIN_COOKIE = "admin_session"
SESSION_LIFETIME = timedelta(hours=8)
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
    token = new_token()
    txn.insert(
        "UserSessions",
        columns=("TenantID", "UserID", "SessionID", "ExpiresAt", "CreatedAt"),
        values=[(tenant_id, user_id, sha256_hex(token), now + SESSION_LIFETIME,
                 spanner.COMMIT_TIMESTAMP)],
    )  # fmt: skip
    return token


def start_user_session(db: Database, tenant_id: str, user_id: str, now: datetime) -> str:
    def work(txn: Transaction) -> str:
        token = insert_user_session(txn, tenant_id, user_id, now)
        txn.update("Users", columns=("TenantID", "UserID", "LastLoginAt"),
                   values=[(tenant_id, user_id, now)])  # fmt: skip
        return token

    return run_write(db, work)


def load_user(db: Database, token: str | None) -> CurrentUser | None:
    """The session's user, or None when the session is missing, expired, or the tenant
    is suspended or the user inactive."""
    if not token:
        return None
    row = query_one(
        db,
        """
        SELECT s.TenantID, s.UserID, u.Email, u.Role, u.Status AS UserStatus,
               t.Name, t.Plan, t.Status AS TenantStatus, p.OnboardingStep
        FROM UserSessions@{FORCE_INDEX=UserSessionsBySessionID} AS s
        JOIN Users AS u ON u.TenantID = s.TenantID AND u.UserID = s.UserID
        JOIN Tenants AS t ON t.TenantID = s.TenantID
        LEFT JOIN TenantProfiles AS p ON p.TenantID = s.TenantID
        WHERE s.SessionID = @sid AND s.ExpiresAt > CURRENT_TIMESTAMP()
        """,
        {"sid": sha256_hex(token)},
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


def end_user_session(db: Database, token: str) -> None:
    run_write(
        db,
        lambda txn: tx_update(
            txn, "DELETE FROM UserSessions WHERE SessionID = @sid", {"sid": sha256_hex(token)}
        ),
    )


def start_admin_session(db: Database, admin_id: str, now: datetime) -> str:
    token = new_token()

    def work(txn: Transaction) -> None:
        txn.insert(
            "AdminSessions",
            columns=("AdminID", "SessionID", "ExpiresAt", "CreatedAt"),
            values=[(admin_id, sha256_hex(token), now + SESSION_LIFETIME,
                     spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip

    run_write(db, work)
    return token


def load_admin(db: Database, token: str | None) -> CurrentAdmin | None:
    if not token:
        return None
    row = query_one(
        db,
        """
        SELECT a.AdminID, a.Email
        FROM AdminSessions@{FORCE_INDEX=AdminSessionsBySessionID} AS s
        JOIN PlatformAdmins AS a ON a.AdminID = s.AdminID
        WHERE s.SessionID = @sid AND s.ExpiresAt > CURRENT_TIMESTAMP()
        """,
        {"sid": sha256_hex(token)},
    )
    return CurrentAdmin(row["AdminID"], row["Email"]) if row else None


def end_admin_session(db: Database, token: str) -> None:
    run_write(
        db,
        lambda txn: tx_update(
            txn, "DELETE FROM AdminSessions WHERE SessionID = @sid", {"sid": sha256_hex(token)}
        ),
    )
