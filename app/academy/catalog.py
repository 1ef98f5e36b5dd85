"""The course catalogue: courses, their modules in order, and quiz questions without the key.

Every function takes a ``Reader`` (sql, values -> rows), so the same question can be asked in
a snapshot (``snapshot_reader``) or inside a read-write transaction (``transaction_reader``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.academy.progress import Module
from app.platform.db import Row, query, tx_query

Reader = Callable[[str, Mapping[str, object]], list[Row]]


def snapshot_reader(database: Database) -> Reader:
    return lambda sql, values: query(database, sql, values)


def transaction_reader(txn: Transaction) -> Reader:
    return lambda sql, values: tx_query(txn, sql, values)


@dataclass(frozen=True)
class Course:
    course_id: str
    title: str


@dataclass(frozen=True)
class Question:
    """A question as the quiz page shows it: no answer key here."""

    number: int  # QuestionNo
    prompt: str
    choices: list[str]


def course(read: Reader, course_id: str) -> Course | None:
    rows = read("SELECT CourseID, Title FROM Courses WHERE CourseID = @c", {"c": course_id})
    return Course(rows[0]["CourseID"], rows[0]["Title"]) if rows else None


def all_courses(read: Reader) -> list[Course]:
    rows = read("SELECT CourseID, Title FROM Courses ORDER BY Title, CourseID", {})
    return [Course(row["CourseID"], row["Title"]) for row in rows]


def modules(read: Reader, course_id: str) -> list[Module]:
    """The course's modules in Position order."""
    rows = read(
        """
        SELECT CourseID, ModuleID, Position, Title, VideoPath, MinScore, HasAssignment
        FROM CourseModules WHERE CourseID = @c ORDER BY Position, ModuleID
        """,
        {"c": course_id},
    )
    return [
        Module(
            course_id=row["CourseID"],
            module_id=row["ModuleID"],
            position=row["Position"],
            title=row["Title"],
            video_path=row["VideoPath"],
            min_score=row["MinScore"],
            has_assignment=row["HasAssignment"],
        )
        for row in rows
    ]


def questions(read: Reader, course_id: str, module_id: str) -> list[Question]:
    """The module's quiz questions in QuestionNo order, as the page shows them."""
    rows = read(
        """
        SELECT QuestionNo, Prompt, Choices FROM QuizQuestions
        WHERE CourseID = @c AND ModuleID = @m ORDER BY QuestionNo
        """,
        {"c": course_id, "m": module_id},
    )
    return [Question(row["QuestionNo"], row["Prompt"], list(row["Choices"])) for row in rows]


def answer_key(read: Reader, course_id: str, module_id: str) -> list[tuple[int, int]]:
    """(QuestionNo, CorrectChoice) in QuestionNo order: for scoring on the server only."""
    rows = read(
        """
        SELECT QuestionNo, CorrectChoice FROM QuizQuestions
        WHERE CourseID = @c AND ModuleID = @m ORDER BY QuestionNo
        """,
        {"c": course_id, "m": module_id},
    )
    return [(row["QuestionNo"], row["CorrectChoice"]) for row in rows]
