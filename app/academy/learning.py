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
from app.academy.attempts import QuizClosed
from app.academy.catalog import Reader, answer_key, transaction_reader
from app.academy.enrollment import NotEnrolled, enrollment
from app.academy.scoring import quiz_score
from app.academy.video import VideoEndRefused, video_end_problem
from app.platform.db import Row, run_write, tx_query


def _require_enrollment(txn: Transaction, student_id: str, course_id: str) -> None:
    if enrollment(transaction_reader(txn), student_id, course_id) is None:
        raise NotEnrolled()


def record_video_served(
    database: Database, student_id: str, session_id: str, course_id: str, module_id: str
) -> None:
    """The module's video was sent to the student's session (the first time is kept)."""
    key = {"s": student_id, "sid": session_id, "c": course_id, "m": module_id}

    def work(txn: Transaction) -> None:
        served = tx_query(
            txn,
            """
            SELECT ServedAt FROM VideoServings
            WHERE StudentID = @s AND SessionID = @sid AND CourseID = @c AND ModuleID = @m
            """,
            key,
        )
        if not served:
            txn.insert(
                "VideoServings",
                columns=("StudentID", "SessionID", "CourseID", "ModuleID", "ServedAt"),
                values=[(student_id, session_id, course_id, module_id, spanner.COMMIT_TIMESTAMP)],
            )

    run_write(database, work)


def record_video_finished(
    database: Database,
    student_id: str,
    session_id: str,
    course_id: str,
    module_id: str,
    least_seconds: float,
) -> None:
    """The module's video played to the end (reported again: the latest time is kept), believed
    only when it was served to this session at least ``least_seconds`` ago (Spanner's clock),
    else VideoEndRefused and nothing is written."""

    def work(txn: Transaction) -> None:
        _require_enrollment(txn, student_id, course_id)
        served = tx_query(
            txn,
            """
            SELECT TIMESTAMP_DIFF(CURRENT_TIMESTAMP(), ServedAt, MILLISECOND) AS PlayedMs
            FROM VideoServings
            WHERE StudentID = @s AND SessionID = @sid AND CourseID = @c AND ModuleID = @m
            """,
            {"s": student_id, "sid": session_id, "c": course_id, "m": module_id},
        )
        problem = video_end_problem(served[0]["PlayedMs"] if served else None, least_seconds)
        if problem is not None:
            raise VideoEndRefused(problem)
        txn.insert_or_update(
            "VideoViews",
            columns=("StudentID", "CourseID", "ModuleID", "FinishedAt"),
            values=[(student_id, course_id, module_id, spanner.COMMIT_TIMESTAMP)],
        )

    run_write(database, work)


def attempts_taken(read: Reader, student_id: str, course_id: str, module_id: str) -> int:
    """How many attempts the student has made at the module's quiz."""
    return read(
        """
        SELECT COUNT(*) AS Taken FROM QuizAttempts
        WHERE StudentID = @s AND CourseID = @c AND ModuleID = @m
        """,
        {"s": student_id, "c": course_id, "m": module_id},
    )[0]["Taken"]


def submit_quiz(
    database: Database,
    student_id: str,
    course_id: str,
    module_id: str,
    answers: Mapping[int, int | None],
    allowed: int,
) -> tuple[str, int]:
    """Score the answers (QuestionNo -> choice index) against the key and keep the attempt;
    returns its AttemptID and score. QuizClosed, and nothing kept, when the student has made
    ``allowed`` attempts already (counted in the same transaction, so attempts sent at once
    cannot pass the limit together)."""
    attempt_id = str(uuid.uuid4())

    def work(txn: Transaction) -> int:
        _require_enrollment(txn, student_id, course_id)
        read = transaction_reader(txn)
        if attempts_taken(read, student_id, course_id, module_id) >= allowed:
            raise QuizClosed(allowed)
        key = answer_key(read, course_id, module_id)
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
