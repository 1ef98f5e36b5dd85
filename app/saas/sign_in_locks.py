"""An operator lifts a tenant's person's sign-in lock from the console, before the lock's
minutes are over. Each unlock is recorded (SignInUnlocks: whose, by which operator, when)
before the lock is lifted, the way a suspension records its operator: no record, no unlock.
The lock itself is the platform's (app/platform/sign_in_records.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from google.cloud import spanner
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import Databases, query, query_one, run_write
from app.platform.sign_in_records import SignInRecords, login_name

_LOCKED_PEOPLE = """
SELECT u.UserID, u.Email, u.Role, f.LockedUntil
FROM Users AS u JOIN SignInFailures AS f ON f.LoginName = LOWER(u.Email)
WHERE u.TenantID = @tenant AND f.LockedUntil > CURRENT_TIMESTAMP()
ORDER BY u.Email
"""


@dataclass(frozen=True)
class LockedPerson:
    user_id: str
    email: str
    role: str


def locked_people(databases: Databases, tenant_id: str) -> list[LockedPerson]:
    """The tenant's people whose sign-in is locked now."""
    rows = query(databases.users, _LOCKED_PEOPLE, {"tenant": tenant_id})
    return [LockedPerson(r["UserID"], r["Email"], r["Role"]) for r in rows]


def email_of(databases: Databases, tenant_id: str, user_id: str) -> str | None:
    """The email of the tenant's person, or None when the tenant has no such person."""
    row = query_one(
        databases.users,
        "SELECT Email FROM Users WHERE TenantID = @tenant AND UserID = @user",
        {"tenant": tenant_id, "user": user_id},
    )
    return None if row is None else row["Email"]


def unlock_person(
    databases: Databases, records: SignInRecords, tenant_id: str, user_id: str, admin_id: str
) -> str | None:
    """Record the operator's unlock, then lift the person's lock; their email, or None when
    the tenant has no such person."""
    email = email_of(databases, tenant_id, user_id)
    if email is None:
        return None

    def record(txn: Transaction) -> None:
        txn.insert(
            "SignInUnlocks",
            columns=("TenantID", "UnlockID", "UserID", "LoginName", "UnlockedBy", "UnlockedAt"),
            values=[(tenant_id, str(uuid.uuid4()), user_id, login_name(email), admin_id,
                     spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip

    run_write(databases.users, record)
    records.unlock(login_name(email))
    return email
