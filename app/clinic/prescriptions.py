"""Prescriptions: the form's rules, signing (the password again, the provider's key), the
signed row written under its audit intent, and the refusal of any change once signed."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from google.cloud import spanner
from google.cloud.spanner_v1.transaction import Transaction

from app.clinic import audit, keys, signing, signing_guard
from app.clinic.auth import password_matches
from app.clinic.forms import FieldRules, field_problems
from app.clinic.policy import policy
from app.clinic.settling import record_exists
from app.clinic.signing import SignedContent
from app.platform.db import Databases, query, query_one, run_write

MAX_MEDICATION, MAX_DOSAGE, MAX_DURATION = 200, 200, 100

SIGNING_REFUSED = "The password is not correct; the prescription was not signed."
CHANGE_REFUSED = "A signed prescription cannot be changed."


class SigningRefused(Exception):  # noqa: N818 - a refusal shown to the provider
    """The password does not unlock the provider's signature, or signing is locked; nothing
    was written."""

    def __init__(self, message: str = SIGNING_REFUSED) -> None:
        super().__init__(message)


def signing_locked_message() -> str:
    minutes = int(policy().signing_lock.total_seconds() // 60)
    return f"Too many wrong passwords: signing is locked for {minutes} minutes."


@dataclass(frozen=True)
class PrescriptionForm:
    medication: str
    dosage: str
    duration: str

    def trimmed(self) -> PrescriptionForm:
        return PrescriptionForm(self.medication.strip(), self.dosage.strip(), self.duration.strip())


@dataclass(frozen=True)
class Prescription:
    prescription_id: str
    medication: str
    dosage: str
    duration: str
    signed_at: datetime
    key_id: str
    signature: bytes


FIELDS: FieldRules = {
    "medication": ("the medication", MAX_MEDICATION),
    "dosage": ("the dosage", MAX_DOSAGE),
    "duration": ("the duration", MAX_DURATION),
}


def prescription_problems(form: PrescriptionForm) -> dict[str, str]:
    """What is wrong with each field of the (trimmed) form; empty when it can be signed."""
    return field_problems(form, FIELDS)


def sign_prescription(
    databases: Databases,
    trail: audit.Trail,
    provider_id: str,
    patient_id: str,
    visit_id: str,
    form: PrescriptionForm,
    password: str,
    now: datetime,
) -> str:
    """Sign the (valid) prescription with the provider's key and write it; its id.

    The password must be the provider's AND unlock their signing key; otherwise the refusal
    is audited (PRESCRIPTION_SIGNING_REFUSED) and SigningRefused raised: nothing is written.
    The tries are limited (app/clinic/signing_guard.py): the limit's wrong try locks signing
    (audited PRESCRIPTION_SIGNING_LOCKED), and a locked signing refuses every password.
    """

    def refuse(details: str, *more: audit.Entry) -> None:
        audit.record(databases.audit, trail, audit.Entry(
            audit.PRESCRIPTION_SIGNING_REFUSED, provider_id, audit.VISIT, visit_id, patient_id,
            details,
        ), *more)  # fmt: skip

    if not signing_guard.reserve(databases, provider_id, now):
        refuse("signing locked")
        raise SigningRefused(signing_locked_message())
    key = keys.active_key(databases.clinic, provider_id)
    private_key = keys.unlock(key, password) if key is not None else None
    if private_key is None or not password_matches(databases.clinic, provider_id, password):
        locked_until = signing_guard.failed(databases, provider_id, now)
        if locked_until is None:
            refuse("no signing key" if key is None else "wrong password")
            raise SigningRefused()
        refuse("wrong password", audit.Entry(
            audit.PRESCRIPTION_SIGNING_LOCKED, provider_id, audit.PROVIDER, provider_id,
            details=f"{policy().signing_max_wrong_passwords} wrong passwords in a row: locked "
                    f"until {locked_until.isoformat()}",
        ))  # fmt: skip
        raise SigningRefused(signing_locked_message())
    assert key is not None  # unlocked, so there is a key
    signing_guard.succeeded(databases, provider_id)
    if keys.is_legacy(key):
        keys.rewrap_legacy(databases.clinic, provider_id, key, private_key, password)
    content = SignedContent(
        str(uuid.uuid4()), visit_id, patient_id, provider_id, form.medication, form.dosage,
        form.duration, now,
    )  # fmt: skip
    signature = signing.sign(private_key, content)

    def work(txn: Transaction) -> None:
        txn.insert(
            "Prescriptions",
            columns=("PatientID", "VisitID", "PrescriptionID", "ProviderID", "MedicationName",
                     "Dosage", "Duration", "SignedAt", "SignatureKeyID", "ProviderSignature",
                     "CreatedAt"),
            values=[(patient_id, visit_id, content.prescription_id, provider_id,
                     content.medication, content.dosage, content.duration, content.signed_at,
                     key.key_id, base64.b64encode(signature), spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip

    entry = audit.Entry(
        audit.PRESCRIPTION_CREATED, provider_id, audit.PRESCRIPTION, content.prescription_id,
        patient_id, f"signed with key {key.key_id}",
    )  # fmt: skip
    audit.perform(
        databases.audit, trail, entry,
        change=lambda: run_write(databases.clinic, work),
        record_exists=partial(record_exists, databases.clinic, audit.PRESCRIPTION, patient_id,
                              content.prescription_id),
    )  # fmt: skip
    return content.prescription_id


_COLUMNS = "PrescriptionID, MedicationName, Dosage, Duration, SignedAt, SignatureKeyID, " \
    "ProviderSignature"  # fmt: skip


def _prescription(row: dict) -> Prescription:
    # the client hands BYTES back base64-encoded
    return Prescription(
        row["PrescriptionID"], row["MedicationName"], row["Dosage"], row["Duration"],
        row["SignedAt"], row["SignatureKeyID"], base64.b64decode(row["ProviderSignature"]),
    )  # fmt: skip


def prescriptions_of(databases: Databases, patient_id: str, visit_id: str) -> list[Prescription]:
    """The visit's prescriptions, in the order they were signed."""
    rows = query(
        databases.clinic,
        f"SELECT {_COLUMNS} FROM Prescriptions "  # noqa: S608 - column names only
        "WHERE PatientID = @patient AND VisitID = @visit ORDER BY SignedAt, PrescriptionID",
        {"patient": patient_id, "visit": visit_id},
    )
    return [_prescription(row) for row in rows]


def prescription(
    databases: Databases, patient_id: str, visit_id: str, prescription_id: str
) -> Prescription | None:
    row = query_one(
        databases.clinic,
        f"SELECT {_COLUMNS} FROM Prescriptions "  # noqa: S608 - column names only
        "WHERE PatientID = @patient AND VisitID = @visit AND PrescriptionID = @rx",
        {"patient": patient_id, "visit": visit_id, "rx": prescription_id},
    )
    return _prescription(row) if row else None


def refuse_change(
    databases: Databases,
    trail: audit.Trail,
    provider_id: str,
    patient_id: str,
    prescription_id: str,
    asked: PrescriptionForm,
) -> None:
    """A signed prescription is never changed: audit the attempt (the row is not touched)."""
    wanted = ", ".join(
        f"{name}={getattr(asked, name)!r}" for name in FIELDS if getattr(asked, name)
    )
    audit.record(databases.audit, trail, audit.Entry(
        audit.PRESCRIPTION_CHANGE_REFUSED, provider_id, audit.PRESCRIPTION, prescription_id,
        patient_id, f"signed prescriptions cannot be changed; asked: {wanted or 'nothing'}",
    ))  # fmt: skip
