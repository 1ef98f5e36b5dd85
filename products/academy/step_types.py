"""The academy's placeholders in step patterns: each parse type's allowed values are in its
docstring (`make steps` prints them). products/step_types.py registers TYPES with behave."""

from __future__ import annotations

import re
from collections.abc import Callable

import parse

from products.academy import words


@parse.with_pattern(words.MODULE)
def parse_module(text: str) -> str:
    return text


@parse.with_pattern(words.MODULES)
def parse_modules(text: str) -> tuple[str, ...]:
    return words.module_ids(text)


@parse.with_pattern(rf"no video|the (?:{words.WATCHED_VIDEOS})")
def parse_watched(text: str) -> tuple[str, ...]:
    return words.module_ids(text.removeprefix("the "))


@parse.with_pattern(words.ANSWERS_RIGHT)
def parse_answers_right(text: str) -> tuple[int, int]:
    return words.answers_right(text)


@parse.with_pattern(words.HAND_IN)
def parse_hand_in(text: str) -> words.HandIn:
    return words.hand_in(text)


@parse.with_pattern(r"\d+%(?:(?:, | and )\d+%)*")
def parse_percentages(text: str) -> list[int]:
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
