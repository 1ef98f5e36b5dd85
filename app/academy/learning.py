"""What a student does in a module, recorded: the video's end, quiz attempts, assignments.

Each write checks, in its transaction, that the student has started the course.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping

from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.academy.assignments import PDF_CONTENT_TYPE
from app.academy.catalog import Reader, answer_key, transaction_reader
from app.academy.enrollment import NotEnrolled, enrollment
from app.academy.scoring import quiz_score
from app.platform.db import Row, run_write


def _require_enrollment(txn: Transaction, student_id: str, course_id: str) -> None:
    if enrollment(transaction_reader(txn), student_id, course_id) is None:
        raise NotEnrolled()


def record_video_finished(
    database: Database, student_id: str, course_id: str, module_id: str
) -> None:
    """The module's video played to the end (reported again: the latest time is kept)."""

    def work(txn: Transaction) -> None:
        _require_enrollment(txn, student_id, course_id)
        txn.insert_or_update(
            "VideoViews",
            columns=("StudentID", "CourseID", "ModuleID", "FinishedAt"),
            values=[(student_id, course_id, module_id, spanner.COMMIT_TIMESTAMP)],
        )

    run_write(database, work)


def submit_quiz(
    database: Database,
    student_id: str,
    course_id: str,
    module_id: str,
    answers: Mapping[int, int | None],
) -> tuple[str, int]:
    """Score the answers (QuestionNo -> choice index) against the key and keep the attempt;
    returns its AttemptID and score."""
    attempt_id = str(uuid.uuid4())

    def work(txn: Transaction) -> int:
        _require_enrollment(txn, student_id, course_id)
        key = answer_key(transaction_reader(txn), course_id, module_id)
        given = [answers.get(number) for number, _ in key]
        score = quiz_score(given, [correct for _, correct in key])
        txn.insert(
            "QuizAttempts",
            columns=("StudentID", "CourseID", "ModuleID", "AttemptID", "Score", "Answers",
                     "SubmittedAt"),
            values=[(student_id, course_id, module_id, attempt_id, score, given,
                     spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip
        return score

    return attempt_id, run_write(database, work)


def attempt_score(
    database: Database, student_id: str, course_id: str, module_id: str, attempt_id: str
) -> int | None:
    """The score of one of the student's attempts, None when there is no such attempt."""
    with database.snapshot() as snapshot:
        rows = list(
            snapshot.read(
                "QuizAttempts",
                columns=("Score",),
                keyset=spanner.KeySet(keys=[(student_id, course_id, module_id, attempt_id)]),
            )
        )
    return rows[0][0] if rows else None


def submit_assignment(
    database: Database,
    student_id: str,
    course_id: str,
    module_id: str,
    file_name: str,
    content: bytes,
    notes: str,
) -> str:
    """Store an accepted submission (see assignments.upload_problem); returns its id.
    (The client takes BYTES base64-encoded in a mutation, and gives them back so.)"""
    submission_id = str(uuid.uuid4())

    def work(txn: Transaction) -> None:
        _require_enrollment(txn, student_id, course_id)
        txn.insert(
            "AssignmentSubmissions",
            columns=("StudentID", "CourseID", "ModuleID", "SubmissionID", "FileName",
                     "ContentType", "SizeBytes", "Content", "Notes", "SubmittedAt"),
            values=[(student_id, course_id, module_id, submission_id, file_name,
                     PDF_CONTENT_TYPE, len(content), base64.b64encode(content), notes or None,
                     spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip

    run_write(database, work)
    return submission_id


def latest_submission(read: Reader, student_id: str, course_id: str, module_id: str) -> Row | None:
    """The student's latest submission of the module's assignment (without its content)."""
    rows = read(
        """
        SELECT FileName, SizeBytes, Notes, SubmittedAt FROM AssignmentSubmissions
        WHERE StudentID = @s AND CourseID = @c AND ModuleID = @m
        ORDER BY SubmittedAt DESC LIMIT 1
        """,
        {"s": student_id, "c": course_id, "m": module_id},
    )
    return rows[0] if rows else None
