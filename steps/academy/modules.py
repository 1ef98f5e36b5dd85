"""E-learning academy: a module's video, marking it complete, and what the academy says to it:
refused (order, video, quiz minimum, assignment) or completed, and the course page's states."""

from __future__ import annotations

from behave import then, when
from playwright.sync_api import expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from pages.academy.courses import CourseScreen
from pages.academy.module import ModuleScreen
from products.academy import words
from products.academy.rules import best_score
from queries.academy import (
    certificates_of,
    enrollment_with_certificate,
    module_completions,
    watched_videos,
)
from spanner.assertions import eventually


def _course(context) -> str:
    return context.learned["course_id"]


def _student(context) -> str:
    return context.learned["student_id"]


def _completions(context) -> list[dict]:
    return module_completions(context.db.academy, _student(context), _course(context))


def _completed(context, module: str) -> dict | None:
    return next((row for row in _completions(context) if row["ModuleID"] == module), None)


# what a module's page says of a video whose end is not recorded
VIDEO_TO_WATCH = "Watch the video to the end."

# what the academy says when it refuses to complete a module, and the rule it tells
REFUSALS = {
    "You need at least": "a quiz module is completed only with a score at or above its minimum",
    "Complete module-": "a module is completed only after every module before it",
    "Watch the video": "a video module is completed only once its video has played to the end",
    "Submit the assignment": "the assignment module is completed only with a hand-in",
}


def _rule_of(message: str) -> str:
    return next((rule for start, rule in REFUSALS.items() if message.startswith(start)), message)


def _module_screen(context, module: str) -> ModuleScreen:
    return ModuleScreen(context.page, _course(context), module).reach()


def _complete(context, module: str) -> None:
    """Marks the module complete, where every condition is met; a refusal names the rule."""
    screen = _module_screen(context, module)
    screen.mark_complete()
    expect(screen.module_error.or_(screen.module_completed)).to_be_visible()
    if screen.module_error.count():
        refusal = screen.module_error.inner_text().strip()
        attempts = context.learned.get("quiz scores", {}).get(module)
        best = f" (its quiz's best attempt counts: attempts scored {attempts})" if attempts else ""
        raise AssertionError(
            f"{module} is completed once its conditions are met{best}; the academy refused "
            f"({_rule_of(refusal)}): {refusal!r}"
        )
    expect(screen.module_completed, f"{module} should be completed").to_be_visible()


@when("they complete {module:CourseModule}")
def step_complete_module(context, module):
    """Marks the module complete; the page confirms it."""
    _complete(context, module)


@when("they complete {module:CourseModule} again")
def step_complete_module_again(context, module):
    """Notes the certificate and the enrollment as they are, then marks the module complete again."""
    student, course = _student(context), _course(context)
    context.learned["certificates before"] = certificates_of(context.db.academy, student, course)
    context.learned["enrollment before"] = enrollment_with_certificate(
        context.db.academy, student, course
    )
    _complete(context, module)
    expect(ModuleScreen(context.page, course, module).module_error).to_have_count(0)


@when("they try to complete {module:CourseModule}")
def step_try_to_complete(context, module):
    """Presses mark-complete on the module's page, whatever comes of it."""
    screen = _module_screen(context, module)
    screen.mark_complete()
    expect(screen.module_error.or_(screen.module_completed)).to_be_visible()


@when("they play the video of {module:CourseModule} and stop it halfway")
def step_play_video_halfway(context, module):
    """Starts the module's video, skips to its middle and pauses it there."""
    _module_screen(context, module).play_video_and_stop_halfway()


@then("{module:CourseModule} offers neither a quiz nor an assignment")
def step_offers_no_quiz(context, module):
    """Rule: a module without a quiz or an assignment asks for neither."""
    screen = ModuleScreen(context.page, _course(context), module)
    expect(screen.quiz_link, f"{module} has no quiz, so offers none").to_have_count(0)
    expect(screen.assignment_link, f"{module} has no assignment").to_have_count(0)


@when("they play the video of {module:CourseModule} to the end")
def step_play_video_to_end(context, module):
    """Plays the module's video through at its own pace; the page reports it watched."""
    _module_screen(context, module).play_video_to_the_end()


