-- Security of the clinic (issue 18): the second factor's lock escalates, and the signing
-- form's password re-check is limited. (Idle sessions end by the platform's SessionActivity,
-- 090_platform_sign_in.sql.)

-- Locks of the second factor since the last accepted code; the second one in a row blocks
-- the factor (BlockedAt) until an administrator unlocks it (python -m app.clinic.unlock).
ALTER TABLE ProviderMfa ADD COLUMN LocksInARow INT64 NOT NULL DEFAULT (0);

ALTER TABLE ProviderMfa ADD COLUMN BlockedAt TIMESTAMP;

-- Wrong passwords in a row at the signing form; the limit locks signing until LockedUntil.
CREATE TABLE ProviderSigningGuard (
  ProviderID STRING(64) NOT NULL,
  FailedAttempts INT64 NOT NULL,
  LockedUntil TIMESTAMP,
) PRIMARY KEY (ProviderID),
INTERLEAVE IN PARENT Providers ON DELETE CASCADE;
