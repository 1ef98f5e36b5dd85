"""The student's courses, a course's page, starting a course and its certificate."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.academy import certificate as certificates
from app.academy.catalog import all_courses, modules
from app.academy.certificate_pdf import pdf_bytes
from app.academy.enrollment import (
    certificate,
    completed_modules,
    enrollment,
    enrollment_statuses,
    start_course,
)
from app.academy.progress import states
from app.academy.routes.common import Student, course_or_404, reader
from app.platform.deps import dbs
from app.platform.templating import render

router = APIRouter()


@router.get("/")
def home() -> Response:
    return RedirectResponse("/courses", status_code=303)


@router.get("/courses")
def my_courses(request: Request, student: Student) -> Response:
    read = reader(request)
    return render(
        request, "courses.html", student=student, courses=all_courses(read),
        statuses=enrollment_statuses(read, student.student_id),
    )  # fmt: skip


@router.get("/courses/{course_id}")
def course_page(request: Request, student: Student, course_id: str) -> Response:
    read = reader(request)
    course = course_or_404(read, course_id)
    course_modules = modules(read, course_id)
    scores = completed_modules(read, student.student_id, course_id)
    return render(
        request, "course.html", student=student, course=course, modules=course_modules,
        scores=scores, states=states(course_modules, scores),
        enrollment=enrollment(read, student.student_id, course_id),
        certificate=certificate(read, student.student_id, course_id),
    )  # fmt: skip


@router.post("/courses/{course_id}/start")
def start(request: Request, student: Student, course_id: str) -> Response:
    course_or_404(reader(request), course_id)
    start_course(dbs(request).academy, student.student_id, course_id)
    return RedirectResponse(f"/courses/{course_id}", status_code=303)


@router.get("/courses/{course_id}/certificate")
def download_certificate(request: Request, student: Student, course_id: str) -> Response:
    read = reader(request)
    course_or_404(read, course_id)
    issued = certificate(read, student.student_id, course_id)
    if issued is None:
        return render(request, "error.html", 404, student=student, message=certificates.NOT_YET)
    return Response(
        pdf_bytes(issued),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{certificates.file_name(issued)}"'},
    )
