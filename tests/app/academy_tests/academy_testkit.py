"""What the academy's HTTP tests share: its database on the shared emulator, a course, students,
signing in, and reading rows back."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from csrf_client import browser_client
from fastapi.testclient import TestClient
from google.cloud import spanner
from google.cloud.spanner_v1.instance import Instance

from app.academy.product import PRODUCT
from app.academy.sessions import STUDENT_COOKIE
from app.platform.db import Databases, Row, connect, query, run_write, tx_update
from app.platform.security import hash_password
from app.platform.sessions import session_id
from app.platform.settings import load_settings
from app.platform.web import create_app
from products.academy.sample_pdfs import plain_pdf
from spanner.databases import create_database
from spanner.emulator import Backend
from spanner.schema import schema_statements

PASSWORD = "SecurePassword123!"
_HASH = hash_password(PASSWORD)
VIDEO = "course-video.webm"
VIDEO_SECONDS = 4  # its length (scripts/make_course_video.py)


@dataclass(frozen=True)
class ModuleSpec:
    module_id: str
    min_score: int | None = None  # a quiz when set
    key: tuple[int, ...] = ()  # the quiz's correct choices, question by question
    has_assignment: bool = False


# A small course in the shape of the brief's: quiz, video only, assignment, quiz.
COURSE_MODULES = (
    ModuleSpec("module-01", 80, (1, 2, 0, 3, 1)),
    ModuleSpec("module-02"),
    ModuleSpec("module-03", has_assignment=True),
    ModuleSpec("module-04", 90, (2, 0, 1)),
)


@contextmanager
def academy_databases(
    emulator: Backend, instance: Instance, database_id: str
) -> Iterator[Databases]:
    """A fresh academy database on the app tests' instance, and the app's handle on it."""
    create_database(instance, database_id, schema_statements("academy"))
    databases = connect(load_settings(PRODUCT, app_env(emulator, instance, database_id)))
    try:
        yield databases
    finally:
        databases.close()


def app_env(emulator: Backend, instance: Instance, database_id: str) -> dict[str, str]:
    """The environment the academy is started with (its whole contract)."""
    _, project, _, instance_id = instance.name.split("/")  # projects/<p>/instances/<i>
    return {
        "SPANNER_EMULATOR_HOST": str(emulator.emulator_host),
        "SPANNER_PROJECT": project,
        "SPANNER_INSTANCE": instance_id,
        "APP_DATABASE_ACADEMY": database_id,
        "APP_PUBLIC_URL": "http://testserver",
    }


@contextmanager
def academy_client(
    emulator: Backend, instance: Instance, database_id: str, databases: Databases
) -> Iterator[TestClient]:
    settings = load_settings(PRODUCT, app_env(emulator, instance, database_id))
    with browser_client(create_app(PRODUCT, settings, databases), follow_redirects=False) as client:
        yield client


def add_course(
    databases: Databases,
    modules: Sequence[ModuleSpec] = COURSE_MODULES,
    title: str = "Advanced JavaScript",
    course_id: str | None = None,
) -> str:
    """A course with its modules (positions 1, 2, ...) and each quiz's questions (4 choices)."""
    course_id = course_id or f"course-{uuid.uuid4().hex[:8]}"
    with databases.academy.batch() as batch:
        batch.insert("Courses", columns=("CourseID", "Title", "CreatedAt"),
                     values=[(course_id, title, spanner.COMMIT_TIMESTAMP)])  # fmt: skip
        batch.insert(
            "CourseModules",
            columns=("CourseID", "ModuleID", "Position", "Title", "VideoPath", "MinScore",
                     "HasAssignment"),
            values=[(course_id, m.module_id, position, f"Module {position}", VIDEO, m.min_score,
                     m.has_assignment) for position, m in enumerate(modules, start=1)],
        )  # fmt: skip
        questions = [
            (course_id, m.module_id, number, f"Question {number} of {m.module_id}?",
             [f"choice {c} of question {number}" for c in range(4)], correct)
            for m in modules
            for number, correct in enumerate(m.key, start=1)
        ]  # fmt: skip
        if questions:
            batch.insert(
                "QuizQuestions",
                columns=("CourseID", "ModuleID", "QuestionNo", "Prompt", "Choices",
                         "CorrectChoice"),
                values=questions,
            )  # fmt: skip
    return course_id


