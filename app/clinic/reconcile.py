"""Settle the audit entries left pending (see app/clinic/audit.py): an intent older than a
minute is 'completed' when the record it announced exists in `clinic`, else 'abandoned'.

Runs when the app starts, and by hand (same environment as the app):

    python -m app.clinic.reconcile [--older-than-seconds 60]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from google.cloud.spanner_v1.database import Database

from app.clinic import audit
from app.clinic.dates import utc_now
from app.platform.db import Databases, connect, query, query_one
from app.platform.settings import SettingsError, load_settings

log = logging.getLogger(__name__)

SETTLE_AFTER = timedelta(minutes=1)

# Where the record of each kind of intent lives: (table, its id column), within the patient.
RECORDS = {
    audit.VISIT: ("VisitRecords", "VisitID"),
    audit.PRESCRIPTION: ("Prescriptions", "PrescriptionID"),
}


@dataclass(frozen=True)
class Settled:
    completed: int = 0
    abandoned: int = 0
    skipped: int = 0  # pending entries of no kind of record known here


def record_exists(
    database: Database, resource_type: str, patient_id: str | None, resource_id: str | None
) -> bool | None:
    """Whether the record an intent announced was written; None for an unknown kind."""
    if resource_type not in RECORDS:
        return None
    table, id_column = RECORDS[resource_type]
    row = query_one(
        database,
        f"SELECT 1 AS found FROM {table} WHERE PatientID = @patient AND {id_column} = @id",  # noqa: S608 - names from RECORDS
        {"patient": patient_id or "", "id": resource_id or ""},
    )
    return row is not None


def reconcile(
    databases: Databases, older_than: timedelta = SETTLE_AFTER, now: datetime | None = None
) -> Settled:
    """Settle every entry pending since before ``now - older_than``."""
    cutoff = (now or utc_now()) - older_than
    pending = query(
        databases.audit,
        """
        SELECT AuditID, ResourceType, ResourceID, PatientID FROM AuditLog
        WHERE Status = @pending AND CreatedAt < @cutoff
        """,
        {"pending": audit.PENDING, "cutoff": cutoff},
    )
    counts = {audit.COMPLETED: 0, audit.ABANDONED: 0}
    skipped = 0
    for entry in pending:
        exists = record_exists(
            databases.clinic, entry["ResourceType"], entry["PatientID"], entry["ResourceID"]
        )
        if exists is None:
            log.warning("audit entry %s: unknown kind %r", entry["AuditID"], entry["ResourceType"])
            skipped += 1
            continue
        status = audit.COMPLETED if exists else audit.ABANDONED
        if audit.settle(databases.audit, entry["AuditID"], status):
            counts[status] += 1
    settled = Settled(counts[audit.COMPLETED], counts[audit.ABANDONED], skipped)
    if pending:
        log.info("audit entries settled: %s", settled)
    return settled


def main(argv: Sequence[str] | None = None) -> int:
    from app.clinic.product import PRODUCT  # the app's declaration gives the databases

    parser = argparse.ArgumentParser(
        prog="python -m app.clinic.reconcile",
        description="Settle the clinic's pending audit entries; settings from the environment.",
    )
    parser.add_argument("--older-than-seconds", type=int, default=int(SETTLE_AFTER.total_seconds()))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    try:
        settings = load_settings(PRODUCT)
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    databases = connect(settings)
    try:
        settled = reconcile(databases, timedelta(seconds=args.older_than_seconds))
    finally:
        databases.close()
    print(
        f"completed {settled.completed}, abandoned {settled.abandoned}, skipped {settled.skipped}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
