-- The shared platform's sign-in records (app/platform/sign_in_records.py), in the database
-- that holds the product's accounts.
-- Wrong passwords in a row per login name (the email, lower-cased: unknown ones too, so a
-- lock tells nothing of whether an account exists) and until when it is locked.
CREATE TABLE SignInFailures (
  LoginName STRING(320) NOT NULL,
  FailuresInARow INT64 NOT NULL,
  LastFailureAt TIMESTAMP NOT NULL,
  LockedUntil TIMESTAMP,
) PRIMARY KEY (LoginName);

-- When each session (its SessionID, the SHA-256 of the cookie's token) was last used: a
-- session idle for longer than the idle timeout ends.
CREATE TABLE SessionActivity (
  SessionID STRING(64) NOT NULL,
  LastSeenAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (SessionID);