def add_student(databases: Databases, full_name: str = "Alex Student") -> tuple[str, str]:
    """An active student with PASSWORD; returns (StudentID, email)."""
    student_id = str(uuid.uuid4())
    email = f"student-{student_id[:8]}@university.edu"
    ts = spanner.COMMIT_TIMESTAMP
    with databases.academy.batch() as batch:
        batch.insert("Students", columns=("StudentID", "Email", "FullName", "Status", "CreatedAt"),
                     values=[(student_id, email, full_name, "active", ts)])  # fmt: skip
        batch.insert("StudentCredentials", columns=("StudentID", "PasswordHash", "UpdatedAt"),
                     values=[(student_id, _HASH, ts)])  # fmt: skip
    return student_id, email


def log_in(client: TestClient, email: str) -> None:
    r = client.post("/login", data={"email": email, "password": PASSWORD})
    assert (r.status_code, r.headers.get("location")) == (303, "/courses"), r.text


def module_path(course_id: str, module_id: str) -> str:
    return f"/courses/{course_id}/modules/{module_id}"


def answers(key: Sequence[int], right: int) -> dict[str, str]:
    """The quiz form with the first ``right`` questions answered correctly, the rest wrongly."""
    return {
        f"answer-{number}": str(correct if number <= right else (correct + 1) % 4)
        for number, correct in enumerate(key, start=1)
    }


def serve_earlier(client: TestClient, path: str, seconds: int) -> int:
    """Moves the serving of the module's video to the client's session ``seconds`` earlier
    (the time the video takes to play, without waiting for it); returns how many moved."""
    _, _, course_id, _, module_id = path.split("/")
    databases: Databases = client.app.state.dbs  # type: ignore[attr-defined]
    values = {"sid": session_id(client.cookies[STUDENT_COOKIE]), "c": course_id, "m": module_id,
              "seconds": seconds}  # fmt: skip
    return run_write(
        databases.academy,
        lambda txn: tx_update(
            txn,
            """
            UPDATE VideoServings SET ServedAt = TIMESTAMP_SUB(ServedAt, INTERVAL @seconds SECOND)
            WHERE SessionID = @sid AND CourseID = @c AND ModuleID = @m
            """,
            values,
        ),
    )


def watch_video(client: TestClient, path: str) -> httpx.Response:
    """What the module page's player does: the video fetched, played through (its length let
    pass), its end reported; the academy's answer."""
    served = client.get(f"{path}/video")
    assert served.status_code == 200, served.text
    assert serve_earlier(client, path, VIDEO_SECONDS + 1) == 1
    return client.post(f"{path}/video-finished")


def pass_module(client: TestClient, course_id: str, spec: ModuleSpec) -> None:
    """Everything the module asks for, then mark-complete (which must succeed)."""
    path = module_path(course_id, spec.module_id)
    assert watch_video(client, path).json() == {"status": "recorded"}
    if spec.min_score is not None:
        r = client.post(f"{path}/quiz", data=answers(spec.key, len(spec.key)))
        assert r.status_code == 303, r.text
    if spec.has_assignment:
        r = client.post(
            f"{path}/assignment",
            files={"file": ("work.pdf", PDF, "application/pdf")},
            data={"notes": "done"},
        )
        assert r.status_code == 303, r.text
    r = client.post(f"{path}/complete")
    assert (r.status_code, r.headers.get("location")) == (303, path), r.text


def rows(databases: Databases, sql: str, **values: object) -> list[Row]:
    return query(databases.academy, sql, values)


def text_of(html: str, css_class: str) -> str:
    """The text of the first element with the class, tags removed."""
    match = re.search(rf'class="{css_class}[^"]*"[^>]*>(.*?)</', html, re.S)
    assert match, f"no element of class {css_class}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


PDF = plain_pdf()  # a plain one-page PDF
