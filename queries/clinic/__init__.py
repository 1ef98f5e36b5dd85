"""The SQL behind the clinic's steps: one function per question asked of Spanner.

Two databases, as in the brief: `clinic` (providers with their second factor and signing keys,
patients, care relationships, visits with their prescriptions interleaved) and `audit` (the
audit log, one row per event; the order of events is CreatedAt, a commit timestamp, then Seq
within one request). Every value is a query parameter.
"""

from __future__ import annotations

from datetime import datetime

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, execute, query

# --- providers: who they are, their second factor, their signing keys


def provider_by_email(db: Database, email: str) -> Row | None:
    rows = query(
        db,
        "SELECT ProviderID, Email, FullName, Status FROM Providers WHERE Email = @email",
        {"email": email},
    )
    return rows[0] if rows else None


def provider_by_name(db: Database, full_name: str) -> Row | None:
    rows = query(
        db,
        "SELECT ProviderID, Email, FullName, Status FROM Providers WHERE FullName = @name",
        {"name": full_name},
    )
    return rows[0] if rows else None


def provider_sessions(db: Database, provider_id: str) -> int:
    """How many sessions the provider has, run out or not."""
    return query(
        db,
        "SELECT COUNT(*) AS Sessions FROM ProviderSessions WHERE ProviderID = @provider_id",
        {"provider_id": provider_id},
    )[0]["Sessions"]


def set_provider_status(db: Database, provider_id: str, status: str) -> int:
    """Sets the provider's account active or disabled, as the clinic's staff would; the rows
    changed."""
    return execute(
        db,
        "UPDATE Providers SET Status = @status WHERE ProviderID = @provider_id",
        {"status": status, "provider_id": provider_id},
    )


def disable_provider(db: Database, provider_id: str) -> int:
    """Disables the provider's account, as the clinic's staff would; the rows changed."""
    return set_provider_status(db, provider_id, "disabled")


def second_factor(db: Database, provider_id: str) -> Row | None:
    """The provider's authenticator secret and the state of their second factor."""
    rows = query(
        db,
        """
        SELECT Secret, LastUsedStep, FailedAttempts, LockedUntil
        FROM ProviderMfa
        WHERE ProviderID = @provider_id
        """,
        {"provider_id": provider_id},
    )
    return rows[0] if rows else None


def set_second_factor_state(
    db: Database, provider_id: str, failed_attempts: int, locked_until: datetime | None
) -> int:
    """Writes where the provider's second factor stands: wrong codes in a row, and the end of
    its lock (None: not locked); the rows changed."""
    params = {"failed": failed_attempts, "provider_id": provider_id}
    if locked_until is None:
        lock = "NULL"
    else:
        lock, params["until"] = "@until", locked_until
    return execute(
        db,
        f"UPDATE ProviderMfa SET FailedAttempts = @failed, LockedUntil = {lock} "  # noqa: S608
        "WHERE ProviderID = @provider_id",
        params,
    )


def signing_key(db: Database, provider_id: str, key_id: str) -> Row | None:
    """One of the provider's signing keys: its public half (PEM) and whether it is retired."""
    rows = query(
        db,
        """
        SELECT KeyID, PublicKeyPem, CreatedAt, RetiredAt
        FROM ProviderSigningKeys
        WHERE ProviderID = @provider_id AND KeyID = @key_id
        """,
        {"provider_id": provider_id, "key_id": key_id},
    )
    return rows[0] if rows else None


def signing_key_in_use(db: Database, provider_id: str) -> Row | None:
    """The provider's key the clinic signs with (the newest not retired), as it is kept."""
    rows = query(
        db,
        """
        SELECT KeyID, EncryptedPrivateKeyPem
        FROM ProviderSigningKeys
        WHERE ProviderID = @provider_id AND RetiredAt IS NULL
        ORDER BY CreatedAt DESC LIMIT 1
        """,
        {"provider_id": provider_id},
    )
    return rows[0] if rows else None


# --- patients and care


def patient_by_name(db: Database, full_name: str) -> Row | None:
    rows = query(
        db,
        """
        SELECT PatientID, FullName, DateOfBirth, MedicalRecordNumber
        FROM Patients WHERE FullName = @name
        """,
        {"name": full_name},
    )
    return rows[0] if rows else None


def care_relationships(db: Database) -> list[Row]:
    """Every care relationship, with the provider's and the patient's names."""
    return query(
        db,
        """
        SELECT pr.FullName AS Provider, pa.FullName AS Patient, c.StartedAt, c.EndedAt
        FROM CareRelationships c
        JOIN Providers pr ON pr.ProviderID = c.ProviderID
        JOIN Patients pa ON pa.PatientID = c.PatientID
        ORDER BY pr.FullName, pa.FullName
        """,
    )


# --- visits and prescriptions


