-- The compliance audit log, in a database of its own. One row per event; the events of one
-- request share RequestID and are numbered by Seq from 1. Order of events: CreatedAt (the
-- commit timestamp), then Seq. A change (VISIT_CREATED, PRESCRIPTION_CREATED) is first written
-- 'pending' with the id of the record it is about to create, then marked 'completed' (or
-- 'abandoned' when the record was not written); see app/clinic/audit.py.

CREATE TABLE AuditLog (
  AuditID STRING(36) NOT NULL,
  RequestID STRING(36) NOT NULL,
  Seq INT64 NOT NULL,
  Action STRING(64) NOT NULL,
  Status STRING(16) NOT NULL, -- pending | completed | abandoned
  ResourceType STRING(32),
  ResourceID STRING(64),
  PatientID STRING(64),
  ProviderID STRING(64),
  IPAddress STRING(45) NOT NULL,
  Details STRING(500),
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
  CompletedAt TIMESTAMP OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (AuditID);

CREATE INDEX AuditByPatient ON AuditLog(PatientID, ProviderID, CreatedAt, Seq);

CREATE INDEX AuditByProvider ON AuditLog(ProviderID, CreatedAt, Seq);
