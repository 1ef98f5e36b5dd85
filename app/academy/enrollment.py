"""A student's enrollment in a course: starting it, and what they have done so far."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.academy.catalog import Reader
from app.academy.certificate import Certificate
from app.academy.readiness import Evidence
from app.platform.db import run_write, tx_query

IN_PROGRESS = "in_progress"
COMPLETED = "completed"
START_FIRST = "Start the course first."


class NotEnrolled(Exception):  # noqa: N818 - a refusal shown to the student
    """The student has not started the course; the message says so."""

    def __init__(self) -> None:
        super().__init__(START_FIRST)


@dataclass(frozen=True)
class Enrollment:
    status: str
    started_at: datetime
    completed_at: datetime | None
    final_score: int | None

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED


def start_course(database: Database, student_id: str, course_id: str) -> None:
    """Enroll the student; starting a course already started (or completed) changes nothing."""

    def work(txn: Transaction) -> None:
        if not tx_query(
            txn,
            "SELECT Status FROM CourseEnrollments WHERE StudentID = @s AND CourseID = @c",
            {"s": student_id, "c": course_id},
        ):
            txn.insert(
                "CourseEnrollments",
                columns=("StudentID", "CourseID", "Status", "StartedAt"),
                values=[(student_id, course_id, IN_PROGRESS, spanner.COMMIT_TIMESTAMP)],
            )

    run_write(database, work)


def enrollment(read: Reader, student_id: str, course_id: str) -> Enrollment | None:
    rows = read(
        """
        SELECT Status, StartedAt, CompletedAt, FinalScore FROM CourseEnrollments
        WHERE StudentID = @s AND CourseID = @c
        """,
        {"s": student_id, "c": course_id},
    )
    if not rows:
        return None
    row = rows[0]
    return Enrollment(row["Status"], row["StartedAt"], row["CompletedAt"], row["FinalScore"])


def enrollment_statuses(read: Reader, student_id: str) -> dict[str, str]:
    """The status of each course the student has started, by CourseID."""
    rows = read(
        "SELECT CourseID, Status FROM CourseEnrollments WHERE StudentID = @s", {"s": student_id}
    )
    return {row["CourseID"]: row["Status"] for row in rows}


def completed_modules(read: Reader, student_id: str, course_id: str) -> dict[str, int | None]:
    """The completed modules' ids with the score recorded at completion (None: no quiz)."""
    rows = read(
        "SELECT ModuleID, Score FROM ModuleCompletions WHERE StudentID = @s AND CourseID = @c",
        {"s": student_id, "c": course_id},
    )
    return {row["ModuleID"]: row["Score"] for row in rows}


def evidence(read: Reader, student_id: str, course_id: str, module_id: str) -> Evidence:
    """What the student has done in the module: video reported finished, best quiz score,
    an assignment stored."""
    row = read(
        """
        SELECT
          EXISTS(SELECT 1 FROM VideoViews
                 WHERE StudentID = @s AND CourseID = @c AND ModuleID = @m) AS Watched,
          (SELECT MAX(Score) FROM QuizAttempts
           WHERE StudentID = @s AND CourseID = @c AND ModuleID = @m) AS Best,
          EXISTS(SELECT 1 FROM AssignmentSubmissions
                 WHERE StudentID = @s AND CourseID = @c AND ModuleID = @m) AS Submitted
        """,
        {"s": student_id, "c": course_id, "m": module_id},
    )[0]
    return Evidence(
        video_finished=row["Watched"], best_score=row["Best"], submitted=row["Submitted"]
    )


def certificate(read: Reader, student_id: str, course_id: str) -> Certificate | None:
    rows = read(
        """
        SELECT CertificateID, CourseID, StudentName, CourseTitle, CompletedOn
        FROM Certificates WHERE StudentID = @s AND CourseID = @c
        """,
        {"s": student_id, "c": course_id},
    )
    if not rows:
        return None
    row = rows[0]
    return Certificate(
        certificate_id=row["CertificateID"],
        course_id=row["CourseID"],
        student_name=row["StudentName"],
        course_title=row["CourseTitle"],
        completed_on=row["CompletedOn"],
    )
