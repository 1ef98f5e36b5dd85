"""E-learning academy: the course, its students, where each stands, and working through it.

The academy's steps, by what they are about: this file (the academy's words, the course, signing
in, where a student stands, starting and working through the course), modules.py (videos,
marking a module complete, refusals, the course page's states), quizzes.py (answering
quizzes with the answer key in Spanner, never the page), assignments.py (handing in),
certificates.py (the completed course and its certificate). Videos are played through
at their own pace (the academy believes no sooner end), the step waiting on the player's end.
"""

from __future__ import annotations

import re

from behave import given, then, when
from playwright.sync_api import expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from harness.browser import open_scenario_browser
from pages.academy.courses import CourseScreen, MyCoursesScreen
from pages.academy.requests import AcademyRequests
from pages.shared.login import LoginScreen
from products.academy.rules import answers_with, best_score
from products.academy.step_types import parse_percentages
from queries.academy import (
    add_quiz_attempt,
    answer_key,
    course_by_title,
    course_modules,
    disable_student,
    enrollment_with_certificate,
    module_completions,
    quiz_attempts,
    records_of,
    set_course_modules,
    student_by_email,
    student_sessions,
    watched_videos,
)

# --- who and what: the course of the Background, the student of the scenario


def _course(context) -> str:
    return context.learned["course_id"]


def _student(context) -> str:
    """The id of the student the scenario is about."""
    return context.learned["student_id"]


def _learn_student(context, email: str) -> None:
    student = student_by_email(context.db.academy, email)
    assert student is not None, f"the fixtures should hold the student {email}"
    context.learned.update(student=email, student_id=student["StudentID"])


def _first_module(context) -> str:
    return next(iter(context.learned["modules"]))


@given('the course "{title}" is made of these modules, in this order:')
def step_course_made_of(context, title):
    """Makes the catalogue's course exactly these modules, in this order, with these quiz
    minimums and this assignment (titles, videos and quiz questions stay the catalogue's)."""
    course = course_by_title(context.db.academy, title)
    assert course is not None, f"the catalogue should hold the course {title!r}"
    wanted = [
        {
            "ModuleID": row["module"],
            "Position": position,
            "MinScore": None if row["quiz minimum"] == "no quiz" else int(row["quiz minimum"][:-1]),
            "HasAssignment": row["assignment"] == "a PDF",
        }
        for position, row in enumerate(context.table, start=1)
    ]
    set_course_modules(context.db.academy, course["CourseID"], wanted)
    modules = course_modules(context.db.academy, course["CourseID"])
    found = [(row["ModuleID"], row["MinScore"], row["HasAssignment"]) for row in modules]
    expected = [(row["ModuleID"], row["MinScore"], row["HasAssignment"]) for row in wanted]
    assert found == expected, f"{title} should be made of {expected}, found {found}"
    context.learned.update(
        course_id=course["CourseID"],
        course_title=title,
        modules={row["ModuleID"]: row for row in modules},
    )


@given('"{email}" has signed in to the academy')
def step_student_signed_in(context, email):
    """Signs in on the shared sign-in page with the feature's password; lands on their courses."""
    _learn_student(context, email)
    LoginScreen(context.page).open().log_in(email, context.accounts.password_of(email))
    expect(context.page, "a student who signs in lands on their courses").to_have_url(
        re.compile(re.escape(MyCoursesScreen.path) + r"/?$")
    )


@given('"{email}" has also signed in to the academy in a second browser')
def step_signed_in_second_browser(context, email):
    """A second session of the same student, in a browser of its own."""
    assert context.learned["student"] == email, (
        f"the scenario is about {context.learned['student']}"
    )
    second = open_scenario_browser(context.browser, context.app.base_url, context.settings)
    context.add_cleanup(second.close)
    LoginScreen(second.page).open().log_in(email, context.accounts.password_of(email))
    expect(second.page, "a student who signs in lands on their courses").to_have_url(
        re.compile(re.escape(MyCoursesScreen.path) + r"/?$")
    )
    context.learned["second browser"] = second.page


@then("their second browser is asked to sign in again too")
def step_second_browser_asked(context):
    """Rule: a disabled student is turned away in every session they have."""
    page = context.learned["second browser"]
    MyCoursesScreen(page).open()
    expect(page, "a disabled student's every session must end").to_have_url(
        re.compile(re.escape(LoginScreen.path) + r"(\?|$)")
    )


