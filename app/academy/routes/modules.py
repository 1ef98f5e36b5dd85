"""A module's page: its video (served by the academy, and the report of its end), links to
quiz and assignment, and marking it complete."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from starlette.responses import Response

from app.academy.completion import CompletionRefused, mark_complete
from app.academy.enrollment import (
    NotEnrolled,
    certificate,
    completed_modules,
    enrollment,
    evidence,
)
from app.academy.learning import record_video_finished, record_video_served
from app.academy.routes.common import Student, module_or_404, module_path, reader
from app.academy.rules_settings import rules_of
from app.academy.sessions import CurrentStudent
from app.academy.video import VideoEndRefused, video_file, video_url
from app.academy.video_length import video_seconds
from app.platform.deps import dbs
from app.platform.templating import render

router = APIRouter()
MODULE = "/courses/{course_id}/modules/{module_id}"


def module_page(
    request: Request,
    student: CurrentStudent,
    course_id: str,
    module_id: str,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    read = reader(request)
    place = module_or_404(read, course_id, module_id)
    enrolled = enrollment(read, student.student_id, course_id)
    return render(
        request, "module.html", status_code, student=student, course=place.course,
        module=place.module, enrollment=enrolled, error=error,
        video_src=video_url(module_path(course_id, module_id)),
        completed=module_id in completed_modules(read, student.student_id, course_id),
        evidence=evidence(read, student.student_id, course_id, module_id),
        certificate=certificate(read, student.student_id, course_id),
        path=module_path(course_id, module_id),
    )  # fmt: skip


@router.get(MODULE)
def show(request: Request, student: Student, course_id: str, module_id: str) -> Response:
    return module_page(request, student, course_id, module_id)


@router.get(MODULE + "/video")
def video(request: Request, student: Student, course_id: str, module_id: str) -> Response:
    """The module's video (range requests answered), recorded as served to this session."""
    place = module_or_404(reader(request), course_id, module_id)
    try:
        path = video_file(place.module.video_path)
    except FileNotFoundError:
        raise HTTPException(status_code=404) from None
    record_video_served(
        dbs(request).academy, student.student_id, student.session_id, course_id, module_id
    )
    return FileResponse(path, media_type="video/webm", headers={"Cache-Control": "no-store"})


@router.post(MODULE + "/video-finished")
def video_finished(request: Request, student: Student, course_id: str, module_id: str) -> Response:
    """The page's player fired `ended`: record that this student watched the video, if the
    video was served to their session at least its length before."""
    place = module_or_404(reader(request), course_id, module_id)
    try:
        length = video_seconds(video_file(place.module.video_path))
    except FileNotFoundError:
        raise HTTPException(status_code=404) from None
    least = length - rules_of(request).video_end_grace_seconds
    try:
        record_video_finished(
            dbs(request).academy, student.student_id, student.session_id, course_id, module_id,
            least,
        )  # fmt: skip
    except (NotEnrolled, VideoEndRefused) as refused:
        return JSONResponse({"error": str(refused)}, status_code=409)
    return JSONResponse({"status": "recorded"})


@router.post(MODULE + "/complete")
def complete(request: Request, student: Student, course_id: str, module_id: str) -> Response:
    module_or_404(reader(request), course_id, module_id)
    try:
        mark_complete(dbs(request).academy, student.student_id, course_id, module_id)
    except (CompletionRefused, NotEnrolled) as refused:
        return module_page(request, student, course_id, module_id, str(refused), 409)
    return RedirectResponse(module_path(course_id, module_id), status_code=303)
