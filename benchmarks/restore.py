"""How long a scenario's restore takes as the baseline grows: figures, never a pass or a fail.

    .venv/bin/python -m benchmarks.restore [--rows 10 1000 10000] [--tries 5] [--full]

On its own emulator, with the SaaS product's databases (users and billing), a generated baseline
of about N rows spread over their tables (tenants, users and their credentials, profiles and
sessions; subscriptions, invoices, usage) is seeded once; then each try restores it unchanged,
and after a typical scenario's change (a sign-up: a tenant, its user, credentials and session, a
subscription; a sign-in stamp on a user; an invoice paid). Printed: mean, median and worst of
the tries, with the machine's load average. --full also times the way of writing every table
whole (deleting every row, inserting the baseline), for comparison.
benchmarks/suite.py (make bench) calls restore_seconds(rows).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import yaml

from base.timing import Timings
from benchmarks.table import load_average
from spanner.baseline import Baseline
from spanner.fixture_layout import FixtureLayout
from spanner.query import execute
from spanner.seeding import apply_seed
from spanner.service import SpannerService
from spanner.settings import SpannerSettings

DATABASES = ("users", "billing")
# each table's share of the rows, per tenant: 1 tenant row makes 20 rows in all
PER_TENANT = {
    ("users", "Tenants"): 1,
    ("users", "TenantProfiles"): 1,
    ("users", "Users"): 4,
    ("users", "UserCredentials"): 4,
    ("users", "UserProfiles"): 4,
    ("users", "UserSessions"): 2,
    ("billing", "Subscriptions"): 1,
    ("billing", "Invoices"): 2,
    ("billing", "UsageMetrics"): 1,
}
ROWS_PER_TENANT = sum(PER_TENANT.values())
WHEN = "2026-01-01T00:00:00Z"

# a sign-up, a sign-in and a payment, as the SaaS app would write them
SCENARIO = {
    "users": [
        "INSERT INTO Tenants (TenantID, Name, Domain, Plan, Status, CreatedAt, UpdatedAt) VALUES "
        "('new', 'New', 'new.example', 'starter', 'active', PENDING_COMMIT_TIMESTAMP(), "
        "PENDING_COMMIT_TIMESTAMP())",
        "INSERT INTO Users (TenantID, UserID, Email, Role, Status, CreatedAt) VALUES "
        "('new', 'u-new', 'owner@new.example', 'owner', 'active', PENDING_COMMIT_TIMESTAMP())",
        "INSERT INTO UserCredentials (TenantID, UserID, PasswordHash, UpdatedAt) VALUES "
        "('new', 'u-new', 'argon2id$x', PENDING_COMMIT_TIMESTAMP())",
        "INSERT INTO UserSessions (TenantID, UserID, SessionID, ExpiresAt, CreatedAt) VALUES "
        "('new', 'u-new', 's-new', TIMESTAMP '2030-01-01T00:00:00Z', PENDING_COMMIT_TIMESTAMP())",
        "UPDATE Users SET LastLoginAt = CURRENT_TIMESTAMP() "
        "WHERE TenantID = 't1' AND UserID = 'u1-1'",
    ],
    "billing": [
        "INSERT INTO Subscriptions (SubscriptionID, TenantID, Plan, Status, BillingCycle, Amount, "
        "Currency, NextBillingDate, CreatedAt) VALUES ('sub-new', 'new', 'starter', 'active', "
        "'monthly', NUMERIC '29', 'USD', DATE '2026-02-01', PENDING_COMMIT_TIMESTAMP())",
        "UPDATE Invoices SET Status = 'paid' WHERE InvoiceID = 'inv1-1'",
    ],
}


def tenant_rows(tenant: int) -> dict[tuple[str, str], list[dict[str, object]]]:
    """Every row of one tenant, by (database, table)."""
    t = f"t{tenant}"
    users = [f"u{tenant}-{n}" for n in range(1, 5)]
    return {
        ("users", "Tenants"): [{"TenantID": t, "Name": f"Tenant {tenant}", "Domain": f"{t}.example",
                                "Plan": "pro", "Status": "active", "CreatedAt": WHEN,
                                "UpdatedAt": WHEN}],
        ("users", "TenantProfiles"): [{"TenantID": t, "CompanySize": "11-50", "Industry": None,
                                       "OnboardingStep": "complete", "UpdatedAt": WHEN}],
        ("users", "Users"): [{"TenantID": t, "UserID": u, "Email": f"{u}@{t}.example",
                              "Role": "member", "Status": "active", "CreatedAt": WHEN}
                             for u in users],
        ("users", "UserCredentials"): [{"TenantID": t, "UserID": u, "PasswordHash": "argon2id$h",
                                        "UpdatedAt": WHEN} for u in users],
        ("users", "UserProfiles"): [{"TenantID": t, "UserID": u, "FirstName": "Ada",
                                     "LastName": u, "UpdatedAt": WHEN} for u in users],
        ("users", "UserSessions"): [{"TenantID": t, "UserID": u, "SessionID": f"s-{u}",
                                     "ExpiresAt": "2030-01-01T00:00:00Z", "CreatedAt": WHEN}
                                    for u in users[:2]],
        ("billing", "Subscriptions"): [{"SubscriptionID": f"sub{tenant}", "TenantID": t,
                                        "Plan": "pro", "Status": "active",
                                        "BillingCycle": "monthly", "Amount": "49.00",
                                        "Currency": "USD",
                                        "NextBillingDate": "2026-02-01", "CreatedAt": WHEN}],
        ("billing", "Invoices"): [{"InvoiceID": f"inv{tenant}-{n}", "TenantID": t,
                                   "Amount": "49.00", "Status": "open", "DueDate": "2026-02-01",
                                   "CreatedAt": WHEN} for n in (1, 2)],
        ("billing", "UsageMetrics"): [{"MetricID": f"m{tenant}", "TenantID": t,
                                       "MetricType": "api_calls", "Value": tenant,
                                       "Period": "2026-01-01", "RecordedAt": WHEN,
                                       "CreatedAt": WHEN}],
    }  # fmt: skip


def write_baseline(root: Path, rows: int) -> int:
    """Fixture files of about `rows` rows under root/feature/<database>/; the rows written."""
    tenants = max(1, round(rows / ROWS_PER_TENANT))
    tables: dict[tuple[str, str], list[dict[str, object]]] = {key: [] for key in PER_TENANT}
    for tenant in range(1, tenants + 1):
        for key, found in tenant_rows(tenant).items():
            tables[key].extend(found)
    if rows < ROWS_PER_TENANT:  # a small baseline: fewer rows per table, as many tables
        tables = {key: found[: max(1, rows // len(PER_TENANT))] for key, found in tables.items()}
    for (database, table), found in tables.items():
        path = root / "feature" / database / f"{table}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(found, sort_keys=False))
    return sum(len(found) for found in tables.values())


@dataclass
class Figures:
    rows: int
    unchanged: list[float]
    changed: list[float]
    full: list[float]


@contextmanager
def saas_baseline(rows: int) -> Iterator[tuple[Baseline, int]]:
    root = Path(tempfile.mkdtemp(prefix="restore-bench-"))
    settings = SpannerSettings(backend="binary", log_dir=root / "logs")
    service = SpannerService(settings, Timings()).start()
    try:
        databases = service.databases(DATABASES)
        written = write_baseline(root, rows)
        baseline = Baseline(service, databases, FixtureLayout(root, "bench"))
        baseline.seed_feature("feature")
        yield baseline, written
    finally:
        service.stop()


def measure(rows: int, tries: int, full: bool = False) -> Figures:
    with saas_baseline(rows) as (baseline, written):
        unchanged, changed, whole = [], [], []
        for _ in range(tries):
            unchanged.append(timed(baseline.restore))
            for name, statements in SCENARIO.items():
                for sql in statements:
                    execute(baseline.databases[name], sql)
            changed.append(timed(baseline.restore))
            if not any(report.changed_tables for report in baseline.last_restore.values()):
                raise RuntimeError("the restore after the scenario's change saw no change")
        if full and baseline.seed is not None:
            handles, schemas = baseline.databases.handles, baseline.databases.schemas
            for _ in range(max(1, tries // 2)):
                whole.append(timed(partial(apply_seed, handles, schemas, baseline.seed)))
        return Figures(written, unchanged, changed, whole)


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def restore_seconds(rows: int, tries: int = 5) -> float:
    """The median restore after a typical scenario's change, on a baseline of about `rows`."""
    return statistics.median(measure(rows, tries).changed)


def describe(samples: list[float]) -> str:
    if not samples:
        return "—"
    mean, median, worst = statistics.mean(samples), statistics.median(samples), max(samples)
    return (
        f"mean {mean * 1000:7.1f} ms  median {median * 1000:7.1f} ms  worst {worst * 1000:7.1f} ms"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.restore")
    parser.add_argument("--rows", type=int, nargs="+", default=[10, 1_000, 10_000])
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--full", action="store_true", help="also time writing every table whole")
    args = parser.parse_args(argv)
    print(f"restore of the SaaS databases (users, billing); load average {load_average()}")
    for rows in args.rows:
        figures = measure(rows, args.tries, args.full)
        print(f"{figures.rows:>6,} rows  unchanged  {describe(figures.unchanged)}")
        print(f"{'':>6}       after a change  {describe(figures.changed)}")
        if args.full:
            print(f"{'':>6}       written whole   {describe(figures.full)}")
    print(f"({args.tries} tries each; load average {load_average()})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
