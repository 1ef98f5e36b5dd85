"""The SQL behind the academy's steps: one function per question asked of Spanner.

Everything lives in the academy database: the catalogue (Courses, CourseModules and the answer
key, QuizQuestions), students, and each student's enrollment with its video views, quiz
attempts, hand-ins, module completions and certificate, interleaved under the enrollment.
Every value is a query parameter.
"""

from __future__ import annotations

import base64
import uuid

from google.cloud.spanner_v1 import COMMIT_TIMESTAMP
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.keyset import KeySet

from spanner.query import Row, execute, query
from spanner.transactions import run_in_transaction

# --- the catalogue


def course_by_title(db: Database, title: str) -> Row | None:
    rows = query(db, "SELECT CourseID, Title FROM Courses WHERE Title = @title", {"title": title})
    return rows[0] if rows else None


def course_modules(db: Database, course_id: str) -> list[Row]:
    """In module order."""
    return query(
        db,
        """
        SELECT ModuleID, Position, Title, VideoPath, MinScore, HasAssignment
        FROM CourseModules
        WHERE CourseID = @course_id
        ORDER BY Position
        """,
        {"course_id": course_id},
    )


def answer_key(db: Database, course_id: str, module_id: str) -> list[Row]:
    """The quiz's questions in order, each with its choices and the index of the right one."""
    return query(
        db,
        """
        SELECT QuestionNo, Choices, CorrectChoice
        FROM QuizQuestions
        WHERE CourseID = @course_id AND ModuleID = @module_id
        ORDER BY QuestionNo
        """,
        {"course_id": course_id, "module_id": module_id},
    )


# --- students


def student_by_email(db: Database, email: str) -> Row | None:
    rows = query(
        db,
        "SELECT StudentID, Email, FullName, Status FROM Students WHERE Email = @email",
        {"email": email},
    )
    return rows[0] if rows else None


def student_sessions(db: Database, student_id: str) -> int:
    """How many sessions the student has, run out or not."""
    return query(
        db,
        "SELECT COUNT(*) AS Sessions FROM StudentSessions WHERE StudentID = @student_id",
        {"student_id": student_id},
    )[0]["Sessions"]


def disable_student(db: Database, student_id: str) -> int:
    """Disables the student's account, as the academy's staff would; the rows changed."""
    return execute(
        db,
        "UPDATE Students SET Status = @status WHERE StudentID = @student_id",
        {"status": "disabled", "student_id": student_id},
    )


# --- a student's progress in a course


def enrollment_with_certificate(db: Database, student_id: str, course_id: str) -> Row | None:
    """The brief's question: the enrollment's state, with its certificate if there is one."""
    rows = query(
        db,
        """
        SELECT e.Status, e.StartedAt, e.CompletedAt, e.FinalScore,
               cert.CertificateID, cert.StudentName, cert.CourseTitle, cert.CompletedOn,
               cert.IssuedAt
        FROM CourseEnrollments e
        LEFT JOIN Certificates cert
          ON e.StudentID = cert.StudentID AND e.CourseID = cert.CourseID
        WHERE e.StudentID = @student_id AND e.CourseID = @course_id
        """,
        {"student_id": student_id, "course_id": course_id},
    )
    return rows[0] if rows else None


def certificates_of(db: Database, student_id: str, course_id: str) -> list[Row]:
    return query(
        db,
        """
        SELECT CertificateID, StudentName, CourseTitle, CompletedOn, IssuedAt
        FROM Certificates
        WHERE StudentID = @student_id AND CourseID = @course_id
        """,
        {"student_id": student_id, "course_id": course_id},
    )


def module_completions(db: Database, student_id: str, course_id: str) -> list[Row]:
    """In the order they were recorded (the brief's ORDER BY CompletedAt)."""
    return query(
        db,
        """
        SELECT ModuleID, CompletedAt, Score
        FROM ModuleCompletions
        WHERE StudentID = @student_id AND CourseID = @course_id
        ORDER BY CompletedAt, ModuleID
        """,
        {"student_id": student_id, "course_id": course_id},
    )


def watched_videos(db: Database, student_id: str, course_id: str) -> list[str]:
    """The modules whose video the student was reported to have watched to the end."""
    rows = query(
        db,
        """
        SELECT ModuleID FROM VideoViews
        WHERE StudentID = @student_id AND CourseID = @course_id
        ORDER BY ModuleID
        """,
        {"student_id": student_id, "course_id": course_id},
    )
    return [row["ModuleID"] for row in rows]


def quiz_attempts(db: Database, student_id: str, course_id: str, module_id: str) -> list[Row]:
    """Oldest first."""
    return query(
        db,
        """
        SELECT AttemptID, Score, Answers, SubmittedAt
        FROM QuizAttempts
        WHERE StudentID = @student_id AND CourseID = @course_id AND ModuleID = @module_id
        ORDER BY SubmittedAt
        """,
        {"student_id": student_id, "course_id": course_id, "module_id": module_id},
    )


def assignment_submissions(
    db: Database, student_id: str, course_id: str, module_id: str
) -> list[Row]:
    """Oldest first; the file's bytes as their SHA-256 (hex), not the bytes themselves."""
    return query(
        db,
        """
        SELECT SubmissionID, FileName, ContentType, SizeBytes,
               TO_HEX(SHA256(Content)) AS ContentSha256, Notes, SubmittedAt
        FROM AssignmentSubmissions
        WHERE StudentID = @student_id AND CourseID = @course_id AND ModuleID = @module_id
        ORDER BY SubmittedAt
        """,
        {"student_id": student_id, "course_id": course_id, "module_id": module_id},
    )


