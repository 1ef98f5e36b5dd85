"""Tenant suspension: a write to both databases that is safe to retry and self-repairing.

Spanner cannot commit across two databases atomically, so a suspension is three steps:

  (a) users:   Tenants.Status = 'suspended', every UserSessions row of the tenant deleted,
               a TenantSuspensions row inserted with BillingSyncedAt NULL;
  (b) billing: every 'active' Subscriptions row of the tenant -> 'suspended' (idempotent);
  (c) users:   TenantSuspensions.BillingSyncedAt set.

Step (a) is the commit point: once it is done the tenant is locked out. A NULL
BillingSyncedAt records that (b) may not have happened yet. ``repair_billing_sync``
re-applies (b)+(c) for every such row; it runs at application start-up and at the start of
every suspension request and admin tenants page load, so a crash between (a) and (b) is
repaired on the next admin action and never stays half-done. Users and data are kept
(retention): nothing but sessions is deleted.

Reinstatement (``reinstate_tenant``) undoes it in the opposite order:

  (b') billing: every 'suspended' Subscriptions row of the tenant -> 'active' (idempotent);
  (a') users:   Tenants.Status = 'active'.

Step (a') is the commit point: until it is done the tenant stays locked out, and the console
still offers to reinstate it, so an interrupted reinstatement is finished by doing it again
(step (b') finds nothing left to do). Every unsynced suspension of the tenant is marked synced
in (a'), so ``repair_billing_sync`` never suspends a reinstated tenant's billing again. The
suspension rows are kept as the tenant's history; people sign in again with their passwords.
"""

from __future__ import annotations

import logging
import uuid

from google.cloud import spanner
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import Databases, query, run_write, tx_query, tx_update

log = logging.getLogger(__name__)

SUSPENDED = "suspended"
REASON_MIN, REASON_MAX = 5, 500


class SuspensionError(ValueError):
    """The suspension is refused; the message is shown to the admin."""


def reason_problem(reason: str) -> str | None:
    length = len(reason.strip())
    if length == 0:
        return "Enter a reason for the suspension."
    if not REASON_MIN <= length <= REASON_MAX:
        return f"The reason must be {REASON_MIN} to {REASON_MAX} characters."
    return None


def suspend_tenant(dbs: Databases, tenant_id: str, reason: str, admin_id: str) -> str:
    """Suspend the tenant (steps a, b, c); returns the SuspensionID."""
    suspension_id = str(uuid.uuid4())
    ts = spanner.COMMIT_TIMESTAMP

    def lock_out(txn: Transaction) -> None:
        rows = tx_query(txn, "SELECT Status FROM Tenants WHERE TenantID = @t", {"t": tenant_id})
        if not rows:
            raise SuspensionError("This tenant does not exist.")
        if rows[0]["Status"] == SUSPENDED:
            raise SuspensionError("This tenant is already suspended.")
        txn.update(
            "Tenants", columns=("TenantID", "Status", "UpdatedAt"),
            values=[(tenant_id, SUSPENDED, ts)],
        )  # fmt: skip
        tx_update(txn, "DELETE FROM UserSessions WHERE TenantID = @t", {"t": tenant_id})
        txn.insert(
            "TenantSuspensions",
            columns=("TenantID", "SuspensionID", "Reason", "SuspendedBy", "CreatedAt"),
            values=[(tenant_id, suspension_id, reason.strip(), admin_id, ts)],
        )

    run_write(dbs.users, lock_out)
    sync_billing(dbs, tenant_id, suspension_id)
    return suspension_id


def sync_billing(dbs: Databases, tenant_id: str, suspension_id: str) -> None:
    """Steps (b) and (c); both are idempotent, so this is safe to run again."""

    def suspend_subscriptions(txn: Transaction) -> None:
        tx_update(
            txn,
            "UPDATE Subscriptions SET Status = @suspended WHERE TenantID = @t AND Status = @active",
            {"suspended": SUSPENDED, "t": tenant_id, "active": "active"},
        )

    def mark_synced(txn: Transaction) -> None:
        tx_update(
            txn,
            """
            UPDATE TenantSuspensions SET BillingSyncedAt = PENDING_COMMIT_TIMESTAMP()
            WHERE TenantID = @t AND SuspensionID = @s AND BillingSyncedAt IS NULL
            """,
            {"t": tenant_id, "s": suspension_id},
        )

    run_write(dbs.billing, suspend_subscriptions)
    run_write(dbs.users, mark_synced)


def repair_billing_sync(dbs: Databases) -> int:
    """Finish every suspension whose billing step may be missing; returns how many.

    Only tenants still suspended are repaired, so a tenant reinstated later is not
    suspended again by a stale row.
    """
    rows = query(
        dbs.users,
        """
        SELECT s.TenantID, s.SuspensionID FROM TenantSuspensions AS s
        JOIN Tenants AS t ON t.TenantID = s.TenantID
        WHERE s.BillingSyncedAt IS NULL AND t.Status = @suspended
        """,
        {"suspended": SUSPENDED},
    )
    for row in rows:
        log.warning("repairing billing sync of suspension %s", row["SuspensionID"])
        sync_billing(dbs, row["TenantID"], row["SuspensionID"])
    return len(rows)


def repair_at_startup(dbs: Databases) -> None:
    """Start-up hook: finish half-done suspensions (a failure is retried on the next admin
    action)."""
    repaired = repair_billing_sync(dbs)
    if repaired:
        log.warning("start-up: repaired %d suspension billing sync(s)", repaired)


def reinstate_tenant(dbs: Databases, tenant_id: str) -> None:
    """Reinstate a suspended tenant (steps b', a'); SuspensionError when it is not suspended."""
    rows = query(dbs.users, "SELECT Status FROM Tenants WHERE TenantID = @t", {"t": tenant_id})
    if not rows:
        raise SuspensionError("This tenant does not exist.")
    if rows[0]["Status"] != SUSPENDED:
        raise SuspensionError("This tenant is not suspended.")

    def reactivate_subscriptions(txn: Transaction) -> None:
        tx_update(
            txn,
            "UPDATE Subscriptions SET Status = @active WHERE TenantID = @t AND Status = @suspended",
            {"active": "active", "t": tenant_id, "suspended": SUSPENDED},
        )

    def reactivate_tenant(txn: Transaction) -> None:
        current = tx_query(txn, "SELECT Status FROM Tenants WHERE TenantID = @t", {"t": tenant_id})
        if not current or current[0]["Status"] != SUSPENDED:
            raise SuspensionError("This tenant is not suspended.")
        txn.update(
            "Tenants", columns=("TenantID", "Status", "UpdatedAt"),
            values=[(tenant_id, "active", spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip
        tx_update(
            txn,
            """
            UPDATE TenantSuspensions SET BillingSyncedAt = PENDING_COMMIT_TIMESTAMP()
            WHERE TenantID = @t AND BillingSyncedAt IS NULL
            """,
            {"t": tenant_id},
        )

    run_write(dbs.billing, reactivate_subscriptions)
    run_write(dbs.users, reactivate_tenant)