@given('the academy\'s records hold the account of "{email}" as {state:AccountState}')
def step_account_state(context, email, state):
    """A check of the feature's fixtures: the student's account exists in that state."""
    student = student_by_email(context.db.academy, email)
    assert student is not None and student["Status"] == state, (
        f"the fixtures should hold {email} with an account {state}, found {student}"
    )


@when('"{email}" tries to sign in to the academy with {password:Password}')
def step_student_tries_to_sign_in(context, email, password):
    """Sends the sign-in form with the student's right password or a wrong one, whatever
    comes of it."""
    _learn_student(context, email)
    right = context.accounts.password_of(email)
    login = LoginScreen(context.page).open()
    login.log_in(email, right if password == "their password" else f"not-{right}")
    signed_in = MyCoursesScreen(context.page).my_courses_link
    expect(login.login_error.or_(signed_in)).to_be_visible()


@then('"{email}" has no session in the academy')
def step_no_academy_session(context, email):
    """Rule: a refused sign-in starts no session; signing out ends the session."""
    sessions = student_sessions(context.db.academy, context.learned["student_id"])
    assert sessions == 0, (
        f"{email} has no session in the academy (a refused sign-in starts none, signing out "
        f"ends the one there was): {sessions} found"
    )


@given('the academy has disabled the account of "{email}"')
def step_academy_disables(context, email):
    """The academy's staff disable the student's account (in the academy's records)."""
    assert context.learned["student"] == email, (
        f"the scenario is about {context.learned['student']}"
    )
    changed = disable_student(context.db.academy, context.learned["student_id"])
    assert changed == 1, f"expected to disable {email}'s account, changed {changed} rows"


@when("they sign out of the academy")
def step_sign_out_of_academy(context):
    """The log-out button in the header of the student's pages."""
    MyCoursesScreen(context.page).sign_out()
    expect(LoginScreen(context.page).sign_in_form).to_be_visible()


@when("they open their courses")
def step_open_courses(context):
    """Opens the student's list of courses."""
    MyCoursesScreen(context.page).open()


@then("the academy asks them to sign in again")
def step_asked_to_sign_in(context):
    """Rule: only an active student's session lets them in; the academy sends the rest to
    the sign-in page."""
    login = LoginScreen(context.page)
    expect(context.page, "a disabled student's session must end").to_have_url(
        re.compile(re.escape(LoginScreen.path) + r"(\?|$)")
    )
    expect(login.sign_in_form).to_be_visible()


@given(
    'the academy\'s records show "{email}" enrolled in "{title}" with {completed:CourseModules} '
    "completed and {watched:Watched} watched"
)
def step_enrolled_part_way(context, email, title, completed, watched):
    """A check of the feature's fixtures: the course is in progress, exactly these modules are
    completed (in this order) and exactly these videos were watched to the end."""
    _learn_student(context, email)
    student, course = _student(context), _course(context)
    enrollment = enrollment_with_certificate(context.db.academy, student, course)
    assert enrollment is not None and enrollment["Status"] == "in_progress", (
        f"the fixtures should have {email} in the middle of {title}, found {enrollment}"
    )
    done = [row["ModuleID"] for row in module_completions(context.db.academy, student, course)]
    assert done == list(completed), f"the fixtures should complete {completed} for {email}: {done}"
    seen = watched_videos(context.db.academy, student, course)
    assert seen == sorted(watched), f"the fixtures should have {email} watch {watched}: {seen}"


@given(
    "the academy's records show their best score on the quiz of {module:CourseModule} is {score:d}%"
)
def step_best_quiz_score(context, module, score):
    """A check of the feature's fixtures: the student's attempts at the quiz, the best scored."""
    attempts = quiz_attempts(context.db.academy, _student(context), _course(context), module)
    scores = [row["Score"] for row in attempts]
    assert scores and best_score(scores) == score, (
        f"the fixtures should give {context.learned['student']} a best score of {score}% on the "
        f"quiz of {module}, found attempts scored {scores}"
    )


# --- working through the course


@given('they have started the course "{title}"')
def step_start_course(context, title):
    """Opens the course's page and starts the course."""
    assert context.learned["course_title"] == title, f"the Background is about {title}"
    screen = CourseScreen(context.page, _course(context)).open()
    screen.start()
    expect(screen.module(_first_module(context))).to_be_visible()


