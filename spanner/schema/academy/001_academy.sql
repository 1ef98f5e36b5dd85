-- The e-learning academy: students, the course catalogue with its answer key, and each
-- student's progress. A student's rows live together: everything of an enrollment is
-- interleaved in CourseEnrollments, itself interleaved in Students.

CREATE TABLE Students (
  StudentID STRING(36) NOT NULL,
  Email STRING(254) NOT NULL,
  FullName STRING(200) NOT NULL,
  Status STRING(20) NOT NULL, -- active | disabled
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (StudentID);

CREATE UNIQUE INDEX StudentsByEmail ON Students(Email);

CREATE TABLE StudentCredentials (
  StudentID STRING(36) NOT NULL,
  PasswordHash STRING(200) NOT NULL, -- argon2id
  UpdatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (StudentID),
INTERLEAVE IN PARENT Students ON DELETE CASCADE;

CREATE TABLE StudentSessions (
  StudentID STRING(36) NOT NULL,
  SessionID STRING(64) NOT NULL, -- SHA-256 hex of the cookie token, never the token
  ExpiresAt TIMESTAMP NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (StudentID, SessionID),
INTERLEAVE IN PARENT Students ON DELETE CASCADE;

CREATE UNIQUE INDEX StudentSessionsBySessionID ON StudentSessions(SessionID);

CREATE TABLE Courses (
  CourseID STRING(64) NOT NULL,
  Title STRING(200) NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (CourseID);

-- Modules are completed in Position order. MinScore is the quiz's minimum in percent (NULL:
-- the module has no quiz). VideoPath is the video's file in the app's static folder
-- (course-video.webm).
CREATE TABLE CourseModules (
  CourseID STRING(64) NOT NULL,
  ModuleID STRING(64) NOT NULL,
  Position INT64 NOT NULL,
  Title STRING(200) NOT NULL,
  VideoPath STRING(200) NOT NULL,
  MinScore INT64,
  HasAssignment BOOL NOT NULL,
) PRIMARY KEY (CourseID, ModuleID),
INTERLEAVE IN PARENT Courses ON DELETE CASCADE;

-- The answer key: CorrectChoice is the 0-based index of the right entry of Choices, the
-- value of its radio button on the quiz page. The page never shows it.
CREATE TABLE QuizQuestions (
  CourseID STRING(64) NOT NULL,
  ModuleID STRING(64) NOT NULL,
  QuestionNo INT64 NOT NULL,
  Prompt STRING(500) NOT NULL,
  Choices ARRAY<STRING(200)> NOT NULL,
  CorrectChoice INT64 NOT NULL,
) PRIMARY KEY (CourseID, ModuleID, QuestionNo),
INTERLEAVE IN PARENT CourseModules ON DELETE CASCADE;

CREATE TABLE CourseEnrollments (
  StudentID STRING(36) NOT NULL,
  CourseID STRING(64) NOT NULL,
  Status STRING(20) NOT NULL, -- in_progress | completed
  StartedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
  CompletedAt TIMESTAMP OPTIONS (allow_commit_timestamp=true),
  FinalScore INT64, -- mean of the quiz modules' best scores, rounded half up
) PRIMARY KEY (StudentID, CourseID),
INTERLEAVE IN PARENT Students ON DELETE CASCADE;

-- The player's `ended` event was reported for this module.
CREATE TABLE VideoViews (
  StudentID STRING(36) NOT NULL,
  CourseID STRING(64) NOT NULL,
  ModuleID STRING(64) NOT NULL,
  FinishedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (StudentID, CourseID, ModuleID),
INTERLEAVE IN PARENT CourseEnrollments ON DELETE CASCADE;

-- Every attempt is kept; the best one counts. Answers[i] is the choice given to the i-th
-- question in QuestionNo order (NULL: not answered).
CREATE TABLE QuizAttempts (
  StudentID STRING(36) NOT NULL,
  CourseID STRING(64) NOT NULL,
  ModuleID STRING(64) NOT NULL,
  AttemptID STRING(36) NOT NULL,
  Score INT64 NOT NULL, -- percent, rounded half up
  Answers ARRAY<INT64> NOT NULL,
  SubmittedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (StudentID, CourseID, ModuleID, AttemptID),
INTERLEAVE IN PARENT CourseEnrollments ON DELETE CASCADE;

-- ContentType is the type the app found in the content (application/pdf), not the one the
-- browser declared.
CREATE TABLE AssignmentSubmissions (
  StudentID STRING(36) NOT NULL,
  CourseID STRING(64) NOT NULL,
  ModuleID STRING(64) NOT NULL,
  SubmissionID STRING(36) NOT NULL,
  FileName STRING(255) NOT NULL,
  ContentType STRING(100) NOT NULL,
  SizeBytes INT64 NOT NULL,
  Content BYTES(MAX) NOT NULL,
  Notes STRING(2000),
  SubmittedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (StudentID, CourseID, ModuleID, SubmissionID),
INTERLEAVE IN PARENT CourseEnrollments ON DELETE CASCADE;

-- Score is the module's best quiz score when it was completed (NULL: no quiz).
CREATE TABLE ModuleCompletions (
  StudentID STRING(36) NOT NULL,
  CourseID STRING(64) NOT NULL,
  ModuleID STRING(64) NOT NULL,
  Score INT64,
  CompletedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (StudentID, CourseID, ModuleID),
INTERLEAVE IN PARENT CourseEnrollments ON DELETE CASCADE;

-- One certificate per enrollment, by its key; issued in the transaction that completes the
-- enrollment. CompletedOn is the Los Angeles date of that completion.
CREATE TABLE Certificates (
  StudentID STRING(36) NOT NULL,
  CourseID STRING(64) NOT NULL,
  CertificateID STRING(36) NOT NULL,
  StudentName STRING(200) NOT NULL,
  CourseTitle STRING(200) NOT NULL,
  CompletedOn DATE NOT NULL,
  IssuedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (StudentID, CourseID),
INTERLEAVE IN PARENT CourseEnrollments ON DELETE CASCADE;

CREATE UNIQUE INDEX CertificatesByID ON Certificates(CertificateID);
