"""The attempts rule: a quiz allows each student a few attempts (APP_QUIZ_ATTEMPTS, default 3),
then it is closed to them and a teacher must reopen it. Each attempt shows its score and never
which answers were right or wrong, so a few attempts cannot give the answer key away."""

from __future__ import annotations


class QuizClosed(Exception):  # noqa: N818 - a refusal shown to the student
    """The student has used every attempt the quiz allows; the message says so."""

    def __init__(self, allowed: int) -> None:
        super().__init__(closed_message(allowed))


def closed_message(allowed: int) -> str:
    return (
        f"You have used all {allowed} attempts at this quiz, so it is closed: "
        "ask your teacher to reopen it."
    )


def attempts_left(taken: int, allowed: int) -> int:
    return max(allowed - taken, 0)
