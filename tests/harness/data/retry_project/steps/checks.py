"""Checks that count their attempts in the marks folder, and a step that waits on a pipe."""

from __future__ import annotations

import os
import select

from behave import then


@then('the check "{name}" holds from attempt {first:d} on')
def step_the_check_holds_from_attempt(context, name: str, first: int) -> None:
    """Fails until its `first` attempt: each run of it adds a line to marks/<name>.attempts."""
    counter = context.marks / f"{name}.attempts"
    with counter.open("a") as attempts:
        attempts.write("attempt\n")
    attempt = len(counter.read_text().splitlines())
    assert attempt >= first, f'the check "{name}" holds from attempt {first} on; this is {attempt}'


@then("a word comes through a pipe within {seconds:d} seconds")
def step_a_word_comes_through_a_pipe(context, seconds: int) -> None:
    """Waits on a pipe that nobody writes to, so that a test can interrupt the run meanwhile."""
    reader, writer = os.pipe()
    try:
        ready, _, _ = select.select([reader], [], [], seconds)
        assert ready, f"no word came through the pipe within {seconds} s"
    finally:
        os.close(reader)
        os.close(writer)
