"""E-learning academy: answering a module's quiz, with the right answers from the answer key in
Spanner (never from the page), and what the academy makes of each attempt."""

from __future__ import annotations

from urllib.parse import urlsplit

from behave import then, when
from playwright.sync_api import expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from pages.academy.module import ModuleScreen
from pages.academy.quiz import QuizScreen
from products.academy.rules import answers_with, quiz_score
from queries.academy import answer_key, quiz_attempts, shift_answer_key, student_by_email

# every question of the catalogue's quizzes has four choices: moving the key by one, then by
# three, brings it back
CHOICES = 4


def _attempts(context, module: str) -> list[dict]:
    learned = context.learned
    return quiz_attempts(context.db.academy, learned["student_id"], learned["course_id"], module)


@when("they answer the quiz of {module:CourseModule} with {right:AnswersRight} answers right")
@when("they answer the quiz of {module:CourseModule} again with {right:AnswersRight} answers right")
def step_answer_quiz(context, module, right):
    """Takes the module's quiz: the answer key's choice for the first questions, as many as
    said, a wrong choice for the others."""
    right_answers, questions = right
    course = context.learned["course_id"]
    key = answer_key(context.db.academy, course, module)
    assert len(key) == questions, f"the answer key of {module} has {len(key)} questions"
    choices = answers_with(
        [row["CorrectChoice"] for row in key], [len(row["Choices"]) for row in key], right_answers
    )
    ModuleScreen(context.page, course, module).reach().take_quiz()
    quiz = QuizScreen(context.page)
    expect(quiz.questions, f"the quiz of {module} asks every question").to_have_count(questions)
    for row, choice in zip(key, choices, strict=True):
        quiz.choose(row["QuestionNo"], choice)
    quiz.submit()
    expect(quiz.score).to_be_visible()
    scores = context.learned.setdefault("quiz scores", {}).setdefault(module, [])
    scores.append(quiz_score(right_answers, questions))
    context.learned["last quiz"] = module


@then("their quiz score is {score:d}%")
def step_quiz_score(context, score):
    """Rule: a quiz is scored on the server against the answer key, 100 x right answers /
    questions, rounded half up; the page shows the score and the attempt is stored with it."""
    module = context.learned["last quiz"]
    assert context.learned["quiz scores"][module][-1] == score, (
        f"the example contradicts the scoring rule: the answers given score "
        f"{context.learned['quiz scores'][module][-1]}%, not {score}%"
    )
    rule = f"a quiz is scored against the answer key: this attempt at {module} scores {score}%"
    expect(QuizScreen(context.page).score, rule).to_contain_text(f"{score}%")
    stored = [row["Score"] for row in _attempts(context, module)]
    assert stored and stored[-1] == score, f"{rule}; the attempts stored score {stored}"


@then("every attempt at the quiz of {module:CourseModule} is kept, scored {scores:Percentages}")
def step_attempts_kept(context, module, scores):
    """Rule: every attempt at a quiz is stored with its score, in the order taken."""
    stored = [row["Score"] for row in _attempts(context, module)]
    assert stored == scores, f"every attempt at a quiz is kept: expected {scores}, stored {stored}"


@then(
    "neither the quiz of {module:CourseModule} nor the result of their attempt reveals which "
    "answers are right"
)
def step_key_not_revealed(context, module):
    """Rule: the answer key stays on the server. Whatever a page could reveal of the key would
    change with it: the quiz and the attempt's result load the same, to the byte, once every
    right answer is moved to another choice."""
    course = context.learned["course_id"]
    quiz, result = QuizScreen.path_of(course, module), urlsplit(context.page.url).path
    assert "/attempts/" in result, f"the attempt's result should be open: {context.page.url}"
    before = {path: QuizScreen(context.page).everything_loaded_at(path) for path in (quiz, result)}
    moved = shift_answer_key(context.db.academy, course, module, 1)
    assert moved, f"the quiz of {module} should have questions"
    try:
        after = {
            path: QuizScreen(context.page).everything_loaded_at(path) for path in (quiz, result)
        }
    finally:
        shift_answer_key(context.db.academy, course, module, CHOICES - 1)
    for path in (quiz, result):
        assert after[path] == before[path], (
            f"no page reveals which answers are right: {path} changes with the answer key"
        )


@when('they open the result of the attempt of "{email}" at the quiz of {module:CourseModule}')
def step_open_others_attempt(context, email, module):
    """Opens the address of another student's attempt, with its real id."""
    other = student_by_email(context.db.academy, email)
    assert other is not None, f"the fixtures should hold the student {email}"
    course = context.learned["course_id"]
    attempts = quiz_attempts(context.db.academy, other["StudentID"], course, module)
    assert attempts, f"the fixtures should give {email} an attempt at the quiz of {module}"
    context.learned["other attempt"] = attempts[0]
    path = f"{QuizScreen.path_of(course, module)}/attempts/{attempts[0]['AttemptID']}"
    context.learned["response"] = context.page.goto(path)


@then("the academy finds no such result and shows no score")
def step_no_such_result(context):
    """Rule: a student sees only their own attempts, even at the address of another's."""
    response = context.learned["response"]
    score = context.learned["other attempt"]["Score"]
    rule = "a student sees nothing of another student's quiz attempts"
    assert response is not None and response.status == 404, (
        f"{rule}: the address of another's attempt answered {response and response.status}"
    )
    expect(QuizScreen(context.page).score, rule).to_have_count(0)
    expect(context.page.locator("body"), rule).not_to_contain_text(f"{score}%")
