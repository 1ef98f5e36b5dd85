"""The order of a course: a module is completed only after every module before it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

COMPLETED = "completed"
AVAILABLE = "available"
LOCKED = "locked"


@dataclass(frozen=True)
class Module:
    """One module of a course, as CourseModules holds it."""

    course_id: str
    module_id: str
    position: int
    title: str
    video_path: str
    min_score: int | None  # None: no quiz
    has_assignment: bool

    @property
    def has_quiz(self) -> bool:
        return self.min_score is not None


def in_order(modules: Sequence[Module]) -> list[Module]:
    return sorted(modules, key=lambda module: module.position)


def first_unfinished_before(
    modules: Sequence[Module], completed: Collection[str], module: Module
) -> str | None:
    """The id of the first module of lower Position that is not completed, else None."""
    for earlier in in_order(modules):
        if earlier.position < module.position and earlier.module_id not in completed:
            return earlier.module_id
    return None


def order_message(module_id: str) -> str:
    return f"Complete {module_id} first."


def states(modules: Sequence[Module], completed: Collection[str]) -> dict[str, str]:
    """Each module's state by id: completed, available (all before it completed) or locked."""
    return {
        module.module_id: COMPLETED
        if module.module_id in completed
        else LOCKED
        if first_unfinished_before(modules, completed, module)
        else AVAILABLE
        for module in modules
    }


def all_completed(modules: Sequence[Module], completed: Collection[str]) -> bool:
    """Whether every module of the course is completed (a course without modules is not)."""
    return bool(modules) and all(module.module_id in completed for module in modules)
