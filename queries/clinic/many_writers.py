"""The SQL behind features/care_team_at_once.feature: a patient's care team, and what its
visits recorded at once left in the clinic and audit databases. Every value is a query parameter.
"""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, query


def care_team_of(db: Database, patient_id: str) -> list[Row]:
    """The active providers with an ongoing care of the patient and a second factor enrolled,
    with their authenticator's secret (clinic database)."""
    return query(
        db,
        """
        SELECT p.ProviderID, p.Email, m.Secret
        FROM CareRelationships c
        JOIN Providers p ON p.ProviderID = c.ProviderID
        JOIN ProviderMfa m ON m.ProviderID = c.ProviderID
        WHERE c.PatientID = @patient_id AND p.Status = 'active'
          AND c.StartedAt <= CURRENT_TIMESTAMP()
          AND (c.EndedAt IS NULL OR c.EndedAt > CURRENT_TIMESTAMP())
        ORDER BY p.Email
        """,
        {"patient_id": patient_id},
    )


def audit_entries_of_action(audit: Database, patient_id: str, action: str) -> list[Row]:
    """The audit entries of one action about the patient (audit database)."""
    return query(
        audit,
        """
        SELECT Action, Status, ResourceType, ResourceID, ProviderID, CompletedAt
        FROM AuditLog
        WHERE PatientID = @patient_id AND Action = @action
        """,
        {"patient_id": patient_id, "action": action},
    )
