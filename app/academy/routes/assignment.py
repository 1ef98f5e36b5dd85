"""A module's assignment: upload a PDF with notes; a refused upload stores nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.academy.assignments import (
    MAX_ASSIGNMENT_BYTES,
    MAX_NOTES_LENGTH,
    file_name,
    upload_problem,
)
from app.academy.enrollment import NotEnrolled
from app.academy.learning import latest_submission, submit_assignment
from app.academy.routes.common import Place, Student, module_or_404, module_path, reader
from app.academy.sessions import CurrentStudent
from app.platform.deps import dbs
from app.platform.templating import render

router = APIRouter()
ASSIGNMENT = "/courses/{course_id}/modules/{module_id}/assignment"


def assignment_of(request: Request, course_id: str, module_id: str) -> Place:
    place = module_or_404(reader(request), course_id, module_id)
    if not place.module.has_assignment:
        raise HTTPException(status_code=404)
    return place


def page(
    request: Request,
    student: CurrentStudent,
    place: Place,
    status_code: int = 200,
    error: str | None = None,
    notes: str = "",
) -> Response:
    return render(
        request, "assignment.html", status_code, student=student, course=place.course,
        module=place.module, error=error, values={"notes": notes}, max_notes=MAX_NOTES_LENGTH,
        submitted=latest_submission(
            reader(request), student.student_id, place.course.course_id, place.module.module_id
        ),
        path=module_path(place.course.course_id, place.module.module_id),
    )  # fmt: skip


@router.get(ASSIGNMENT)
def show(request: Request, student: Student, course_id: str, module_id: str) -> Response:
    return page(request, student, assignment_of(request, course_id, module_id))


@router.post(ASSIGNMENT)
def upload(
    request: Request,
    student: Student,
    course_id: str,
    module_id: str,
    file: Annotated[UploadFile | None, File()] = None,
    notes: Annotated[str, Form()] = "",
) -> Response:
    place = assignment_of(request, course_id, module_id)
    # One byte past the limit is enough to know the file is too large.
    content = file.file.read(MAX_ASSIGNMENT_BYTES + 1) if file is not None else b""
    problem = upload_problem(content, notes)
    if problem is not None:
        return page(request, student, place, 400, problem, notes)
    try:
        submit_assignment(
            dbs(request).academy, student.student_id, course_id, module_id,
            file_name(file.filename if file else None), content, notes,
        )  # fmt: skip
    except NotEnrolled as refused:
        return page(request, student, place, 409, str(refused), notes)
    return RedirectResponse(f"{module_path(course_id, module_id)}/assignment", status_code=303)
