-- Each time an operator lifted a person's sign-in lock from the console
-- (app/saas/sign_in_locks.py): whose, by which operator (PlatformAdmins.AdminID), and when.
-- It is written before the lock is lifted: no record, no unlock.
CREATE TABLE SignInUnlocks (
  TenantID STRING(36) NOT NULL,
  UnlockID STRING(36) NOT NULL,
  UserID STRING(36) NOT NULL,
  LoginName STRING(320) NOT NULL,
  UnlockedBy STRING(36) NOT NULL,
  UnlockedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, UnlockID),
INTERLEAVE IN PARENT Tenants ON DELETE CASCADE;
