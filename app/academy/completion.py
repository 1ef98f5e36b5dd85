"""Marking a module complete, and completing the course with its certificate.

One read-write transaction checks the module's conditions (readiness.py), records the
completion and, when it was the course's last module, completes the enrollment and issues the
certificate: all of it commits together, or none of it does. Marking a completed module again
changes nothing, so a course is completed, and its certificate issued, once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.academy.catalog import Reader, course, modules, transaction_reader
from app.academy.dates import la_date_of, utc_now
from app.academy.enrollment import COMPLETED, NotEnrolled, completed_modules, enrollment, evidence
from app.academy.progress import Module, all_completed
from app.academy.readiness import completion_problem
from app.academy.scoring import final_score
from app.platform.db import run_write


class CompletionRefused(Exception):  # noqa: N818 - a refusal shown to the student
    """The module cannot be completed yet; the message says why."""


class UnknownModule(LookupError):
    """The course has no such module."""


def course_final_score(
    course_modules: Sequence[Module], scores: Mapping[str, int | None]
) -> int | None:
    """The mean of the quiz modules' scores recorded at their completion, rounded half up."""
    return final_score(
        [
            score
            for module in course_modules
            if module.has_quiz and (score := scores.get(module.module_id)) is not None
        ]
    )


def _student_name(read: Reader, student_id: str) -> str:
    return read("SELECT FullName FROM Students WHERE StudentID = @s", {"s": student_id})[0][
        "FullName"
    ]


def _complete_course(
    txn: Transaction,
    student_id: str,
    course_id: str,
    course_modules: Sequence[Module],
    scores: Mapping[str, int | None],
    now: datetime,
) -> None:
    read = transaction_reader(txn)
    title = course(read, course_id)
    txn.update(
        "CourseEnrollments",
        columns=("StudentID", "CourseID", "Status", "CompletedAt", "FinalScore"),
        values=[(student_id, course_id, COMPLETED, spanner.COMMIT_TIMESTAMP,
                 course_final_score(course_modules, scores))],
    )  # fmt: skip
    txn.insert(
        "Certificates",
        columns=("StudentID", "CourseID", "CertificateID", "StudentName", "CourseTitle",
                 "CompletedOn", "IssuedAt"),
        values=[(student_id, course_id, str(uuid.uuid4()), _student_name(read, student_id),
                 title.title if title else course_id, la_date_of(now),
                 spanner.COMMIT_TIMESTAMP)],
    )  # fmt: skip


def mark_complete(
    database: Database,
    student_id: str,
    course_id: str,
    module_id: str,
    clock: Callable[[], datetime] = utc_now,
) -> None:
    """Complete the module if its conditions are met (else CompletionRefused, NotEnrolled or
    UnknownModule); complete the course too when it was the last one."""

    def work(txn: Transaction) -> None:
        read = transaction_reader(txn)
        enrolled = enrollment(read, student_id, course_id)
        if enrolled is None:
            raise NotEnrolled()
        course_modules = modules(read, course_id)
        module = next((m for m in course_modules if m.module_id == module_id), None)
        if module is None:
            raise UnknownModule(module_id)
        scores = completed_modules(read, student_id, course_id)
        if module_id in scores:
            return  # completed before: nothing changes
        found = evidence(read, student_id, course_id, module_id)
        problem = completion_problem(course_modules, scores, module, found)
        if problem is not None:
            raise CompletionRefused(problem)
        score = found.best_score if module.has_quiz else None
        txn.insert(
            "ModuleCompletions",
            columns=("StudentID", "CourseID", "ModuleID", "Score", "CompletedAt"),
            values=[(student_id, course_id, module_id, score, spanner.COMMIT_TIMESTAMP)],
        )
        scores = {**scores, module_id: score}
        if not enrolled.completed and all_completed(course_modules, scores):
            _complete_course(txn, student_id, course_id, course_modules, scores, clock())

    return run_write(database, work)
