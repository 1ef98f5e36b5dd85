"""A module's quiz: the questions (never the answer key), scoring an attempt, its result.

A quiz allows a few attempts (attempts.py); answers are read strictly (answers.py): a bad one
refuses the attempt whole and keeps nothing."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.academy.answers import InvalidAnswer, answers_of
from app.academy.attempts import QuizClosed, attempts_left, closed_message
from app.academy.catalog import Question, questions
from app.academy.enrollment import NotEnrolled, evidence
from app.academy.learning import attempt_score, attempts_taken, submit_quiz
from app.academy.routes.common import Place, Student, module_or_404, module_path, reader
from app.academy.rules_settings import rules_of
from app.academy.scoring import meets_minimum
from app.academy.sessions import CurrentStudent
from app.platform.deps import dbs
from app.platform.templating import render

router = APIRouter()
QUIZ = "/courses/{course_id}/modules/{module_id}/quiz"
MAX_QUIZ_FIELDS = 200  # a quiz form has one field per question (and a token or two)


def quiz_of(request: Request, course_id: str, module_id: str) -> Place:
    place = module_or_404(reader(request), course_id, module_id)
    if not place.module.has_quiz:
        raise HTTPException(status_code=404)
    return place


def _left(request: Request, student: CurrentStudent, place: Place) -> int:
    taken = attempts_taken(
        reader(request), student.student_id, place.course.course_id, place.module.module_id
    )
    return attempts_left(taken, rules_of(request).quiz_attempts)


def _quiz_page(
    request: Request,
    student: CurrentStudent,
    place: Place,
    asked: list[Question],
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    allowed = rules_of(request).quiz_attempts
    left = _left(request, student, place)
    return render(
        request, "quiz.html", status_code, student=student, course=place.course,
        module=place.module, questions=asked, path=module_path(place.course.course_id,
        place.module.module_id), error=error, allowed=allowed, left=left,
        closed=closed_message(allowed) if left == 0 else None,
    )  # fmt: skip


@router.get(QUIZ)
def quiz_page(request: Request, student: Student, course_id: str, module_id: str) -> Response:
    place = quiz_of(request, course_id, module_id)
    asked = questions(reader(request), course_id, module_id)
    if not asked:
        raise HTTPException(status_code=404)
    return _quiz_page(request, student, place, asked)


@router.post(QUIZ)
async def submit(request: Request, student: Student, course_id: str, module_id: str) -> Response:
    place = await run_in_threadpool(quiz_of, request, course_id, module_id)
    form = await request.form(max_files=0, max_fields=MAX_QUIZ_FIELDS)
    asked = await run_in_threadpool(questions, reader(request), course_id, module_id)
    if not asked:
        raise HTTPException(status_code=404)
    try:
        answers = answers_of(form, asked)
    except InvalidAnswer as invalid:
        return await run_in_threadpool(_quiz_page, request, student, place, asked, 400,
                                       str(invalid))  # fmt: skip
    try:
        attempt_id, _ = await run_in_threadpool(
            submit_quiz, dbs(request).academy, student.student_id, course_id, module_id, answers,
            rules_of(request).quiz_attempts,
        )  # fmt: skip
    except (NotEnrolled, QuizClosed) as refused:
        return await run_in_threadpool(_quiz_page, request, student, place, asked, 409,
                                       str(refused))  # fmt: skip
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
        left=_left(request, student, place),
    )  # fmt: skip
