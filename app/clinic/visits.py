"""Visits: the form's rules, recording a visit under its audit intent, and reading one back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from google.cloud import spanner
from google.cloud.spanner_v1.transaction import Transaction

from app.clinic import audit
from app.clinic.forms import FieldRules, field_problems
from app.clinic.settling import record_exists
from app.platform.db import Databases, query_one, run_write

MAX_REASON, MAX_DIAGNOSIS, MAX_TREATMENT_PLAN = 500, 1000, 2000


@dataclass(frozen=True)
class VisitForm:
    reason: str
    diagnosis: str
    treatment_plan: str

    def trimmed(self) -> VisitForm:
        return VisitForm(self.reason.strip(), self.diagnosis.strip(), self.treatment_plan.strip())


@dataclass(frozen=True)
class Visit:
    patient_id: str
    visit_id: str
    provider_id: str
    reason: str
    diagnosis: str
    treatment_plan: str
    created_at: datetime


FIELDS: FieldRules = {
    "reason": ("the reason for the visit", MAX_REASON),
    "diagnosis": ("the diagnosis", MAX_DIAGNOSIS),
    "treatment_plan": ("the treatment plan", MAX_TREATMENT_PLAN),
}


def visit_problems(form: VisitForm) -> dict[str, str]:
    """What is wrong with each field of the (trimmed) form; empty when it can be saved."""
    return field_problems(form, FIELDS)


def record_visit(
    databases: Databases, trail: audit.Trail, provider_id: str, patient_id: str, form: VisitForm
) -> str:
    """Write the visit under its VISIT_CREATED intent; its VisitID. The form must be valid."""
    visit_id = str(uuid.uuid4())

    def work(txn: Transaction) -> None:
        txn.insert(
            "VisitRecords",
            columns=("PatientID", "VisitID", "ProviderID", "Reason", "Diagnosis",
                     "TreatmentPlan", "CreatedAt"),
            values=[(patient_id, visit_id, provider_id, form.reason, form.diagnosis,
                     form.treatment_plan, spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip

    entry = audit.Entry(audit.VISIT_CREATED, provider_id, audit.VISIT, visit_id, patient_id)
    audit.perform(
        databases.audit, trail, entry,
        change=lambda: run_write(databases.clinic, work),
        record_exists=partial(record_exists, databases.clinic, audit.VISIT, patient_id, visit_id),
    )  # fmt: skip
    return visit_id


def visit_by(
    databases: Databases, patient_id: str, visit_id: str, provider_id: str
) -> Visit | None:
    """The visit when ``provider_id`` recorded it (a visit's pages are its author's)."""
    row = query_one(
        databases.clinic,
        """
        SELECT PatientID, VisitID, ProviderID, Reason, Diagnosis, TreatmentPlan, CreatedAt
        FROM VisitRecords
        WHERE PatientID = @patient AND VisitID = @visit AND ProviderID = @provider
        """,
        {"patient": patient_id, "visit": visit_id, "provider": provider_id},
    )
    if row is None:
        return None
    return Visit(
        row["PatientID"], row["VisitID"], row["ProviderID"], row["Reason"], row["Diagnosis"],
        row["TreatmentPlan"], row["CreatedAt"],
    )  # fmt: skip
