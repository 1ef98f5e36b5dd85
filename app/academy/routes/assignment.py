"""A module's assignment: upload a PDF with notes; a refused upload stores nothing.

The request's size is judged before its body is read: by the Content-Length it announces,
then as it arrives (body_cap.py)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.responses import Response

from app.academy.assignments import (
    MAX_ASSIGNMENT_BYTES,
    MAX_NOTES_LENGTH,
    MAX_UPLOAD_BODY_BYTES,
    NOT_A_PDF,
    TOO_LARGE,
    file_name,
    upload_problem,
)
from app.academy.body_cap import BadLength, BodyTooLarge, announced_too_large, capped
from app.academy.enrollment import NotEnrolled
from app.academy.learning import latest_submission, submit_assignment
from app.academy.routes.common import Place, Student, module_or_404, module_path, reader
from app.academy.sessions import CurrentStudent
from app.platform.deps import dbs
from app.platform.templating import render

router = APIRouter()
ASSIGNMENT = "/courses/{course_id}/modules/{module_id}/assignment"
MAX_FORM_FIELDS = 8  # the file, the notes, and a token or two


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
async def upload(request: Request, student: Student, course_id: str, module_id: str) -> Response:
    place = await run_in_threadpool(assignment_of, request, course_id, module_id)

    async def refuse(status_code: int, problem: str, notes: str = "") -> Response:
        return await run_in_threadpool(page, request, student, place, status_code, problem, notes)

    try:
        if announced_too_large(request, MAX_UPLOAD_BODY_BYTES):
            return await refuse(413, TOO_LARGE)
        form = await capped(request, MAX_UPLOAD_BODY_BYTES).form(
            max_files=1, max_fields=MAX_FORM_FIELDS
        )
    except BodyTooLarge:
        return await refuse(413, TOO_LARGE)
    except (BadLength, MultiPartException):
        return await refuse(400, NOT_A_PDF)
    file, notes = form.get("file"), form.get("notes", "")
    notes = notes if isinstance(notes, str) else ""
    content = await file.read(MAX_ASSIGNMENT_BYTES + 1) if isinstance(file, UploadFile) else b""
    problem = await run_in_threadpool(upload_problem, content, notes)
    if problem is not None:
        return await refuse(413 if len(content) > MAX_ASSIGNMENT_BYTES else 400, problem, notes)
    name = file_name(file.filename if isinstance(file, UploadFile) else None)
    try:
        await run_in_threadpool(
            submit_assignment, dbs(request).academy, student.student_id, course_id, module_id,
            name, content, notes,
        )  # fmt: skip
    except NotEnrolled as refused:
        return await refuse(409, str(refused), notes)
    return RedirectResponse(f"{module_path(course_id, module_id)}/assignment", status_code=303)
