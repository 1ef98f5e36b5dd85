"""What the academy's routes share: the signed-in student, and a course or module or 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from app.academy.catalog import Course, Reader, course, modules, snapshot_reader
from app.academy.deps import current_student
from app.academy.progress import Module
from app.academy.sessions import CurrentStudent
from app.platform.deps import dbs

Student = Annotated[CurrentStudent, Depends(current_student)]


def reader(request: Request) -> Reader:
    return snapshot_reader(dbs(request).academy)


def course_or_404(read: Reader, course_id: str) -> Course:
    found = course(read, course_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


@dataclass(frozen=True)
class Place:
    """A module with its course and all the course's modules (in Position order)."""

    course: Course
    modules: list[Module]
    module: Module


def module_or_404(read: Reader, course_id: str, module_id: str) -> Place:
    found = course_or_404(read, course_id)
    course_modules = modules(read, course_id)
    module = next((m for m in course_modules if m.module_id == module_id), None)
    if module is None:
        raise HTTPException(status_code=404)
    return Place(found, course_modules, module)


def module_path(course_id: str, module_id: str) -> str:
    return f"/courses/{course_id}/modules/{module_id}"
