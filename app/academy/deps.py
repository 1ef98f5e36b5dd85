"""Request dependencies of the academy's pages: the signed-in student."""

from __future__ import annotations

from fastapi import Request

from app.academy.sessions import STUDENT_SESSIONS, CurrentStudent
from app.platform.sessions import signed_in


def current_student(request: Request) -> CurrentStudent:
    """The signed-in, active student, else a redirect to /login."""
    return signed_in(request, STUDENT_SESSIONS)
