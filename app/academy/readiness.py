"""Whether a module may be marked complete: order, video, quiz minimum, assignment.

The first unmet condition is the one the student is told, in that order.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from app.academy.assignments import NO_SUBMISSION
from app.academy.progress import Module, first_unfinished_before, order_message
from app.academy.scoring import meets_minimum, minimum_message
from app.academy.video import video_problem


@dataclass(frozen=True)
class Evidence:
    """What the student has done in one module so far."""

    video_finished: bool
    best_score: int | None  # the best quiz attempt, None without one
    submitted: bool  # an assignment submission is stored


def completion_problem(
    modules: Sequence[Module], completed: Collection[str], module: Module, evidence: Evidence
) -> str | None:
    """Why ``module`` cannot be completed now, else None."""
    earlier = first_unfinished_before(modules, completed, module)
    if earlier is not None:
        return order_message(earlier)
    problem = video_problem(evidence.video_finished)
    if problem is not None:
        return problem
    if module.min_score is not None and not meets_minimum(evidence.best_score, module.min_score):
        return minimum_message(module.min_score)
    if module.has_assignment and not evidence.submitted:
        return NO_SUBMISSION
    return None
