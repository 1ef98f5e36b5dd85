"""Tenant reads shared by several pages (users database)."""

from __future__ import annotations

from dataclasses import dataclass

from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import query, query_one, run_write, tx_update

SEARCH_LIMIT = 100
_ALL_SQL = """
    SELECT TenantID, Name, Domain, Plan, Status FROM Tenants
    ORDER BY Name, Domain LIMIT @limit
"""
_SEARCH_SQL = """
    SELECT TenantID, Name, Domain, Plan, Status FROM Tenants
    WHERE STRPOS(LOWER(Domain), LOWER(@q)) > 0 OR STRPOS(LOWER(Name), LOWER(@q)) > 0
    ORDER BY Name, Domain LIMIT @limit
"""


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    name: str
    domain: str
    plan: str
    status: str


def _tenant(row: dict[str, object]) -> Tenant:
    return Tenant(
        str(row["TenantID"]), str(row["Name"]), str(row["Domain"]), str(row["Plan"]),
        str(row["Status"]),
    )  # fmt: skip


def get_tenant(db: Database, tenant_id: str) -> Tenant | None:
    row = query_one(
        db,
        "SELECT TenantID, Name, Domain, Plan, Status FROM Tenants WHERE TenantID = @t",
        {"t": tenant_id},
    )
    return _tenant(row) if row else None


def search_tenants(db: Database, text: str) -> list[Tenant]:
    """Tenants whose domain or name contains ``text`` (case-insensitive); all when empty."""
    text = text.strip()
    if text:
        rows = query(db, _SEARCH_SQL, {"q": text, "limit": SEARCH_LIMIT})
    else:
        rows = query(db, _ALL_SQL, {"limit": SEARCH_LIMIT})
    return [_tenant(r) for r in rows]


def set_tenant_plan(db: Database, tenant_id: str, plan_id: str) -> None:
    """Record the plan on the tenant; a no-op when it is already set (safe to repeat)."""

    def work(txn: Transaction) -> None:
        tx_update(
            txn,
            """
            UPDATE Tenants SET Plan = @plan, UpdatedAt = PENDING_COMMIT_TIMESTAMP()
            WHERE TenantID = @t AND Plan != @plan
            """,
            {"plan": plan_id, "t": tenant_id},
        )

    run_write(db, work)
