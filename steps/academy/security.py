"""E-learning academy, its defences: a video's end believed only after the video played, quiz
attempts limited, answers read strictly, hand-ins judged by reading them, names cleaned, and an
upload's size judged before it is read. The attacks are real requests from the student's own
signed-in browser (pages/academy/forged.py); what the academy then holds is read from Spanner."""

from __future__ import annotations

import re

from behave import given, then, when
from playwright.sync_api import FilePayload, expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from harness.foreign_origin import MULTIPART, ForgedFile, ForgedForm, submit_from_foreign_site
from harness.long_text import spelled_out
from pages.academy.assignment import AssignmentScreen
from pages.academy.forged import (
    fetch_video,
    post_answers,
    report_video_end,
    start_huge_upload,
)
from pages.academy.module import ModuleScreen
from pages.academy.quiz import QuizScreen
from products.academy.words import MIB
from queries.academy import (
    answer_key,
    assignment_submissions,
    module_completions,
    quiz_attempts,
    watched_videos,
)
from queries.academy.security import progress_in_course, serve_earlier, video_servings
from queries.shared.security import everything

# How long a raw upload waits for the academy's answer before it counts as "waiting for the
# rest of the body": far more than a refusal by the announced size takes (milliseconds).
EARLY_ANSWER_SECONDS = 10
FIRST_BYTES = 64 * 1024
# Characters a name can hide behind, as a feature writes them
_HIDDEN = {
    "right-to-left override": "\u202e",
    "left-to-right isolate": "\u2066",
    "zero-width space": "\u200b",
    "escape": "\x1b",
}


def _course(context) -> str:
    return context.learned["course_id"]


def _student(context) -> str:
    return context.learned["student_id"]


def _module_path(context, module: str) -> str:
    return f"/courses/{_course(context)}/modules/{module}"


VIDEO_END_CHECK = (
    "a video's end counts only when the video was served to this session its length ago"
)
ATTEMPTS_LIMIT = "a quiz allows three attempts (the attempts limit)"


def _refused(context, status: int, text: str, defence: str) -> None:
    context.learned["refusal"] = {"status": status, "text": text, "defence": defence}


# --- videos


@when("they report the end of the video of {module:CourseModule} without ever playing it")
def step_report_end_unplayed(context, module):
    """From the course page, never the module's: the end of the video posted by hand."""
    context.page.goto(f"/courses/{_course(context)}")
    response = report_video_end(context.page, _module_path(context, module))
    _refused(context, response.status, response.text(), VIDEO_END_CHECK)


@when("they open {module:CourseModule} and skip its video straight to the end")
def step_skip_video(context, module):
    """The module page's player, moved to its end at once: the page reports the end."""
    ModuleScreen(context.page, _course(context), module).reach().skip_video_to_the_end()


@given("the academy played the video of {module:CourseModule} to their first browser a minute ago")
def step_played_a_minute_ago(context, module):
    """The first browser fetches the video as its player does; the serving is then made a
    minute old (longer than the video), so that only the session can tell the two apart."""
    response = fetch_video(context.page, _module_path(context, module))
    assert response.status in (200, 206), f"the video of {module} should be served: {response}"
    moved = serve_earlier(context.db.academy, _student(context), _course(context), module, 60)
    assert moved == 1, f"one serving of {module}'s video to the first browser expected: {moved}"
    context.learned["played module"] = module


@when("their second browser reports the end of the video of {module:CourseModule}")
def step_second_browser_reports(context, module):
    """The end posted from the student's second session, which was never served the video."""
    second = context.learned["second browser"]
    second.goto(f"/courses/{_course(context)}")
    response = report_video_end(second, _module_path(context, module))
    _refused(context, response.status, response.text(), VIDEO_END_CHECK)


@then("the end reported by their first browser is recorded")
def step_first_browser_recorded(context):
    """The same report from the session the video was served to, its length ago, counts."""
    module = context.learned["played module"]
    response = report_video_end(context.page, _module_path(context, module))
    rule = f"the video of {module} played in this session its length ago counts as watched"
    assert (response.status, response.json()) == (200, {"status": "recorded"}), (
        f"{rule}: the academy answered {response.status} {response.text()}"
    )
    seen = watched_videos(context.db.academy, _student(context), _course(context))
    assert module in seen, f"{rule}: the videos recorded as watched are {seen}"


@then('the page says "{message}"')
def step_page_says(context, message):
    """What the module page shows of the video once the academy answered its report."""
    status = ModuleScreen(context.page, _course(context), "").video_status
    rule = VIDEO_END_CHECK
    expect(status, rule).to_have_text(message)
    expect(status, rule).to_have_attribute("data-finished", "false")


@then("the academy holds that it played the video of {module:CourseModule} to their session")
def step_serving_recorded(context, module):
    """VideoServings: the serving of the video to the session is what an end is judged by."""
    servings = video_servings(context.db.academy, _student(context), _course(context), module)
    assert len(servings) == 1, (
        f"the academy records the video of {module} served to the student's one session: {servings}"
    )


