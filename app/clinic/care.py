"""The care rule: a provider may open a patient only while a care relationship holds,
StartedAt <= now and (EndedAt IS NULL or EndedAt > now). The search lists only such patients.

The rule is applied here, in Python, to the provider's relationships as read: one place that
says it, for the search and for every page and form of a patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from google.cloud.spanner_v1.database import Database

from app.platform.db import query


@dataclass(frozen=True)
class PatientCard:
    """A patient as the search lists them."""

    patient_id: str
    full_name: str
    date_of_birth: date
    medical_record_number: str


def in_care(started_at: datetime, ended_at: datetime | None, now: datetime) -> bool:
    """Whether a relationship from ``started_at`` to ``ended_at`` (None: ongoing) holds now."""
    return started_at <= now and (ended_at is None or ended_at > now)


def name_matches(full_name: str, words: str) -> bool:
    """Whether the name contains the searched text, ignoring case and outer spaces."""
    return words.strip().casefold() in full_name.casefold()


def patients_in_care(database: Database, provider_id: str, now: datetime) -> list[PatientCard]:
    """The provider's patients at ``now``, by name."""
    rows = query(
        database,
        """
        SELECT p.PatientID, p.FullName, p.DateOfBirth, p.MedicalRecordNumber,
               c.StartedAt, c.EndedAt
        FROM CareRelationships AS c
        JOIN Patients AS p ON p.PatientID = c.PatientID
        WHERE c.ProviderID = @provider
        ORDER BY p.FullName, p.PatientID
        """,
        {"provider": provider_id},
    )
    return [
        PatientCard(row["PatientID"], row["FullName"], row["DateOfBirth"],
                    row["MedicalRecordNumber"])
        for row in rows
        if in_care(row["StartedAt"], row["EndedAt"], now)
    ]  # fmt: skip


def search(database: Database, provider_id: str, words: str, now: datetime) -> list[PatientCard]:
    """The provider's patients at ``now`` whose name contains ``words``."""
    return [
        card
        for card in patients_in_care(database, provider_id, now)
        if name_matches(card.full_name, words)
    ]


def may_open(database: Database, provider_id: str, patient_id: str, now: datetime) -> bool:
    """Whether the patient is in the provider's care at ``now``."""
    rows = query(
        database,
        "SELECT StartedAt, EndedAt FROM CareRelationships "
        "WHERE ProviderID = @provider AND PatientID = @patient",
        {"provider": provider_id, "patient": patient_id},
    )
    return any(in_care(row["StartedAt"], row["EndedAt"], now) for row in rows)
