-- What a real app needs beside the brief's tables: credentials, profiles,
-- email verification, onboarding state, API keys, suspensions, platform admins.
CREATE TABLE UserCredentials (
  TenantID STRING(36) NOT NULL,
  UserID STRING(36) NOT NULL,
  PasswordHash STRING(255) NOT NULL, -- argon2id
  UpdatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, UserID),
INTERLEAVE IN PARENT Users ON DELETE CASCADE;

CREATE TABLE UserProfiles (
  TenantID STRING(36) NOT NULL,
  UserID STRING(36) NOT NULL,
  FirstName STRING(100) NOT NULL,
  LastName STRING(100) NOT NULL,
  UpdatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, UserID),
INTERLEAVE IN PARENT Users ON DELETE CASCADE;

CREATE TABLE EmailVerifications (
  TenantID STRING(36) NOT NULL,
  UserID STRING(36) NOT NULL,
  TokenHash STRING(64) NOT NULL, -- SHA-256 hex of the emailed token
  ExpiresAt TIMESTAMP NOT NULL,
  UsedAt TIMESTAMP OPTIONS (allow_commit_timestamp=true),
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, UserID, TokenHash),
INTERLEAVE IN PARENT Users ON DELETE CASCADE;

CREATE UNIQUE INDEX EmailVerificationsByToken ON EmailVerifications(TokenHash);

CREATE TABLE TenantProfiles (
  TenantID STRING(36) NOT NULL,
  CompanySize STRING(20),
  Industry STRING(50),
  OnboardingStep STRING(20) NOT NULL, -- organisation | profile | billing | complete
  UpdatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID),
INTERLEAVE IN PARENT Tenants ON DELETE CASCADE;

CREATE TABLE ApiKeys (
  TenantID STRING(36) NOT NULL,
  KeyID STRING(36) NOT NULL,
  KeyHash STRING(64) NOT NULL, -- SHA-256 hex of the key
  Label STRING(100) NOT NULL,
  RevokedAt TIMESTAMP,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, KeyID),
INTERLEAVE IN PARENT Tenants ON DELETE CASCADE;

CREATE UNIQUE INDEX ApiKeysByHash ON ApiKeys(KeyHash);

-- BillingSyncedAt stays NULL until the billing database reflects the suspension:
-- the app re-applies the billing write for every suspension still NULL.
CREATE TABLE TenantSuspensions (
  TenantID STRING(36) NOT NULL,
  SuspensionID STRING(36) NOT NULL,
  Reason STRING(500) NOT NULL,
  SuspendedBy STRING(36) NOT NULL,
  BillingSyncedAt TIMESTAMP OPTIONS (allow_commit_timestamp=true),
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, SuspensionID),
INTERLEAVE IN PARENT Tenants ON DELETE CASCADE;

CREATE TABLE PlatformAdmins (
  AdminID STRING(36) NOT NULL,
  Email STRING(255) NOT NULL,
  PasswordHash STRING(255) NOT NULL, -- argon2id
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (AdminID);

CREATE UNIQUE INDEX PlatformAdminsByEmail ON PlatformAdmins(Email);

CREATE TABLE AdminSessions (
  AdminID STRING(36) NOT NULL,
  SessionID STRING(128) NOT NULL, -- SHA-256 hex of the cookie token
  ExpiresAt TIMESTAMP NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (AdminID, SessionID),
INTERLEAVE IN PARENT PlatformAdmins ON DELETE CASCADE;

CREATE UNIQUE INDEX AdminSessionsBySessionID ON AdminSessions(SessionID);