def visits_of(db: Database, patient_id: str, provider_id: str) -> list[Row]:
    """The patient's visits with the provider, newest first (the brief's ORDER BY CreatedAt)."""
    return query(
        db,
        """
        SELECT VisitID, PatientID, ProviderID, Reason, Diagnosis, TreatmentPlan, CreatedAt
        FROM VisitRecords
        WHERE PatientID = @patient_id AND ProviderID = @provider_id
        ORDER BY CreatedAt DESC, VisitID
        """,
        {"patient_id": patient_id, "provider_id": provider_id},
    )


def visits_of_patient(db: Database, patient_id: str) -> list[Row]:
    """Every visit of the patient, with any provider, oldest first."""
    return query(
        db,
        """
        SELECT VisitID, PatientID, ProviderID, Reason, Diagnosis, TreatmentPlan, CreatedAt
        FROM VisitRecords
        WHERE PatientID = @patient_id
        ORDER BY CreatedAt, VisitID
        """,
        {"patient_id": patient_id},
    )


# everything a prescription's signature covers, and who signed with which key, when
_PRESCRIPTION_COLUMNS = """
    PrescriptionID, VisitID, PatientID, ProviderID, MedicationName, Dosage, Duration, SignedAt,
    SignatureKeyID, ProviderSignature, CreatedAt
"""


def prescriptions_of_visit(db: Database, patient_id: str, visit_id: str) -> list[Row]:
    """The visit's prescriptions, oldest first, each with everything its signature covers."""
    return query(
        db,
        f"""
        SELECT {_PRESCRIPTION_COLUMNS}
        FROM Prescriptions
        WHERE PatientID = @patient_id AND VisitID = @visit_id
        ORDER BY CreatedAt, PrescriptionID
        """,  # noqa: S608 - the column list is a constant
        {"patient_id": patient_id, "visit_id": visit_id},
    )


def prescriptions_of(db: Database, patient_id: str, provider_id: str) -> list[Row]:
    """Every prescription the provider signed for the patient, oldest first."""
    return query(
        db,
        f"""
        SELECT {_PRESCRIPTION_COLUMNS}
        FROM Prescriptions
        WHERE PatientID = @patient_id AND ProviderID = @provider_id
        ORDER BY CreatedAt, PrescriptionID
        """,  # noqa: S608 - the column list is a constant
        {"patient_id": patient_id, "provider_id": provider_id},
    )


def prescriptions_of_patient(db: Database, patient_id: str) -> list[Row]:
    """Every prescription of the patient, by any provider, oldest first."""
    return query(
        db,
        f"""
        SELECT {_PRESCRIPTION_COLUMNS}
        FROM Prescriptions
        WHERE PatientID = @patient_id
        ORDER BY CreatedAt, PrescriptionID
        """,  # noqa: S608 - the column list is a constant
        {"patient_id": patient_id},
    )


# --- the audit database


_AUDIT_COLUMNS = """
    AuditID, RequestID, Seq, Action, Status, ResourceType, ResourceID, PatientID, ProviderID,
    IPAddress, Details, CreatedAt, CompletedAt
"""


def audit_of_patient(audit: Database, patient_id: str, provider_id: str) -> list[Row]:
    """The audit log of one patient's record with one provider, in the order of events."""
    return query(
        audit,
        f"""
        SELECT {_AUDIT_COLUMNS}
        FROM AuditLog
        WHERE PatientID = @patient_id AND ProviderID = @provider_id
        ORDER BY CreatedAt, Seq
        """,  # noqa: S608 - the column list is a constant
        {"patient_id": patient_id, "provider_id": provider_id},
    )


def audit_of_provider(audit: Database, provider_id: str) -> list[Row]:
    """Everything the audit log holds about what a provider did, in the order of events."""
    return query(
        audit,
        f"""
        SELECT {_AUDIT_COLUMNS}
        FROM AuditLog
        WHERE ProviderID = @provider_id
        ORDER BY CreatedAt, Seq
        """,  # noqa: S608 - the column list is a constant
        {"provider_id": provider_id},
    )


def audit_about_patient(audit: Database, patient_id: str) -> list[Row]:
    """Everything the audit log holds about a patient, whoever did it, in the order of events."""
    return query(
        audit,
        f"""
        SELECT {_AUDIT_COLUMNS}
        FROM AuditLog
        WHERE PatientID = @patient_id
        ORDER BY CreatedAt, Seq
        """,  # noqa: S608 - the column list is a constant
        {"patient_id": patient_id},
    )


def take_audit_log_offline(audit: Database, offline_name: str) -> None:
    """Makes the audit log unwritable for real: its table is renamed, so every write the app
    tries fails, as when the audit database cannot be reached. DDL takes no parameters; the
    names are the suite's own constants."""
    audit.update_ddl([f"ALTER TABLE AuditLog RENAME TO {offline_name}"]).result(60)


def bring_audit_log_back(audit: Database, offline_name: str) -> None:
    """Gives the audit log its table back (the rename undone), with every row it held."""
    audit.update_ddl([f"ALTER TABLE {offline_name} RENAME TO AuditLog"]).result(60)
