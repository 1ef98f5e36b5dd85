"""The academy's rules, computed independently of the app under test: quiz scores, the final
score, the certificate's date, the hand-in limit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from spanner.clock import SPANNER_TIMEZONE

# the largest assignment the academy takes: 2 MB, counted as 2 x 1024 x 1024 bytes
MAX_ASSIGNMENT_BYTES = 2 * 1024 * 1024
# a PDF file starts with these bytes, whatever it is called
PDF_SIGNATURE = b"%PDF-"


def round_half_up(value: Fraction) -> int:
    """71.5 -> 72, 71.49 -> 71: the academy rounds percentages half up, never to even."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def quiz_score(right: int, questions: int) -> int:
    """A quiz's score in percent: 100 x right answers / questions, rounded half up."""
    return round_half_up(Fraction(100 * right, questions))


def best_score(scores: Iterable[int]) -> int:
    """The score that counts for a quiz taken several times: the best attempt's."""
    return max(scores)


def final_score(best_scores: Sequence[int]) -> int:
    """A course's final score: the mean of the best scores of its quiz modules, rounded half up."""
    return round_half_up(Fraction(sum(best_scores), len(best_scores)))


def answers_with(
    correct_choices: Sequence[int], choice_counts: Sequence[int], right: int
) -> list[int]:
    """The answers that get exactly `right` questions right: the first `right` questions get the
    answer key's choice, every later one the choice after it (a wrong one)."""
    return [
        correct if number < right else (correct + 1) % choices
        for number, (correct, choices) in enumerate(
            zip(correct_choices, choice_counts, strict=True)
        )
    ]


def completion_date(completed_at: datetime) -> date:
    """The day a course was completed, as its certificate states it: the academy's business day
    (Los Angeles, Spanner's CURRENT_DATE)."""
    return completed_at.astimezone(SPANNER_TIMEZONE).date()
