"""A patient's chart: the summary (name, date of birth, record number) and the medical
history (earlier visits with their provider and prescriptions). Reads only; the routes audit
the view before they show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from google.cloud.spanner_v1.database import Database

from app.platform.db import query, query_one


@dataclass(frozen=True)
class Patient:
    patient_id: str
    full_name: str
    date_of_birth: date
    medical_record_number: str


@dataclass(frozen=True)
class PastPrescription:
    medication: str
    dosage: str
    duration: str
    signed_at: datetime


@dataclass(frozen=True)
class PastVisit:
    visit_id: str
    created_at: datetime
    provider_name: str
    reason: str
    diagnosis: str
    treatment_plan: str
    prescriptions: list[PastPrescription] = field(default_factory=list)


def patient(database: Database, patient_id: str) -> Patient | None:
    row = query_one(
        database,
        "SELECT PatientID, FullName, DateOfBirth, MedicalRecordNumber FROM Patients "
        "WHERE PatientID = @patient",
        {"patient": patient_id},
    )
    if row is None:
        return None
    return Patient(
        row["PatientID"], row["FullName"], row["DateOfBirth"], row["MedicalRecordNumber"]
    )


def history(database: Database, patient_id: str) -> list[PastVisit]:
    """Every visit of the patient, newest first, with its provider and prescriptions."""
    visits = query(
        database,
        """
        SELECT v.VisitID, v.CreatedAt, v.Reason, v.Diagnosis, v.TreatmentPlan,
               IFNULL(pr.FullName, v.ProviderID) AS ProviderName
        FROM VisitRecords AS v
        LEFT JOIN Providers AS pr ON pr.ProviderID = v.ProviderID
        WHERE v.PatientID = @patient
        ORDER BY v.CreatedAt DESC, v.VisitID
        """,
        {"patient": patient_id},
    )
    prescribed = query(
        database,
        """
        SELECT VisitID, MedicationName, Dosage, Duration, SignedAt FROM Prescriptions
        WHERE PatientID = @patient ORDER BY SignedAt, PrescriptionID
        """,
        {"patient": patient_id},
    )
    by_visit: dict[str, list[PastPrescription]] = {}
    for row in prescribed:
        by_visit.setdefault(row["VisitID"], []).append(
            PastPrescription(row["MedicationName"], row["Dosage"], row["Duration"],
                             row["SignedAt"])
        )  # fmt: skip
    return [
        PastVisit(row["VisitID"], row["CreatedAt"], row["ProviderName"], row["Reason"],
                  row["Diagnosis"], row["TreatmentPlan"], by_visit.get(row["VisitID"], []))
        for row in visits
    ]  # fmt: skip
