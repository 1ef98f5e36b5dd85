"""E-learning academy: answering a module's quiz, with the right answers from the answer key in
Spanner (never from the page), and what the academy makes of each attempt."""

from __future__ import annotations

from behave import then, when
from playwright.sync_api import expect

from pages.academy.module import ModuleScreen
from pages.academy.quiz import QuizScreen
from products.academy.rules import answers_with, quiz_score
from queries.academy import answer_key, quiz_attempts


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
