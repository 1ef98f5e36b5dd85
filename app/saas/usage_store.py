"""Usage metrics in the billing database: recording reports and today's summary."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import query_one, run_write
from app.saas.usage import UsageReport


@dataclass(frozen=True)
class UsageSummary:
    api_calls: int
    storage_gb: int
    active_users_peak: int


def record_usage(db: Database, tenant_id: str, report: UsageReport) -> str:
    metric_id = str(uuid.uuid4())

    def work(txn: Transaction) -> None:
        txn.insert(
            "UsageMetrics",
            columns=("TenantID", "Period", "MetricType", "MetricID", "Value", "RecordedAt",
                     "CreatedAt"),
            values=[(tenant_id, report.period, report.metric_type, metric_id, report.value,
                     report.recorded_at, spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip

    run_write(db, work)
    return metric_id


def usage_summary(db: Database, tenant_id: str, period: date) -> UsageSummary:
    """API calls summed, latest storage reading and peak active users of one day.

    Storage is a level, not a flow: the latest reading wins (by RecordedAt, then CreatedAt;
    rows without RecordedAt count as recorded when created). API calls are summed as NUMERIC,
    so readings kept from before the cap on one reading cannot overflow INT64's sum.
    """
    row = query_one(
        db,
        """
        SELECT
          (SELECT IFNULL(SUM(CAST(Value AS NUMERIC)), 0) FROM UsageMetrics
           WHERE TenantID = @t AND Period = @p AND MetricType = @api) AS ApiCalls,
          (SELECT Value FROM UsageMetrics
           WHERE TenantID = @t AND Period = @p AND MetricType = @storage
           ORDER BY IFNULL(RecordedAt, CreatedAt) DESC, CreatedAt DESC
           LIMIT 1) AS StorageGb,
          (SELECT IFNULL(MAX(Value), 0) FROM UsageMetrics
           WHERE TenantID = @t AND Period = @p AND MetricType = @users) AS ActiveUsers
        """,
        {
            "t": tenant_id,
            "p": period,
            "api": "api_calls",
            "storage": "storage_gb",
            "users": "active_users",
        },
    )
    assert row is not None  # a SELECT without FROM always yields one row
    return UsageSummary(int(row["ApiCalls"]), row["StorageGb"] or 0, row["ActiveUsers"])
