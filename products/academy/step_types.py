"""The academy's placeholders in step patterns: each parse type's allowed values are in its
docstring (`make steps` prints them). products/step_types.py registers TYPES with behave."""

from __future__ import annotations

import re
from collections.abc import Callable

import parse

from products.academy import words


@parse.with_pattern(words.MODULE)
def parse_module(text: str) -> str:
    """A module of the course by its id: `module-01` … `module-99`."""
    return text


@parse.with_pattern(words.MODULES)
def parse_modules(text: str) -> tuple[str, ...]:
    """`no module`, `module-01`, `module-01 and module-02`, `module-01, module-02 and module-04`,
    `module-01 to module-03`."""
    return words.module_ids(text)


@parse.with_pattern(rf"no video|the (?:{words.WATCHED_VIDEOS})")
def parse_watched(text: str) -> tuple[str, ...]:
    """`no video`, `the video of module-01`, `the videos of module-01 to module-04` (modules as
    in CourseModules)."""
    return words.module_ids(text.removeprefix("the "))


@parse.with_pattern(words.ANSWERS_RIGHT)
def parse_answers_right(text: str) -> tuple[int, int]:
    """Answers right of the quiz's questions: `7 of 10`."""
    return words.answers_right(text)


@parse.with_pattern(words.HAND_IN)
def parse_hand_in(text: str) -> words.HandIn:
    """A sample file as it is (`"sample-assignment.pdf"`), under another name
    (`"sample-assignment.pdf" named "assignment.txt"`), or a PDF made on the spot:
    `a PDF of 2 MB`, `a PDF of exactly 2 MB`, `a PDF of 2 MB and 1 byte` (MB, KB or bytes)."""
    return words.hand_in(text)


@parse.with_pattern(r"\d+%(?:(?:, | and )\d+%)*")
def parse_percentages(text: str) -> list[int]:
    """Scores in order: `80%`, `60% and 90%`, `40%, 60% and 90%`."""
    return [int(number) for number in re.findall(r"\d+", text)]


@parse.with_pattern(r"active|disabled")
def parse_account_state(text: str) -> str:
    return text


@parse.with_pattern(r"their password|a wrong password")
def parse_password(text: str) -> str:
    return text


TYPES: dict[str, Callable[[str], object]] = {
    "AccountState": parse_account_state,
    "Password": parse_password,
    "CourseModule": parse_module,
    "CourseModules": parse_modules,
    "Watched": parse_watched,
    "AnswersRight": parse_answers_right,
    "HandIn": parse_hand_in,
    "Percentages": parse_percentages,
}
