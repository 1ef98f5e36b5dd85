"""The academy over HTTP on the real emulator: assignment uploads, completing the course and
its certificate (one per enrollment, issued in the completing transaction)."""

from __future__ import annotations

import base64
import io
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from academy_testkit import (
    COURSE_MODULES,
    PDF,
    ModuleSpec,
    add_course,
    add_student,
    answers,
    log_in,
    module_path,
    pass_module,
    rows,
    text_of,
    watch_video,
)
from fastapi.testclient import TestClient
from google.api_core.exceptions import AlreadyExists
from google.cloud import spanner
from pypdf import PdfReader

from app.academy.assignments import MAX_ASSIGNMENT_BYTES
from app.academy.completion import mark_complete
from app.academy.dates import la_date_of
from app.platform.db import Databases
from products.academy.sample_pdfs import plain_pdf

DATABASE_ID = "app-academy-completion"
QUIZ_1, VIDEO_ONLY, ASSIGNMENT, QUIZ_4 = COURSE_MODULES


@pytest.fixture()
def enrolled(client: TestClient, databases: Databases, course_id: str) -> str:
    """A signed-in student who started the course; their StudentID."""
    student_id, email = add_student(databases)
    log_in(client, email)
    assert client.post(f"/courses/{course_id}/start").status_code == 303
    return student_id


def submissions(databases: Databases, student_id: str) -> list[dict]:
    return rows(
        databases,
        "SELECT FileName, ContentType, SizeBytes, BYTE_LENGTH(Content) AS Stored, Content, Notes "
        "FROM AssignmentSubmissions WHERE StudentID = @s ORDER BY SubmittedAt",
        s=student_id,
    )


def certificates(databases: Databases, student_id: str) -> list[dict]:
    return rows(
        databases,
        "SELECT CourseID, CertificateID, StudentName, CourseTitle, CompletedOn, IssuedAt "
        "FROM Certificates WHERE StudentID = @s",
        s=student_id,
    )


# Assignment uploads ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "declared", "status", "message"),
    [
        # a file named and declared as a PDF that is none
        ("essay.pdf", b"PK\x03\x04 really a zip", "application/pdf", 400, "must be a PDF file"),
        ("empty.pdf", b"", "application/pdf", 400, "must be a PDF file"),
        # one byte over the limit, even though it is a PDF
        ("big.pdf", plain_pdf(MAX_ASSIGNMENT_BYTES + 1), "application/pdf", 413,
         "must be at most 2 MB"),
    ],
    ids=["not-a-pdf", "empty", "too-large"],
)  # fmt: skip
def test_a_refused_upload_says_why_and_stores_nothing(
    client: TestClient,
    databases: Databases,
    enrolled: str,
    course_id: str,
    name: str,
    content: bytes,
    declared: str,
    status: int,
    message: str,
) -> None:
    path = f"{module_path(course_id, ASSIGNMENT.module_id)}/assignment"
    r = client.post(path, files={"file": (name, content, declared)}, data={"notes": "my notes"})
    assert r.status_code == status
    assert message in text_of(r.text, "assignment-error")
    assert "assignment-submitted" not in r.text
    assert "my notes</textarea>" in r.text  # kept for the next try
    assert submissions(databases, enrolled) == []


