-- The clinic: providers (with their second factor, signing keys and sessions), patients, who
-- is in whose care, and the record: visits and their signed prescriptions. Every access to a
-- patient is logged in the separate `audit` database (spanner/schema/audit/).

CREATE TABLE Providers (
  ProviderID STRING(64) NOT NULL,
  Email STRING(254) NOT NULL,
  FullName STRING(200) NOT NULL,
  Status STRING(20) NOT NULL, -- active | disabled
  PasswordHash STRING(200) NOT NULL, -- argon2id
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (ProviderID);

CREATE UNIQUE INDEX ProvidersByEmail ON Providers(Email);

-- The second factor: a TOTP secret (base32) and the state that makes a code usable once and
-- locks the factor after repeated failures. LastUsedStep is the 30-second step of the last
-- accepted code (NULL: none yet); LockedUntil in the past or NULL: not locked.
CREATE TABLE ProviderMfa (
  ProviderID STRING(64) NOT NULL,
  Secret STRING(64) NOT NULL,
  LastUsedStep INT64,
  FailedAttempts INT64 NOT NULL,
  LockedUntil TIMESTAMP,
) PRIMARY KEY (ProviderID),
INTERLEAVE IN PARENT Providers ON DELETE CASCADE;

-- Ed25519 keys that sign prescriptions. The private key is PKCS8 PEM encrypted with the
-- provider's password, so only the provider can sign. One key per provider is not retired.
CREATE TABLE ProviderSigningKeys (
  ProviderID STRING(64) NOT NULL,
  KeyID STRING(36) NOT NULL,
  PublicKeyPem STRING(MAX) NOT NULL,
  EncryptedPrivateKeyPem STRING(MAX) NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
  RetiredAt TIMESTAMP,
) PRIMARY KEY (ProviderID, KeyID),
INTERLEAVE IN PARENT Providers ON DELETE CASCADE;

-- MfaVerifiedAt NULL: signed in with the password only; no patient page is reachable yet.
CREATE TABLE ProviderSessions (
  ProviderID STRING(64) NOT NULL,
  SessionID STRING(64) NOT NULL, -- SHA-256 hex of the cookie token, never the token
  ExpiresAt TIMESTAMP NOT NULL,
  MfaVerifiedAt TIMESTAMP,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (ProviderID, SessionID),
INTERLEAVE IN PARENT Providers ON DELETE CASCADE;

CREATE UNIQUE INDEX ProviderSessionsBySessionID ON ProviderSessions(SessionID);

CREATE TABLE Patients (
  PatientID STRING(64) NOT NULL,
  FullName STRING(200) NOT NULL,
  DateOfBirth DATE NOT NULL,
  MedicalRecordNumber STRING(32) NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (PatientID);

-- A provider may open a patient while StartedAt <= now and (EndedAt IS NULL or EndedAt > now).
CREATE TABLE CareRelationships (
  ProviderID STRING(64) NOT NULL,
  PatientID STRING(64) NOT NULL,
  StartedAt TIMESTAMP NOT NULL,
  EndedAt TIMESTAMP, -- NULL: ongoing
) PRIMARY KEY (ProviderID, PatientID),
INTERLEAVE IN PARENT Providers ON DELETE CASCADE;

CREATE INDEX CareByPatient ON CareRelationships(PatientID);

CREATE TABLE VisitRecords (
  PatientID STRING(64) NOT NULL,
  VisitID STRING(36) NOT NULL,
  ProviderID STRING(64) NOT NULL,
  Reason STRING(500) NOT NULL,
  Diagnosis STRING(1000) NOT NULL,
  TreatmentPlan STRING(2000) NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (PatientID, VisitID),
INTERLEAVE IN PARENT Patients ON DELETE CASCADE;

CREATE INDEX VisitsByProvider ON VisitRecords(ProviderID, CreatedAt DESC);

-- ProviderSignature is the Ed25519 signature (64 bytes) of the prescription's canonical form
-- (app/clinic/signing.py) by the key SignatureKeyID, made at SignedAt. Never updated.
CREATE TABLE Prescriptions (
  PatientID STRING(64) NOT NULL,
  VisitID STRING(36) NOT NULL,
  PrescriptionID STRING(36) NOT NULL,
  ProviderID STRING(64) NOT NULL,
  MedicationName STRING(200) NOT NULL,
  Dosage STRING(200) NOT NULL,
  Duration STRING(100) NOT NULL,
  SignedAt TIMESTAMP NOT NULL,
  SignatureKeyID STRING(36) NOT NULL,
  ProviderSignature BYTES(64) NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (PatientID, VisitID, PrescriptionID),
INTERLEAVE IN PARENT VisitRecords ON DELETE CASCADE;
