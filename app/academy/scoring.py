"""Quiz scores: a percentage rounded half up, the best attempt, the minimum, the final score.

Scores are whole percents. Rounding is half up on exact integer arithmetic (no floats):
2 of 3 right is 67 %, 1 of 8 is 13 % (12.5 rounds up).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves up (both >= 0)."""
    if denominator <= 0:
        raise ValueError("the denominator must be positive")
    return (2 * numerator + denominator) // (2 * denominator)


def quiz_score(answers: Sequence[int | None], key: Sequence[int]) -> int:
    """The percentage of questions answered right: answers[i] against key[i] (the correct
    choice of the i-th question), one answer per question; an unanswered one (None) is wrong."""
    if not key:
        raise ValueError("a quiz needs at least one question")
    if len(answers) != len(key):
        raise ValueError(f"{len(answers)} answers for {len(key)} questions")
    right = sum(1 for given, correct in zip(answers, key, strict=True) if given == correct)
    return round_half_up(100 * right, len(key))


def best_score(scores: Iterable[int]) -> int | None:
    """The best of the attempts' scores; None when there was no attempt."""
    return max(scores, default=None)


def meets_minimum(best: int | None, minimum: int) -> bool:
    """Whether the best score reaches the module's minimum (no attempt never does)."""
    return best is not None and best >= minimum


def minimum_message(minimum: int) -> str:
    return f"You need at least {minimum}% on the quiz to complete this module."


def final_score(best_scores: Sequence[int]) -> int | None:
    """The course's final score: the mean of the quiz modules' best scores, rounded half up;
    None for a course without quizzes."""
    if not best_scores:
        return None
    return round_half_up(sum(best_scores), len(best_scores))
