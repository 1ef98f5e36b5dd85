-- The dashboard's profile: the name a person is shown by, and the changes made to it.
-- NULL DisplayName: the person is shown by their first and last name.
ALTER TABLE UserProfiles ADD COLUMN DisplayName STRING(100);

-- One row per profile change the platform applied: a change sent twice (its first answer
-- lost) must leave one row, so "applied exactly once" is a count.
CREATE TABLE ProfileChanges (
  TenantID STRING(36) NOT NULL,
  UserID STRING(36) NOT NULL,
  ChangeID STRING(36) NOT NULL,
  DisplayName STRING(100) NOT NULL,
  IdempotencyKey STRING(36) NOT NULL,
  ChangedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, UserID, ChangeID),
INTERLEAVE IN PARENT Users ON DELETE CASCADE;

-- The Idempotency-Key of every change a person's browser sent, written in the change's own
-- transaction: RequestHash (SHA-256 of the method, path and body) tells a repeat of the same
-- change from another change under a reused key; the stored answer is given to a repeat.
CREATE TABLE IdempotencyKeys (
  TenantID STRING(36) NOT NULL,
  UserID STRING(36) NOT NULL,
  IdempotencyKey STRING(36) NOT NULL,
  RequestHash STRING(64) NOT NULL,
  ResponseStatus INT64 NOT NULL,
  ResponseBody STRING(MAX) NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, UserID, IdempotencyKey),
INTERLEAVE IN PARENT Users ON DELETE CASCADE,
ROW DELETION POLICY (OLDER_THAN(CreatedAt, INTERVAL 7 DAY));
