"""A quiz form's answers, read strictly: a choice is its index among the question's choices,
written in ASCII digits. Anything else (another script's digits, a superscript, a number too
long to be a choice, a choice the question does not have) is not a valid answer, and the
attempt is refused whole, before anything is scored or kept."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from app.academy.catalog import Question

ANSWER_FIELD = "answer-{number}"
_CHOICE = re.compile(r"[0-9]{1,3}")  # ASCII only: re's [0-9] is not Unicode's \d


class InvalidAnswer(ValueError):
    """An answer that is not one of its question's choices; the message names the question."""


def not_valid(position: int) -> str:
    return f"The answer to question {position} is not a valid answer: choose one of its choices."


def choice_of(value: object, choices: int, position: int) -> int | None:
    """A radio button's value as a choice index; a question left blank is None."""
    if value is None:
        return None
    if not isinstance(value, str) or not _CHOICE.fullmatch(value) or int(value) >= choices:
        raise InvalidAnswer(not_valid(position))
    return int(value)


def answers_of(form: Mapping[str, object], asked: Sequence[Question]) -> dict[int, int | None]:
    """QuestionNo -> choice index (None: not answered), or InvalidAnswer for the first bad one."""
    return {
        question.number: choice_of(
            form.get(ANSWER_FIELD.format(number=question.number)), len(question.choices), position
        )
        for position, question in enumerate(asked, start=1)
    }
