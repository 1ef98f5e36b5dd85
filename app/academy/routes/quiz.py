"""A module's quiz: the questions (never the answer key), scoring an attempt, its result."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.academy.catalog import questions
from app.academy.enrollment import NotEnrolled, evidence
from app.academy.learning import attempt_score, submit_quiz
from app.academy.routes.common import Place, Student, module_or_404, module_path, reader
from app.academy.scoring import meets_minimum
from app.platform.deps import dbs
from app.platform.templating import render

router = APIRouter()
QUIZ = "/courses/{course_id}/modules/{module_id}/quiz"
ANSWER_FIELD = "answer-{number}"


def quiz_of(request: Request, course_id: str, module_id: str) -> Place:
    place = module_or_404(reader(request), course_id, module_id)
    if not place.module.has_quiz:
        raise HTTPException(status_code=404)
    return place


def choice(value: object) -> int | None:
    """A radio button's value as a choice index; anything else is no answer."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


def answers_of(form: Mapping[str, object], numbers: list[int]) -> dict[int, int | None]:
    return {number: choice(form.get(ANSWER_FIELD.format(number=number))) for number in numbers}


@router.get(QUIZ)
def quiz_page(request: Request, student: Student, course_id: str, module_id: str) -> Response:
    place = quiz_of(request, course_id, module_id)
    asked = questions(reader(request), course_id, module_id)
    if not asked:
        raise HTTPException(status_code=404)
    return render(
        request, "quiz.html", student=student, course=place.course, module=place.module,
        questions=asked, path=module_path(course_id, module_id),
    )  # fmt: skip


@router.post(QUIZ)
async def submit(request: Request, student: Student, course_id: str, module_id: str) -> Response:
    place = await run_in_threadpool(quiz_of, request, course_id, module_id)
    form = await request.form()
    asked = await run_in_threadpool(questions, reader(request), course_id, module_id)
    if not asked:
        raise HTTPException(status_code=404)
    answers = answers_of(form, [question.number for question in asked])
    try:
        attempt_id, _ = await run_in_threadpool(
            submit_quiz, dbs(request).academy, student.student_id, course_id, module_id, answers
        )
    except NotEnrolled as refused:
        return render(
            request, "quiz.html", 409, student=student, course=place.course, module=place.module,
            questions=asked, path=module_path(course_id, module_id), error=str(refused),
        )  # fmt: skip
    return RedirectResponse(
        f"{module_path(course_id, module_id)}/quiz/attempts/{attempt_id}", status_code=303
    )


@router.get(QUIZ + "/attempts/{attempt_id}")
def result(
    request: Request, student: Student, course_id: str, module_id: str, attempt_id: str
) -> Response:
    place = quiz_of(request, course_id, module_id)
    score = attempt_score(dbs(request).academy, student.student_id, course_id, module_id,
                          attempt_id)  # fmt: skip
    if score is None:
        raise HTTPException(status_code=404)
    minimum = place.module.min_score or 0
    best = evidence(reader(request), student.student_id, course_id, module_id).best_score
    return render(
        request, "quiz_result.html", student=student, course=place.course, module=place.module,
        score=score, minimum=minimum, passed=meets_minimum(score, minimum), best=best,
        best_passed=meets_minimum(best, minimum), path=module_path(course_id, module_id),
    )  # fmt: skip