@when("they complete its modules in order, watching every video to the end:")
def step_complete_modules(context):
    """Per module, the steps below: its video to the end, its quiz answered or its assignment
    handed in with the notes, then mark-complete."""
    for row in context.table:
        module = row["module"]
        steps = [f"When they play the video of {module} to the end"]
        if row["quiz answers right"]:
            steps.append(
                f"And they answer the quiz of {module} with {row['quiz answers right']} answers right"
            )
        if row["assignment"]:
            steps.append(
                f'And they hand in "{row["assignment"]}" for {module} with the notes "{row["notes"]}"'
            )
        steps.append(f"And they complete {module}")
        context.execute_steps("\n".join(steps))


@given('the academy\'s records show "{email}" finished "{title}" with a certificate')
def step_finished_with_certificate(context, email, title):
    """A check of the feature's fixtures: a bystander who completed the course; what the
    academy holds of them is noted, to show later that nobody else's doing changed it."""
    student = student_by_email(context.db.academy, email)
    assert student is not None, f"the fixtures should hold the student {email}"
    course = _course(context)
    enrollment = enrollment_with_certificate(context.db.academy, student["StudentID"], course)
    assert enrollment and enrollment["Status"] == "completed" and enrollment["CertificateID"], (
        f"the fixtures should have {email} finish {title} with a certificate: {enrollment}"
    )
    context.learned.setdefault("bystanders", {})[email] = {
        "student_id": student["StudentID"],
        "records": records_of(context.db.academy, student["StudentID"], course),
    }
    if "student" not in context.learned:
        _learn_student(context, email)


@given("the academy's records show their attempts at the quizzes, in the order taken:")
def step_attempts_in_order(context):
    """A check of the feature's fixtures: the student's attempts at each quiz, oldest first."""
    taken = context.learned.setdefault("quiz scores", {})
    for row in context.table:
        module = row["module"]
        expected = parse_percentages(row["scores"])
        stored = [
            attempt["Score"]
            for attempt in quiz_attempts(
                context.db.academy, _student(context), _course(context), module
            )
        ]
        assert stored == expected, (
            f"the fixtures should give {context.learned['student']} attempts at {module} scored "
            f"{expected}, in that order; found {stored}"
        )
        taken[module] = stored


@given("their attempts at the quiz of {module:CourseModule} scored {scores:Percentages}")
def step_attempts_scored(context, module, scores):
    """Writes the student's attempts at the quiz, in this order, each with answers that give
    its score against the answer key."""
    key = answer_key(context.db.academy, _course(context), module)
    for score in scores:
        right, rest = divmod(score * len(key), 100)
        assert rest == 0, f"{score}% is no score a quiz of {len(key)} questions gives"
        answers = answers_with(
            [row["CorrectChoice"] for row in key], [len(row["Choices"]) for row in key], right
        )
        add_quiz_attempt(
            context.db.academy, _student(context), _course(context), module, score, answers
        )
    context.learned.setdefault("quiz scores", {})[module] = list(scores)


@when("they open the course page")
def step_open_course_page(context):
    """Opens the course's page."""
    CourseScreen(context.page, _course(context)).open()


@then("opening their courses asks them to sign in again")
def step_courses_ask_to_sign_in(context):
    """Rule: a session that ended lets nobody in: the courses send them to the sign-in page."""
    MyCoursesScreen(context.page).open()
    step_asked_to_sign_in(context)


@when("they ask the academy for {request}")
def step_ask_academy_for(context, request):
    """Sends the request from the student's browser as the page would, following no redirect."""
    context.learned["records before"] = records_of(
        context.db.academy, _student(context), _course(context)
    )
    pdf = context.fixtures.sample_file(context.fixture_folder, "sample-assignment.pdf")
    context.learned["response"] = AcademyRequests(context.page, _course(context)).send(
        request, pdf.read_bytes()
    )


@then("the academy sends them to sign in and records nothing for them")
def step_sent_to_sign_in(context):
    """Rule: only an active student's session is let in, at every page and every action."""
    response = context.learned["response"]
    location = response.headers.get("location", "")
    rule = "a student disabled while signed in is turned away from every page and action"
    assert response.status in (302, 303, 307) and location.endswith(LoginScreen.path), (
        f"{rule}: answered {response.status} {location!r}: {response.text()[:200]!r}"
    )
    after = records_of(context.db.academy, _student(context), _course(context))
    assert after == context.learned["records before"], (
        f"{rule}, and nothing is recorded for them: {context.learned['records before']} -> {after}"
    )
