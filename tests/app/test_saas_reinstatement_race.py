"""Two operators reinstating one tenant at the same moment: both find it suspended, and the
one whose write comes second finds it active already. Its write checks again inside its
transaction and is refused ("This tenant is not suspended."), so only one reinstatement is
told as done and the tenant record is written once. A browser cannot hold one request between
its check and its write (operating_tenants.feature tells the reinstatement of a tenant that is
not suspended, checked before anything is written)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from google.cloud.spanner_v1.database import Database
from saas_testkit import find_tenant, onboard

import app.saas.suspension as suspension
from app.platform.db import Databases, query_one, run_write, tx_update


def test_a_tenant_reinstated_meanwhile_is_not_reinstated_again(
    client: TestClient,
    databases: Databases,
    mail_sink: Any,
    unique: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    onboard(client, mail_sink, unique)
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    suspension.suspend_tenant(databases, tenant_id, "Payment overdue", "ops-race")

    def status_and_time() -> dict[str, Any]:
        row = query_one(
            databases.users,
            "SELECT Status, UpdatedAt FROM Tenants WHERE TenantID = @t",
            {"t": tenant_id},
        )
        assert row is not None
        return row

    left_by_the_other: list[dict[str, Any]] = []

    def the_other_operator_reinstates_first(db: Database, work: Callable[..., Any]) -> Any:
        """Before this reinstatement's write to the tenant record, the other one's commits."""
        if db is databases.users:
            run_write(databases.users, lambda txn: tx_update(
                txn, "UPDATE Tenants SET Status = 'active', UpdatedAt = PENDING_COMMIT_TIMESTAMP()"
                " WHERE TenantID = @t", {"t": tenant_id}))  # fmt: skip
            monkeypatch.setattr(suspension, "run_write", run_write)
            left_by_the_other.append(status_and_time())
        return run_write(db, work)

    monkeypatch.setattr(suspension, "run_write", the_other_operator_reinstates_first)
    with pytest.raises(suspension.SuspensionError, match="This tenant is not suspended."):
        suspension.reinstate_tenant(databases, tenant_id)
    # the record as the other operator's reinstatement left it: written once
    assert [row["Status"] for row in left_by_the_other] == ["active"]
    assert status_and_time() == left_by_the_other[0]
