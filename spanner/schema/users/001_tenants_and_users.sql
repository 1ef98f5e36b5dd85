-- The user-service database of the brief: tenants, their users and sessions.
CREATE TABLE Tenants (
  TenantID STRING(36) NOT NULL,
  Name STRING(200) NOT NULL,
  Domain STRING(100) NOT NULL,
  Plan STRING(50) NOT NULL,
  Status STRING(20) NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
  UpdatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID);

CREATE UNIQUE INDEX TenantsByDomain ON Tenants(Domain);

CREATE TABLE Users (
  UserID STRING(36) NOT NULL,
  TenantID STRING(36) NOT NULL,
  Email STRING(255) NOT NULL,
  Role STRING(50) NOT NULL,
  Status STRING(20) NOT NULL,
  LastLoginAt TIMESTAMP,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, UserID),
INTERLEAVE IN PARENT Tenants ON DELETE CASCADE;

CREATE UNIQUE INDEX UsersByEmail ON Users(Email);

CREATE TABLE UserSessions (
  SessionID STRING(128) NOT NULL,
  TenantID STRING(36) NOT NULL,
  UserID STRING(36) NOT NULL,
  ExpiresAt TIMESTAMP NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, UserID, SessionID),
INTERLEAVE IN PARENT Users ON DELETE CASCADE;

-- SessionID holds the SHA-256 of the cookie token, never the token itself.
CREATE UNIQUE INDEX UserSessionsBySessionID ON UserSessions(SessionID);
