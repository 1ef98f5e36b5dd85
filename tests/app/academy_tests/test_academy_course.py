"""The academy over HTTP on the real emulator: signing in, starting a course, the video rule,
the order of modules and quizzes (scored on the server, the key never shown)."""

from __future__ import annotations

import re

import pytest
from academy_testkit import (
    COURSE_MODULES,
    PASSWORD,
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

from app.platform.db import Databases

DATABASE_ID = "app-academy-course"
QUIZ_1, VIDEO_ONLY, ASSIGNMENT, QUIZ_4 = COURSE_MODULES


@pytest.fixture()
def student(client: TestClient, databases: Databases) -> str:
    """A signed-in student's StudentID."""
    student_id, email = add_student(databases)
    log_in(client, email)
    return student_id


@pytest.fixture()
def enrolled(client: TestClient, student: str, course_id: str) -> str:
    r = client.post(f"/courses/{course_id}/start")
    assert (r.status_code, r.headers["location"]) == (303, f"/courses/{course_id}")
    return student


def completions(databases: Databases, student_id: str, course_id: str) -> list[dict]:
    return rows(
        databases,
        "SELECT ModuleID, Score FROM ModuleCompletions WHERE StudentID = @s AND CourseID = @c "
        "ORDER BY CompletedAt",
        s=student_id,
        c=course_id,
    )


# Signing in and the course page ------------------------------------------------------------


def test_a_student_signs_in_at_the_shared_login_and_lands_on_their_courses(
    client: TestClient, databases: Databases, course_id: str
) -> None:
    _, email = add_student(databases)
    assert client.get("/courses").headers["location"] == "/login"
    r = client.get("/login")
    assert "<title>Log in · E-learning academy</title>" in r.text
    assert client.post("/login", data={"email": email, "password": "wrong"}).status_code == 401
    r = client.post("/login", data={"email": email.upper(), "password": PASSWORD})
    assert (r.status_code, r.headers["location"]) == (303, "/courses")
    assert "student_session" in r.cookies
    r = client.get("/courses")
    assert r.status_code == 200
    assert f'data-testid="course-{course_id}" href="/courses/{course_id}"' in r.text
    assert client.get("/").headers["location"] == "/courses"
    r = client.post("/logout")
    assert client.get("/courses").headers["location"] == "/login"


def test_a_disabled_student_cannot_sign_in(client: TestClient, databases: Databases) -> None:
    student_id, email = add_student(databases)
    with databases.academy.batch() as batch:
        batch.update("Students", columns=("StudentID", "Status"), values=[(student_id, "disabled")])
    r = client.post("/login", data={"email": email, "password": PASSWORD})
    assert r.status_code == 401


def test_starting_a_course_creates_one_enrollment(
    client: TestClient, databases: Databases, student: str, course_id: str
) -> None:
    r = client.get(f"/courses/{course_id}")
    assert 'data-testid="start-course"' in r.text and "Start course" in r.text
    assert f'data-testid="module-{QUIZ_1.module_id}" data-state="available"' in r.text
    assert f'data-testid="module-{VIDEO_ONLY.module_id}" data-state="locked"' in r.text
    assert "course-completed" not in r.text and "download-certificate" not in r.text
    for _ in range(2):  # idempotent
        assert client.post(f"/courses/{course_id}/start").status_code == 303
    enrollment = rows(
        databases,
        "SELECT Status, StartedAt, CompletedAt, FinalScore FROM CourseEnrollments "
        "WHERE StudentID = @s",
        s=student,
    )
    assert len(enrollment) == 1
    assert enrollment[0]["Status"] == "in_progress" and enrollment[0]["StartedAt"]
    assert (enrollment[0]["CompletedAt"], enrollment[0]["FinalScore"]) == (None, None)
    assert "Continue course" in client.get(f"/courses/{course_id}").text
    assert client.post("/courses/no-such-course/start").status_code == 404


def test_the_module_page_has_a_real_video_and_its_controls(
    client: TestClient, enrolled: str, course_id: str
) -> None:
    r = client.get(module_path(course_id, QUIZ_1.module_id))
    assert r.status_code == 200
    video = re.search(r'<video data-testid="course-video" src="([^"]+)"', r.text)
    assert video and video.group(1) == f"{module_path(course_id, QUIZ_1.module_id)}/video"
    for testid in ("play-video", "take-quiz", "mark-complete", "video-status"):
        assert f'data-testid="{testid}"' in r.text
    assert 'data-testid="submit-assignment"' not in r.text
    assert '"ended"' in r.text and "/video-finished" in r.text
    served = client.get(video.group(1))
    assert served.status_code == 200 and served.headers["content-type"] == "video/webm"
    assert served.content[:4] == b"\x1a\x45\xdf\xa3"  # EBML: a Matroska/WebM file
    # the player seeks with range requests
    part = client.get(video.group(1), headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    r = client.get(module_path(course_id, ASSIGNMENT.module_id))
    assert 'data-testid="submit-assignment"' in r.text and 'data-testid="take-quiz"' not in r.text
    assert client.get(module_path(course_id, "module-99")).status_code == 404


# The video rule ----------------------------------------------------------------------------


def test_a_module_is_not_completed_before_its_video_was_reported_finished(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = module_path(course_id, VIDEO_ONLY.module_id)
    pass_module(client, course_id, QUIZ_1)
    r = client.post(f"{path}/complete")
    assert r.status_code == 409
    assert text_of(r.text, "module-error") == "Watch the video to the end first."
    assert 'role="alert"' in r.text
    assert [row["ModuleID"] for row in completions(databases, enrolled, course_id)] == [
        QUIZ_1.module_id
    ]
    assert 'data-finished="false"' in client.get(path).text

    r = watch_video(client, path)
    assert (r.status_code, r.json()) == (200, {"status": "recorded"})
    views = rows(
        databases,
        "SELECT ModuleID, FinishedAt FROM VideoViews WHERE StudentID = @s AND ModuleID = @m",
        s=enrolled,
        m=VIDEO_ONLY.module_id,
    )
    assert len(views) == 1 and views[0]["FinishedAt"]
    assert 'data-finished="true"' in client.get(path).text
    r = client.post(f"{path}/complete")
    assert (r.status_code, r.headers["location"]) == (303, path)
    assert "module-completed" in client.get(path).text
    assert completions(databases, enrolled, course_id)[-1] == {
        "ModuleID": VIDEO_ONLY.module_id,
        "Score": None,
    }


def test_the_video_end_is_refused_before_the_course_is_started(
    client: TestClient, databases: Databases, student: str, course_id: str
) -> None:
    path = module_path(course_id, QUIZ_1.module_id)
    r = client.post(f"{path}/video-finished")
    assert (r.status_code, r.json()) == (409, {"error": "Start the course first."})
    r = client.post(f"{path}/complete")
    assert r.status_code == 409 and text_of(r.text, "module-error") == "Start the course first."
    assert not rows(databases, "SELECT * FROM VideoViews WHERE StudentID = @s", s=student)


# Order -------------------------------------------------------------------------------------


def test_a_module_is_not_completed_before_the_ones_before_it(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = module_path(course_id, VIDEO_ONLY.module_id)
    assert watch_video(client, path).status_code == 200
    r = client.post(f"{path}/complete")
    assert r.status_code == 409
    assert text_of(r.text, "module-error") == f"Complete {QUIZ_1.module_id} first."
    assert completions(databases, enrolled, course_id) == []
    pass_module(client, course_id, QUIZ_1)
    assert client.post(f"{path}/complete").status_code == 303
    # the last module still waits for the assignment module
    last = module_path(course_id, QUIZ_4.module_id)
    r = client.post(f"{last}/complete")
    assert text_of(r.text, "module-error") == f"Complete {ASSIGNMENT.module_id} first."
    states = re.findall(r'data-testid="module-([^"]+)" data-state="(\w+)"',
                        client.get(f"/courses/{course_id}").text)  # fmt: skip
    assert states == [
        (QUIZ_1.module_id, "completed"),
        (VIDEO_ONLY.module_id, "completed"),
        (ASSIGNMENT.module_id, "available"),
        (QUIZ_4.module_id, "locked"),
    ]


# Quizzes -----------------------------------------------------------------------------------


def test_the_quiz_page_never_reveals_the_answer_key(
    client: TestClient, enrolled: str, course_id: str
) -> None:
    r = client.get(f"{module_path(course_id, QUIZ_1.module_id)}/quiz")
    assert r.status_code == 200
    html = r.text
    assert "CorrectChoice" not in html
    assert not re.search(r"correct|right-answer|answer-key|checked", html, re.I)
    groups = re.findall(r'<fieldset data-testid="question-(\d+)">(.*?)</fieldset>', html, re.S)
    assert [int(number) for number, _ in groups] == list(range(1, len(QUIZ_1.key) + 1))
    for number, group in groups:
        radios = re.findall(r"<input ([^>]*)>", group)
        # every choice looks the same: a radio button with its index, nothing more
        assert radios == [
            f'type="radio" name="answer-{number}" value="{index}"' for index in range(4)
        ]
    assert 'data-testid="submit-quiz"' in html
    # a module without a quiz has no quiz page
    assert client.get(f"{module_path(course_id, VIDEO_ONLY.module_id)}/quiz").status_code == 404


def test_a_quiz_below_its_minimum_does_not_complete_the_module_and_the_best_attempt_counts(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = module_path(course_id, QUIZ_1.module_id)
    assert watch_video(client, path).status_code == 200

    def attempt(right: int) -> str:
        r = client.post(f"{path}/quiz", data=answers(QUIZ_1.key, right))
        assert r.status_code == 303, r.text
        assert re.fullmatch(rf"{path}/quiz/attempts/[0-9a-f-]{{36}}", r.headers["location"])
        return client.get(r.headers["location"]).text

    result = attempt(3)  # 3 of 5: 60%
    assert re.search(r'data-testid="quiz-score">Your score: 60%<', result)
    assert "quiz-failed" in result and "at least 80%" in result
    r = client.post(f"{path}/complete")
    assert r.status_code == 409
    assert text_of(r.text, "module-error") == (
        "You need at least 80% on the quiz to complete this module."
    )
    assert completions(databases, enrolled, course_id) == []

    result = attempt(5)
    assert "Your score: 100%" in result and "quiz-passed" in result
    result = attempt(2)  # a worse attempt later: the best still counts
    assert "Your score: 40%" in result and 'data-testid="best-score">100%' in result
    assert client.post(f"{path}/complete").status_code == 303
    assert completions(databases, enrolled, course_id) == [
        {"ModuleID": QUIZ_1.module_id, "Score": 100}
    ]
    stored = rows(
        databases,
        "SELECT Score, Answers FROM QuizAttempts WHERE StudentID = @s ORDER BY SubmittedAt",
        s=enrolled,
    )
    assert [row["Score"] for row in stored] == [60, 100, 40]
    assert stored[1]["Answers"] == list(QUIZ_1.key)


def test_a_quiz_is_scored_on_the_server_whatever_the_form_says(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = module_path(course_id, QUIZ_4.module_id)
    form = answers(QUIZ_4.key, 2)  # 2 of 3 right: 67%
    del form["answer-3"]  # left blank: wrong
    form.update({"score": "100", "answer-99": "0"})
    r = client.post(f"{path}/quiz", data=form)
    assert "Your score: 67%" in client.get(r.headers["location"]).text
    r = client.post(f"{path}/quiz", data={})  # nothing answered
    assert "Your score: 0%" in client.get(r.headers["location"]).text
    stored = rows(
        databases,
        "SELECT Score, Answers FROM QuizAttempts WHERE StudentID = @s ORDER BY SubmittedAt",
        s=enrolled,
    )
    assert stored == [
        {"Score": 67, "Answers": [QUIZ_4.key[0], QUIZ_4.key[1], None]},
        {"Score": 0, "Answers": [None, None, None]},
    ]


def test_an_attempt_is_shown_only_to_its_student(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = module_path(course_id, QUIZ_1.module_id)
    location = client.post(f"{path}/quiz", data=answers(QUIZ_1.key, 5)).headers["location"]
    client.cookies.clear()
    _, other = add_student(databases, "Other Student")
    log_in(client, other)
    assert client.get(location).status_code == 404
    r = client.post(f"{path}/quiz", data=answers(QUIZ_1.key, 5))
    assert r.status_code == 409 and "Start the course first." in r.text
