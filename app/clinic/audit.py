"""The compliance audit log (AuditLog in the `audit` database), and its guarantee:

    AN ACTION WHOSE AUDIT ENTRY CANNOT BE WRITTEN DOES NOT HAPPEN.

The log lives in a database of its own and Spanner has no transaction across two databases,
so the guarantee comes from the ORDER of the writes, never from a commit that spans both:

* A view or a refusal (PATIENT_SEARCHED with one PATIENT_LISTED per patient the search
  lists, PATIENT_VIEWED, VISIT_VIEWED, PRESCRIPTIONS_VIEWED, ACCESS_DENIED, MFA_FAILED,
  MFA_LOCKED, MFA_BLOCKED, PRESCRIPTION_SIGNING_REFUSED, PRESCRIPTION_SIGNING_LOCKED,
  PRESCRIPTION_CHANGE_REFUSED): ``record`` writes the entry, already 'completed', BEFORE the
  page is rendered. When the write fails it raises
  AuditUnavailable and the route answers 503 without the page: the patient's data never
  leaves the server unlogged.

* Sessions: a refused sign-in (SIGN_IN_FAILED, and SIGN_IN_LOCKED when it locked the account:
  app/clinic/sign_in_audit.py, told by the platform), a sign-out (SIGNED_OUT, the clinic's
  /provider/logout), an idle session ended (SIGNED_OUT_IDLE, app/clinic/deps.py) and an
  administrator's unlock of the second factor (MFA_UNLOCKED, app/clinic/unlock.py). Ending or
  refusing a session never waits on the log: an entry that cannot be written is logged as an
  error there (an unlock, which grants, is not written without its entry).

* The second factor (MFA_VERIFIED, app/clinic/mfa.py): the code is checked and the factor's
  state written in one transaction on `clinic`; then the entry is recorded; then, and only if
  the entry was written, the session is marked verified. A failed entry leaves the code used
  up and the session with the password only: no access without its entry.

* A change (VISIT_CREATED, PRESCRIPTION_CREATED): ``perform`` writes an intent first.
    1. The entry is written with Status 'pending' and ResourceID = the id the new record will
       have (chosen before). If that fails: AuditUnavailable, nothing at all was written, and
       the route answers 503 "nothing was changed".
    2. The record is written in `clinic`. If that fails, the intent is settled at once
       (abandoned, since the record is not there) and the error goes on.
    3. The entry is marked 'completed' (CompletedAt). If that fails, the record exists with
       a 'pending' entry naming it; the request still succeeds.
  So every record has an entry, written before it. An entry left 'pending' (the app stopped
  between 1 and 3, or step 3 failed) is settled by ``reconcile`` (app/clinic/settling.py),
  run when the app starts and by ``python -m app.clinic.reconcile``: every entry pending for
  more than a minute becomes 'completed' when its record exists, else 'abandoned'. A minute
  is far longer than a request's writes take (run_write starts no attempt after 30 s), so a
  request still in flight is never settled under it.

Every entry carries the request's RequestID (a uuid4 per request) and Seq (1, 2, ... within
the request), the client's IPAddress, and is ordered by CreatedAt (its commit timestamp;
one request's entries of one transaction share it), then Seq.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request
from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import run_write, tx_update

log = logging.getLogger(__name__)
T = TypeVar("T")

PENDING, COMPLETED, ABANDONED = "pending", "completed", "abandoned"

MFA_VERIFIED = "MFA_VERIFIED"
MFA_FAILED = "MFA_FAILED"
MFA_LOCKED = "MFA_LOCKED"
MFA_BLOCKED = "MFA_BLOCKED"
MFA_UNLOCKED = "MFA_UNLOCKED"
SIGN_IN_FAILED = "SIGN_IN_FAILED"
SIGN_IN_LOCKED = "SIGN_IN_LOCKED"
SIGNED_OUT = "SIGNED_OUT"
SIGNED_OUT_IDLE = "SIGNED_OUT_IDLE"
PATIENT_LISTED = "PATIENT_LISTED"
VISIT_VIEWED = "VISIT_VIEWED"
PRESCRIPTIONS_VIEWED = "PRESCRIPTIONS_VIEWED"
PRESCRIPTION_SIGNING_LOCKED = "PRESCRIPTION_SIGNING_LOCKED"
PATIENT_SEARCHED = "PATIENT_SEARCHED"
PATIENT_VIEWED = "PATIENT_VIEWED"
ACCESS_DENIED = "ACCESS_DENIED"
VISIT_CREATED = "VISIT_CREATED"
PRESCRIPTION_CREATED = "PRESCRIPTION_CREATED"
PRESCRIPTION_SIGNING_REFUSED = "PRESCRIPTION_SIGNING_REFUSED"
PRESCRIPTION_CHANGE_REFUSED = "PRESCRIPTION_CHANGE_REFUSED"

# What an entry is about (ResourceType)
PROVIDER, PATIENT, SEARCH, VISIT, PRESCRIPTION = (
    "provider",
    "patient",
    "patient_search",
    "visit",
    "prescription",
)

MAX_DETAILS = 500
MAX_IP_ADDRESS = 45
COLUMNS = (
    "AuditID", "RequestID", "Seq", "Action", "Status", "ResourceType", "ResourceID",
    "PatientID", "ProviderID", "IPAddress", "Details", "CreatedAt", "CompletedAt",
)  # fmt: skip


class AuditUnavailable(RuntimeError):  # noqa: N818 - the name says what the user is told
    """The entry could not be written, so the action it records must not happen."""


@dataclass(frozen=True)
class Entry:
    """One event: who did what to which resource of which patient."""

    action: str
    provider_id: str | None
    resource_type: str | None = None
    resource_id: str | None = None
    patient_id: str | None = None
    details: str | None = None


@dataclass
class Trail:
    """The audit context of one request: its id, its client and the next Seq."""

    request_id: str
    ip_address: str
    written: int = field(default=0)

    def next_seq(self) -> int:
        self.written += 1
        return self.written


def client_address(request: Request) -> str:
    """The address of the peer that sent the request.

    request.client.host is the other end of the TCP connection. X-Forwarded-For is NOT read:
    any client can write that header, and no proxy we trust stands in front of the app.
    """
    host = request.client.host if request.client else ""
    return (host or "unknown")[:MAX_IP_ADDRESS]


def trail_of(request: Request) -> Trail:
    """The request's trail, made on first use: a fresh uuid4 RequestID and the client's IP."""
    trail = getattr(request.state, "audit_trail", None)
    if trail is None:
        trail = Trail(str(uuid.uuid4()), client_address(request))
        request.state.audit_trail = trail
    return trail


def _rows(trail: Trail, entries: Sequence[Entry], status: str) -> list[tuple[object, ...]]:
    completed_at = spanner.COMMIT_TIMESTAMP if status == COMPLETED else None
    return [
        (
            str(uuid.uuid4()), trail.request_id, trail.next_seq(), entry.action, status,
            entry.resource_type, entry.resource_id, entry.patient_id, entry.provider_id,
            trail.ip_address, entry.details[:MAX_DETAILS] if entry.details else None,
            spanner.COMMIT_TIMESTAMP, completed_at,
        )
        for entry in entries
    ]  # fmt: skip


def _insert(database: Database, rows: list[tuple[object, ...]]) -> None:
    """Write the rows in one transaction, or raise AuditUnavailable."""

    def work(txn: Transaction) -> None:
        txn.insert("AuditLog", columns=COLUMNS, values=rows)

    try:
        run_write(database, work)
    except Exception as error:  # any failure: the entry is not known to be written
        log.exception("audit entry %s could not be written", [row[3] for row in rows])
        raise AuditUnavailable(str(error)) from error


def record(database: Database, trail: Trail, *entries: Entry) -> None:
    """Write completed entries (Seq in the given order), or raise AuditUnavailable."""
    _insert(database, _rows(trail, entries, COMPLETED))


def intend(database: Database, trail: Trail, entry: Entry) -> str:
    """Write the entry as a pending intent; its AuditID, or AuditUnavailable."""
    rows = _rows(trail, [entry], PENDING)
    _insert(database, rows)
    return str(rows[0][0])


def settle(database: Database, audit_id: str, status: str) -> bool:
    """Mark a pending entry completed or abandoned; False when it was no longer pending."""
    # PENDING_COMMIT_TIMESTAMP() may only stand alone as a value: two statements, not an IF.
    completed_at = ", CompletedAt = PENDING_COMMIT_TIMESTAMP()" if status == COMPLETED else ""
    sql = (
        f"UPDATE AuditLog SET Status = @status{completed_at} "  # noqa: S608 - no value in it
        "WHERE AuditID = @id AND Status = @pending"
    )

    def work(txn: Transaction) -> int:
        return tx_update(txn, sql, {"status": status, "id": audit_id, "pending": PENDING})

    return run_write(database, work) == 1


def perform(
    database: Database,
    trail: Trail,
    entry: Entry,
    change: Callable[[], T],
    record_exists: Callable[[], bool],
) -> T:
    """Run ``change`` (the write of the record ``entry`` announces) under an intent: see the
    module's docstring. AuditUnavailable when the intent cannot be written: nothing changed."""
    audit_id = intend(database, trail, entry)
    try:
        result = change()
    except Exception:
        _settle_after_failure(database, audit_id, record_exists)
        raise
    try:
        settle(database, audit_id, COMPLETED)
    except Exception:
        log.exception("audit entry %s stays pending; reconcile will settle it", audit_id)
    return result


def _settle_after_failure(
    database: Database, audit_id: str, record_exists: Callable[[], bool]
) -> None:
    # A failed write may still have committed (its answer lost): look before saying abandoned.
    try:
        settle(database, audit_id, COMPLETED if record_exists() else ABANDONED)
    except Exception:
        log.exception("audit entry %s stays pending; reconcile will settle it", audit_id)