@then('nothing of {module:CourseModule} is recorded as watched or completed for "{email}"')
def step_nothing_of_module(context, module, email):
    """Spanner holds no watched video and no completion of the module for the student."""
    assert context.learned["student"] == email, (
        f"the scenario is about {context.learned['student']}"
    )
    student, course = _student(context), _course(context)
    seen = watched_videos(context.db.academy, student, course)
    done = [row["ModuleID"] for row in module_completions(context.db.academy, student, course)]
    rule = f"{VIDEO_END_CHECK}: an end not believed records nothing"
    assert module not in seen, f"{rule}: the video of {module} is recorded as watched: {seen}"
    assert module not in done, f"{rule}: {module} is recorded completed: {done}"


@then('the academy refuses it: "{message}"')
def step_academy_refuses(context, message):
    """The academy's answer to the request sent past its pages: a refusal saying why."""
    refusal = context.learned["refusal"]
    assert refusal["status"] in (400, 403, 409, 413) and message in refusal["text"], (
        f'{refusal["defence"]}: the academy should refuse with "{message}", it answered '
        f"{refusal['status']}: {refusal['text'][:300]}"
    )


# --- quizzes


@then("the result shows no attempt left and offers no other")
def step_no_attempt_left(context):
    """The attempt's result page: no attempts left, no way to a new one."""
    quiz = QuizScreen(context.page)
    rule = ATTEMPTS_LIMIT
    expect(quiz.attempts_left, rule).to_have_text("Attempts left: 0.")
    expect(quiz.retake_link, rule).to_have_count(0)


@then('the quiz of {module:CourseModule} is closed to them: "{message}"')
def step_quiz_closed(context, module, message):
    """The quiz page says it is closed and has no form to send."""
    quiz = QuizScreen(context.page)
    context.page.goto(QuizScreen.path_of(_course(context), module))
    rule = f"after three attempts the quiz of {module} is closed (the attempts limit)"
    expect(quiz.closed, rule).to_have_text(message)
    expect(quiz.questions, rule).to_have_count(0)


@when("they send every right answer to the quiz of {module:CourseModule} past the closed quiz")
def step_answers_past_closed_quiz(context, module):
    """The quiz form posted by hand with the answer key's choices, from the closed quiz page."""
    path = QuizScreen.path_of(_course(context), module)
    context.page.goto(path)
    key = answer_key(context.db.academy, _course(context), module)
    form = {f"answer-{row['QuestionNo']}": str(row["CorrectChoice"]) for row in key}
    response = post_answers(context.page, path, form)
    _refused(context, response.status, response.text(), ATTEMPTS_LIMIT)


def _answer(text: str) -> str:
    """An answer as a feature writes it: "{20 digits}" is twenty digits."""
    return re.sub(
        r"\{(\d+) digits\}",
        lambda match: "".join(str((i + 1) % 10) for i in range(int(match.group(1)))),
        text,
    )


@when(
    'they send the quiz of {module:CourseModule} with "{answer}" as the answer to question '
    "{number:d}"
)
def step_send_bad_answer(context, module, answer, number):
    """The quiz page, its first choice of the question made to send the answer (browser
    tools), every other question answered; then sent."""
    ModuleScreen(context.page, _course(context), module).reach().take_quiz()
    quiz = QuizScreen(context.page)
    key = answer_key(context.db.academy, _course(context), module)
    for row in key:
        quiz.choose(row["QuestionNo"], row["CorrectChoice"])
    quiz.choose_value(number, _answer(answer))
    quiz.submit()


@then('the quiz says "{message}"')
def step_quiz_says(context, message):
    """The quiz page again, saying which answer is not valid."""
    expect(QuizScreen(context.page).error, "quiz answers are read strictly").to_have_text(message)


@then("they have no attempt at the quiz of {module:CourseModule}")
def step_no_attempt(context, module):
    """QuizAttempts holds nothing of the student for the quiz."""
    attempts = quiz_attempts(context.db.academy, _student(context), _course(context), module)
    assert attempts == [], (
        f"an attempt with an answer that is not valid is refused whole (strict answers): "
        f"{[row['Score'] for row in attempts]} kept"
    )


# --- hand-ins


def _name(text: str) -> str:
    named = re.sub(r"\{([a-z -]+)\}", lambda match: _HIDDEN.get(match.group(1), match.group(0)),
                   text)  # fmt: skip
    assert "{" not in named, f"unknown hidden character in {text!r}; known: {sorted(_HIDDEN)}"
    return spelled_out(named)