def test_a_pdf_is_accepted_by_its_content_whatever_its_name_and_declared_type(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = f"{module_path(course_id, ASSIGNMENT.module_id)}/assignment"
    page = client.get(path).text
    for testid in ("file-upload", "assignment-notes", "submit"):
        assert f'data-testid="{testid}"' in page
    content = plain_pdf(MAX_ASSIGNMENT_BYTES)  # exactly the limit
    r = client.post(
        path,
        files={"file": ("notes.txt", content, "text/plain")},
        data={"notes": "Completed assignment with examples"},
    )
    assert (r.status_code, r.headers["location"]) == (303, path)
    assert "notes.txt" in text_of(client.get(path).text, "assignment-submitted")
    [stored] = submissions(databases, enrolled)
    # the client hands BYTES back base64-encoded
    assert base64.b64decode(stored.pop("Content")) == content
    assert stored == {
        "FileName": "notes.txt",
        "ContentType": "application/pdf",
        "SizeBytes": MAX_ASSIGNMENT_BYTES,
        "Stored": MAX_ASSIGNMENT_BYTES,
        "Notes": "Completed assignment with examples",
    }


def test_an_assignment_module_is_not_completed_without_a_submission(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    pass_module(client, course_id, QUIZ_1)
    pass_module(client, course_id, VIDEO_ONLY)
    path = module_path(course_id, ASSIGNMENT.module_id)
    assert watch_video(client, path).status_code == 200
    r = client.post(f"{path}/complete")
    assert r.status_code == 409
    assert text_of(r.text, "module-error") == "Submit the assignment first."
    client.post(f"{path}/assignment", files={"file": ("a.pdf", PDF, "application/pdf")})
    assert client.post(f"{path}/complete").status_code == 303


# Completion and the certificate ------------------------------------------------------------


def test_completing_the_last_module_completes_the_course_and_issues_the_certificate(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    for spec in COURSE_MODULES[:-1]:
        pass_module(client, course_id, spec)
    r = client.get(f"/courses/{course_id}/certificate")
    assert r.status_code == 404
    assert "no certificate yet" in text_of(r.text, "error-message")
    assert certificates(databases, enrolled) == []
    assert "course-completed" not in client.get(f"/courses/{course_id}").text

    # module-04: a failed attempt (2 of 3 = 67%), then a passing one (3 of 3)
    last = module_path(course_id, QUIZ_4.module_id)
    client.post(f"{last}/quiz", data=answers(QUIZ_4.key, 2))
    pass_module(client, course_id, QUIZ_4)

    page = client.get(last).text
    assert "module-completed" in page and 'data-testid="download-certificate"' in page
    page = client.get(f"/courses/{course_id}").text
    assert "course-completed" in page and 'data-testid="download-certificate"' in page
    assert len(re.findall(r'data-state="completed"', page)) == len(COURSE_MODULES)

    [enrollment] = rows(
        databases,
        "SELECT Status, CompletedAt, FinalScore FROM CourseEnrollments WHERE StudentID = @s",
        s=enrolled,
    )
    assert (enrollment["Status"], enrollment["FinalScore"]) == ("completed", 100)
    done = rows(
        databases,
        "SELECT ModuleID, Score, CompletedAt FROM ModuleCompletions WHERE StudentID = @s "
        "ORDER BY CompletedAt",
        s=enrolled,
    )
    assert [(row["ModuleID"], row["Score"]) for row in done] == [
        (QUIZ_1.module_id, 100),
        (VIDEO_ONLY.module_id, None),
        (ASSIGNMENT.module_id, None),
        (QUIZ_4.module_id, 100),
    ]
    [issued] = certificates(databases, enrolled)
    # one transaction: the last completion, the enrollment and the certificate share its time
    assert issued["IssuedAt"] == enrollment["CompletedAt"] == done[-1]["CompletedAt"]
    assert issued["CompletedOn"] == la_date_of(issued["IssuedAt"])
    assert (issued["StudentName"], issued["CourseTitle"]) == ("Alex Student", "Advanced JavaScript")
    assert re.fullmatch(r"[0-9a-f-]{36}", issued["CertificateID"])

    r = client.get(f"/courses/{course_id}/certificate")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == (
        f'attachment; filename="certificate-{course_id}-{issued["CertificateID"]}.pdf"'
    )
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    for expected in (
        "Alex Student",
        "Advanced JavaScript",
        issued["CompletedOn"].isoformat(),
        issued["CertificateID"],
    ):
        assert expected in text


def test_the_final_score_is_the_mean_of_the_best_quiz_scores_at_completion(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    first = module_path(course_id, QUIZ_1.module_id)
    watch_video(client, first)
    client.post(f"{first}/quiz", data=answers(QUIZ_1.key, 4))  # 80%: just enough
    client.post(f"{first}/quiz", data=answers(QUIZ_1.key, 1))  # 20%: the best still counts
    assert client.post(f"{first}/complete").status_code == 303
    for spec in COURSE_MODULES[1:]:
        pass_module(client, course_id, spec)  # module-04 at 100%
    [enrollment] = rows(
        databases, "SELECT FinalScore FROM CourseEnrollments WHERE StudentID = @s", s=enrolled
    )
    assert enrollment["FinalScore"] == 90  # (80 + 100) / 2


def test_completing_twice_issues_one_certificate(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    for spec in COURSE_MODULES:
        pass_module(client, course_id, spec)
    [issued] = certificates(databases, enrolled)
    last = module_path(course_id, QUIZ_4.module_id)
    for path in (last, module_path(course_id, QUIZ_1.module_id)):
        r = client.post(f"{path}/complete")  # already completed: nothing happens
        assert (r.status_code, r.headers["location"]) == (303, path)
    assert client.post(f"/courses/{course_id}/start").status_code == 303
    assert certificates(databases, enrolled) == [issued]
    assert len(rows(databases, "SELECT ModuleID FROM ModuleCompletions WHERE StudentID = @s",
                    s=enrolled)) == len(COURSE_MODULES)  # fmt: skip
    [enrollment] = rows(
        databases, "SELECT Status FROM CourseEnrollments WHERE StudentID = @s", s=enrolled
    )
    assert enrollment["Status"] == "completed"


def test_two_completions_at_once_issue_one_certificate(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    for spec in COURSE_MODULES[:-1]:
        pass_module(client, course_id, spec)
    last = module_path(course_id, QUIZ_4.module_id)
    watch_video(client, last)
    client.post(f"{last}/quiz", data=answers(QUIZ_4.key, 3))
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(
            pool.map(
                lambda _: mark_complete(databases.academy, enrolled, course_id, QUIZ_4.module_id),
                range(2),
            )
        )
    assert len(certificates(databases, enrolled)) == 1


def test_a_certificate_that_cannot_be_issued_completes_nothing(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    """The certificate is written in the transaction that completes the last module and the
    enrollment: when it fails, neither is recorded."""
    for spec in COURSE_MODULES[:-1]:
        pass_module(client, course_id, spec)
    last = module_path(course_id, QUIZ_4.module_id)
    watch_video(client, last)
    client.post(f"{last}/quiz", data=answers(QUIZ_4.key, 3))
    with databases.academy.batch() as batch:  # a stray certificate row for the enrollment
        batch.insert(
            "Certificates",
            columns=("StudentID", "CourseID", "CertificateID", "StudentName", "CourseTitle",
                     "CompletedOn", "IssuedAt"),
            values=[(enrolled, course_id, str(uuid.uuid4()), "Someone", "Something",
                     date(2026, 1, 1), spanner.COMMIT_TIMESTAMP)],
        )  # fmt: skip
    with pytest.raises(AlreadyExists):
        mark_complete(databases.academy, enrolled, course_id, QUIZ_4.module_id)
    assert QUIZ_4.module_id not in [
        row["ModuleID"]
        for row in rows(
            databases, "SELECT ModuleID FROM ModuleCompletions WHERE StudentID = @s", s=enrolled
        )
    ]
    [enrollment] = rows(
        databases,
        "SELECT Status, CompletedAt, FinalScore FROM CourseEnrollments WHERE StudentID = @s",
        s=enrolled,
    )
    assert enrollment == {"Status": "in_progress", "CompletedAt": None, "FinalScore": None}


def test_a_course_without_quizzes_completes_with_no_final_score(
    client: TestClient, databases: Databases
) -> None:
    modules = (ModuleSpec("intro"), ModuleSpec("outro"))
    course_id = add_course(databases, modules, title="Short course")
    student_id, email = add_student(databases, "Zoë Łukasiewicz")
    log_in(client, email)
    client.post(f"/courses/{course_id}/start")
    for spec in modules:
        pass_module(client, course_id, spec)
    [enrollment] = rows(
        databases,
        "SELECT Status, FinalScore FROM CourseEnrollments WHERE StudentID = @s",
        s=student_id,
    )
    assert enrollment == {"Status": "completed", "FinalScore": None}
    [issued] = certificates(databases, student_id)
    assert issued["StudentName"] == "Zoë Łukasiewicz"  # the row keeps the name as it is
    text = (
        PdfReader(io.BytesIO(client.get(f"/courses/{course_id}/certificate").content))
        .pages[0]
        .extract_text()
    )
    assert "Zoe Lukasiewicz" in text and "Short course" in text