# --- what a scenario makes true before it starts (one commit each)


def set_course_modules(db: Database, course_id: str, modules: list[Row]) -> None:
    """Makes the course's modules exactly these (ModuleID, Position, MinScore, HasAssignment),
    keeping the title and video of a module the catalogue already has."""
    known = {row["ModuleID"]: row for row in course_modules(db, course_id)}
    listed = [row["ModuleID"] for row in modules]

    def work(transaction) -> None:
        gone = [module for module in known if module not in listed]
        if gone:
            transaction.delete(
                "CourseModules", KeySet(keys=[[course_id, module] for module in gone])
            )
        transaction.insert_or_update(
            "CourseModules",
            columns=("CourseID", "ModuleID", "Position", "Title", "VideoPath", "MinScore",
                     "HasAssignment"),
            values=[
                (course_id, row["ModuleID"], row["Position"],
                 known.get(row["ModuleID"], {}).get("Title", row["ModuleID"]),
                 known.get(row["ModuleID"], {}).get("VideoPath", DEFAULT_VIDEO),
                 row["MinScore"], row["HasAssignment"])
                for row in modules
            ],
        )  # fmt: skip

    run_in_transaction(db, work)


# the video every module of the reference catalogue plays (the academy app ships it)
DEFAULT_VIDEO = "course-video.webm"


def add_quiz_attempt(
    db: Database, student_id: str, course_id: str, module_id: str, score: int, answers: list[int]
) -> str:
    """One attempt, submitted now (after every attempt added before it); returns its id."""
    attempt_id = str(uuid.uuid4())

    def work(transaction) -> None:
        transaction.insert(
            "QuizAttempts",
            columns=("StudentID", "CourseID", "ModuleID", "AttemptID", "Score", "Answers",
                     "SubmittedAt"),
            values=[(student_id, course_id, module_id, attempt_id, score, answers,
                     COMMIT_TIMESTAMP)],
        )  # fmt: skip

    run_in_transaction(db, work)
    return attempt_id


def add_submission(
    db: Database, student_id: str, course_id: str, module_id: str, file_name: str, content: bytes
) -> None:
    """A PDF handed in now, without notes."""

    def work(transaction) -> None:
        transaction.insert(
            "AssignmentSubmissions",
            columns=("StudentID", "CourseID", "ModuleID", "SubmissionID", "FileName",
                     "ContentType", "SizeBytes", "Content", "SubmittedAt"),
            values=[(student_id, course_id, module_id, str(uuid.uuid4()), file_name,
                     "application/pdf", len(content), base64.b64encode(content),
                     COMMIT_TIMESTAMP)],
        )  # fmt: skip

    run_in_transaction(db, work)


def shift_answer_key(db: Database, course_id: str, module_id: str, shift: int) -> int:
    """Makes every question's right answer the choice `shift` places further on (wrapping)."""
    return execute(
        db,
        """
        UPDATE QuizQuestions
        SET CorrectChoice = MOD(CorrectChoice + @shift, ARRAY_LENGTH(Choices))
        WHERE CourseID = @course_id AND ModuleID = @module_id
        """,
        {"shift": shift, "course_id": course_id, "module_id": module_id},
    )


def video_views(db: Database, student_id: str, course_id: str) -> list[Row]:
    """Each module whose video's end was reported, with when."""
    return query(
        db,
        """
        SELECT ModuleID, FinishedAt FROM VideoViews
        WHERE StudentID = @student_id AND CourseID = @course_id
        ORDER BY ModuleID
        """,
        {"student_id": student_id, "course_id": course_id},
    )


def all_attempts(db: Database, student_id: str, course_id: str) -> list[Row]:
    return query(
        db,
        """
        SELECT ModuleID, AttemptID, Score, SubmittedAt FROM QuizAttempts
        WHERE StudentID = @student_id AND CourseID = @course_id
        ORDER BY ModuleID, SubmittedAt
        """,
        {"student_id": student_id, "course_id": course_id},
    )


def all_submissions(db: Database, student_id: str, course_id: str) -> list[Row]:
    return query(
        db,
        """
        SELECT ModuleID, SubmissionID, FileName, SubmittedAt FROM AssignmentSubmissions
        WHERE StudentID = @student_id AND CourseID = @course_id
        ORDER BY SubmittedAt
        """,
        {"student_id": student_id, "course_id": course_id},
    )


def records_of(db: Database, student_id: str, course_id: str) -> dict[str, object]:
    """Everything the academy holds of the student's work in the course."""
    return {
        "enrollment": enrollment_with_certificate(db, student_id, course_id),
        "completions": module_completions(db, student_id, course_id),
        "videos": video_views(db, student_id, course_id),
        "attempts": all_attempts(db, student_id, course_id),
        "hand-ins": all_submissions(db, student_id, course_id),
    }


def assignment_submissions_of_module(db: Database, course_id: str, module_id: str) -> list[Row]:
    """Every student's hand-ins for the module."""
    return query(
        db,
        """
        SELECT StudentID, FileName FROM AssignmentSubmissions
        WHERE CourseID = @course_id AND ModuleID = @module_id
        ORDER BY StudentID
        """,
        {"course_id": course_id, "module_id": module_id},
    )