@then(
    "the course page shows {done:CourseModules} completed and {next_one:CourseModule} next, "
    "any later module locked"
)
def step_course_page_states(context, done, next_one):
    """Rule: modules are taken in order: the page shows which are done, which one is open next,
    and every later one locked."""
    screen = CourseScreen(context.page, _course(context)).open()
    for module in context.learned["modules"]:
        word = "completed" if module in done else "next" if module == next_one else "locked"
        expect(
            screen.module(module),
            f"modules are taken in order: with {done or 'none'} completed, {module} is {word}",
        ).to_have_attribute(CourseScreen.STATE, words.MODULE_STATES[word])


@then('{module:CourseModule} is not completed: "{message}"')
def step_not_completed_because(context, module, message):
    """The module page says why, and no completion of the module is recorded."""
    screen = ModuleScreen(context.page, _course(context), module)
    rule = f"{_rule_of(message)}: {module} must not be completed"
    expect(screen.module_error, rule).to_contain_text(message)
    found = _completed(context, module)
    assert found is None, f"{rule}, yet it is recorded completed: {found}"


@then("{module:CourseModule} is not completed")
def step_not_completed(context, module):
    """The module page refuses it, and no completion of the module is recorded."""
    screen = ModuleScreen(context.page, _course(context), module)
    expect(screen.module_error, f"{module} is completed only with a PDF handed in").to_be_visible()
    found = _completed(context, module)
    assert found is None, f"{module} is completed only with a PDF handed in; found {found}"


@then("{module:CourseModule} is completed with a score of {score:d}")
def step_completed_with_score(context, module, score):
    """The page confirms it; the completion records the quiz's best score."""
    screen = ModuleScreen(context.page, _course(context), module)
    minimum = context.learned["modules"][module]["MinScore"]
    expect(
        screen.module_completed, f"a quiz scored at its minimum ({minimum}%) completes {module}"
    ).to_be_visible()
    _check_completion_score(context, module, score, f"a quiz at {score}% completes {module}")


def _check_completion_score(context, module: str, score: int, rule: str) -> None:
    def check() -> None:
        found = _completed(context, module)
        assert found is not None, f"{rule}: no completion of {module} is recorded"
        assert found["Score"] == score, f"{rule}: {module} is recorded with {found['Score']}"

    eventually(check, context.settings.db_poll_timeout)


@then("{module:CourseModule} is completed with a score of {score:d}, the best of their attempts")
def step_completed_with_best(context, module, score):
    """Rule: every attempt counts towards the best; the completion records the best score."""
    taken = context.learned["quiz scores"][module]
    assert best_score(taken) == score, f"the scenario's attempts {taken} have no best {score}"
    _check_completion_score(
        context, module, score, f"the best attempt counts: attempts scored {taken}"
    )


@then(
    "the end of the video of {module:CourseModule} is not recorded, and its page still asks for it"
)
def step_video_not_recorded(context, module):
    """Rule: only the player's end of the video counts: a video stopped halfway is not
    recorded as watched, and the page says it is still to be watched to the end."""
    rule = f"a video stopped halfway is not watched to the end: {module}"
    screen = ModuleScreen(context.page, _course(context), module)
    expect(screen.video_status, rule).to_have_attribute("data-finished", "false")
    screen.open()
    expect(screen.video_status, rule).to_have_text(VIDEO_TO_WATCH)
    seen = watched_videos(context.db.academy, _student(context), _course(context))
    assert module not in seen, f"{rule}, yet its end is recorded: {seen}"


@then("the end of the video of {module:CourseModule} is recorded, and its page says so")
def step_video_recorded(context, module):
    """Rule: the player's end of the video is recorded for the student, and shown."""
    rule = f"a video played to the end is recorded as watched: {module}"
    seen = watched_videos(context.db.academy, _student(context), _course(context))
    assert module in seen, f"{rule}; recorded {seen}"
    screen = ModuleScreen(context.page, _course(context), module).open()
    expect(screen.video_status, rule).to_have_attribute("data-finished", "true")
