"""A polling check attaches its query and its last answer once, not once per poll."""

from __future__ import annotations

import pytest
from google.cloud.spanner_v1.database import Database

from spanner import evidence
from spanner.assertions import assert_rows, select_rows
from spanner.live_schema import Table


@pytest.fixture
def attached(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    monkeypatch.setattr(evidence.allure, "attach", lambda text, name, **_: names.append(name))
    return names


def test_a_failing_check_attaches_its_last_query_once(
    typed_db: Database, tables: dict[str, Table], attached: list[str]
) -> None:
    polls = []

    def fetch():
        polls.append(1)
        return select_rows(typed_db, tables["Tenants"], ["TenantId"])

    with pytest.raises(AssertionError, match="1 expected row"):
        assert_rows(fetch, [{"TenantId": "nobody"}], "tenants", exact=True, timeout=0.5)
    assert len(polls) > 2
    assert attached == [f"query on {typed_db.database_id}", f"0 row(s) from {typed_db.database_id}"]


def test_a_query_outside_a_check_is_attached_at_once(
    typed_db: Database, tables: dict[str, Table], attached: list[str]
) -> None:
    select_rows(typed_db, tables["Tenants"], ["TenantId"])
    assert len(attached) == 2
