"""Settle the audit entries left pending (see app/clinic/audit.py): an intent older than a
minute is 'completed' when the record it announced exists in `clinic`, else 'abandoned'.

``reconcile`` runs when the app starts (app/clinic/product.py) and by hand
(``python -m app.clinic.reconcile``, app/clinic/reconcile.py); ``record_exists`` also answers
the visits and prescriptions that settle their own intent at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from google.cloud.spanner_v1.database import Database

from app.clinic import audit
from app.clinic.dates import utc_now
from app.platform.db import Databases, query, query_one

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