@when('they hand in "{sample}" for {module:CourseModule} under the name "{name}"')
def step_hand_in_under_name(context, sample, module, name):
    """The assignment page, the sample file sent under a name with hidden characters."""
    content = context.fixtures.sample_file("academy_security", sample).read_bytes()
    payload = FilePayload(name=_name(name), mimeType="application/pdf", buffer=content)
    ModuleScreen(context.page, _course(context), module).reach().submit_assignment()
    screen = AssignmentScreen(context.page)
    screen.hand_in(payload, "")
    expect(screen.assignment_error.or_(screen.assignment_submitted)).to_be_visible()
    context.learned["hand-in"] = {"module": module, "payload": payload}


@then('the hand-in is stored and shown under the name "{name}"')
def step_stored_under_name(context, name):
    """AssignmentSubmissions.FileName and the page: the name without its hidden characters."""
    hand_in = context.learned["hand-in"]
    rule = f"a file name is cleaned of hidden characters: {hand_in['payload']['name']!r}"
    stored = assignment_submissions(
        context.db.academy, _student(context), _course(context), hand_in["module"]
    )
    assert [row["FileName"] for row in stored] == [name], f"{rule}: stored {stored}"
    expect(AssignmentScreen(context.page).assignment_submitted, rule).to_contain_text(
        f"submitted: {name} ("
    )


@when("they start handing in a file of {megabytes:d} MB for {module:CourseModule}")
def step_start_huge_upload(context, megabytes, module):
    """From the assignment page: a request announcing the size, of which only the first 64 KB
    are sent; the step waits for the academy's answer."""
    ModuleScreen(context.page, _course(context), module).reach().submit_assignment()
    context.learned["hand-in"] = {
        "module": module,
        "payload": {"name": "huge.pdf", "buffer": b""},
        "stored before": len(
            assignment_submissions(context.db.academy, _student(context), _course(context), module)
        ),
    }
    try:
        context.learned["early answer"] = start_huge_upload(
            context.page, context.app.base_url, f"{_module_path(context, module)}/assignment",
            megabytes * MIB, FIRST_BYTES, EARLY_ANSWER_SECONDS,
        )  # fmt: skip
    except TimeoutError as waited:
        raise AssertionError(
            f"an upload is judged by its announced size before it is read (the upload size "
            f"limit): the academy did not answer, waiting for the rest of the body: {waited}"
        ) from None


@then('the academy refuses it before the file has been sent: "{message}"')
def step_refused_before_sent(context, message):
    """The answer came while most of the announced body was never sent."""
    answer = context.learned["early answer"]
    rule = "an upload is judged by its announced size before it is read (the upload size limit)"
    assert answer.sent_bytes < answer.announced_bytes
    assert answer.status == 413 and message in answer.body, (
        f"{rule}: after {answer.sent_bytes} of {answer.announced_bytes} bytes the academy "
        f"answered {answer.status}: {answer.body[:300]}"
    )


# --- a hand-in forged by another site

CSRF = "the CSRF defence (app/platform/csrf.py)"
FORGERY_WAIT_MS = 15_000
# the academy's hand-in form, as the attacker copies it: everything but its token
HAND_IN_FILE, HAND_IN_NOTES = "file", "notes"


@when(
    'a page on another site, open in their browser, hands in "{sample}" for {module:CourseModule}'
)
def step_forged_hand_in(context, sample, module):
    """The attacker's page, on another origin, sends the module's hand-in form in the student's
    signed-in browser: a multipart POST whose file input its script filled with the sample PDF,
    without the form's token, which another site cannot read."""
    content = context.fixtures.sample_file("academy_security", sample).read_bytes()
    student, course = _student(context), _course(context)
    context.learned["progress before forgery"] = progress_in_course(
        context.db.academy, student, course
    )
    context.learned["before forgery"] = everything(context.db)
    forged = ForgedForm(
        f"{context.app.base_url}{_module_path(context, module)}/assignment",
        {HAND_IN_NOTES: "Handed in by another site"},
        "post",
        MULTIPART,
        {HAND_IN_FILE: ForgedFile(sample, content, "application/pdf")},
    )
    context.learned["forged answer"] = submit_from_foreign_site(
        context.page, forged, FORGERY_WAIT_MS
    )


@then(
    '"{email}" has handed in nothing for {module:CourseModule}, and their progress in the '
    "course is as it was"
)
def step_no_forged_hand_in(context, email, module):
    """AssignmentSubmissions holds no hand-in of the module by the student, and their
    enrollment, completions, watched videos, attempts and hand-ins are as before the forgery."""
    assert context.learned["student"] == email, (
        f"the scenario is about {context.learned['student']}"
    )
    student, course = _student(context), _course(context)
    stored = assignment_submissions(context.db.academy, student, course, module)
    assert stored == [], (
        f"{CSRF}: a hand-in sent from another site is stored for {email}: "
        f"{[(row['FileName'], row['Notes']) for row in stored]}"
    )
    before = context.learned["progress before forgery"]
    now = progress_in_course(context.db.academy, student, course)
    assert now == before, (
        f"{CSRF}: the request from another site changed {email}'s progress: "
        f"before {before}, now {now}"
    )
