-- Each module video the academy served to a student's session, first serving kept. The end of
-- a video counts (VideoViews) only when reported in a session it was served to, no sooner than
-- the video's length after it was served. Gone with the session.
CREATE TABLE VideoServings (
  StudentID STRING(36) NOT NULL,
  SessionID STRING(64) NOT NULL,
  CourseID STRING(64) NOT NULL,
  ModuleID STRING(64) NOT NULL,
  ServedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (StudentID, SessionID, CourseID, ModuleID),
INTERLEAVE IN PARENT StudentSessions ON DELETE CASCADE;
