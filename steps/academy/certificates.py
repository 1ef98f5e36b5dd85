"""E-learning academy: the completed course, its certificate (the PDF and its row), and the
enrollment's final state."""

from __future__ import annotations

from fnmatch import fnmatch
from io import BytesIO

from behave import then
from playwright.sync_api import expect
from pypdf import PdfReader

from pages.academy.courses import CourseScreen
from products.academy.rules import PDF_SIGNATURE, best_score, completion_date, final_score
from queries.academy import (
    certificates_of,
    enrollment_with_certificate,
    module_completions,
    records_of,
)
from spanner.assertions import eventually


def _enrollment(context) -> dict | None:
    learned = context.learned
    return enrollment_with_certificate(
        context.db.academy, learned["student_id"], learned["course_id"]
    )


def _completions(context) -> list[dict]:
    learned = context.learned
    return module_completions(context.db.academy, learned["student_id"], learned["course_id"])


def _same_student(context, email: str) -> None:
    assert email == context.learned["student"], (
        f"the scenario is about {context.learned['student']}"
    )


def _squeezed(text: str) -> str:
    """Text without its white space: a PDF may break a line anywhere."""
    return "".join(text.split())


def _pdf_text(content: bytes) -> str:
    """The text of every page of the PDF, without white space."""
    reader = PdfReader(BytesIO(content))
    return _squeezed(" ".join(page.extract_text() or "" for page in reader.pages))


@then("the course shows as completed, with its certificate to download")
def step_course_shows_completed(context):
    """The course page shows the course completed and offers the certificate."""
    screen = CourseScreen(context.page, context.learned["course_id"]).open()
    rule = "completing the last module completes the course and offers its certificate"
    expect(screen.course_completed, rule).to_be_visible()
    expect(screen.download_certificate_link, rule).to_be_visible()


@then('the certificate downloads as a PDF file named like "{pattern}"')
def step_certificate_downloads(context, pattern):
    """Downloads the certificate from the course page; keeps the file for the next checks."""
    download = (
        CourseScreen(context.page, context.learned["course_id"]).open().download_certificate()
    )
    name = download.suggested_filename
    content = download.path().read_bytes()
    assert fnmatch(name, pattern), f"the certificate's file is named like {pattern}: {name}"
    assert content.startswith(PDF_SIGNATURE), (
        f"the certificate is a PDF file: {name} starts with {content[:16]!r}"
    )
    context.learned["certificate"] = {"name": name, "content": content}


@then(
    'the certificate names "{name}", the course "{title}", the completion date and its '
    "certificate id"
)
def step_certificate_names(context, name, title):
    """Rule: the certificate (its PDF and its row) names the student, the course, the day the
    course was completed (the academy's business day) and its own id."""
    enrollment = _enrollment(context)
    assert enrollment and enrollment["CertificateID"], f"no certificate is stored: {enrollment}"
    completed_on = completion_date(enrollment["CompletedAt"])
    expected_row = {"StudentName": name, "CourseTitle": title, "CompletedOn": completed_on}
    stored = {key: enrollment[key] for key in expected_row}
    assert stored == expected_row, (
        f"the certificate is made out to the student, for the course, on the day it was "
        f"completed: stored {stored}, expected {expected_row}"
    )
    text = _pdf_text(context.learned["certificate"]["content"])
    wanted = {
        "the student's name": name,
        "the course": title,
        "the completion date": completed_on.isoformat(),
        "the certificate id": enrollment["CertificateID"],
    }
    missing = [
        f"{what} ({value})" for what, value in wanted.items() if _squeezed(value) not in text
    ]
    assert not missing, (
        f"the certificate names the student, the course, the completion date and its id; "
        f"{context.learned['certificate']['name']} lacks {', '.join(missing)}: {text[:300]!r}"
    )


@then('the certificate is made out to "{name}" and prints the name as "{printed}"')
def step_certificate_prints_name(context, name, printed):
    """Rule: the certificate's row keeps the student's name as it is; the PDF prints it with
    the letters its typeface has (Latin-1), without the accents of a name it cannot print."""

    def check() -> None:
        enrollment = _enrollment(context)
        stored = enrollment["StudentName"] if enrollment else None
        assert stored == name, f"the certificate is made out to {name!r}, stored {stored!r}"

    eventually(check, context.settings.db_poll_timeout)
    text = _pdf_text(context.learned["certificate"]["content"])
    assert _squeezed(printed) in text, (
        f"the certificate prints {name!r} as {printed!r}: {text[:300]!r}"
    )


@then(
    'the enrollment of "{email}" is completed, with the mean of the best quiz scores as final '
    "score (at least {minimum:d}), a certificate id and its issue time"
)
def step_enrollment_completed(context, email, minimum):
    """Rule: the last module completes the enrollment in the same transaction that issues the
    certificate; the final score is the mean of the best quiz scores, rounded half up."""
    _same_student(context, email)
    best = [best_score(scores) for scores in context.learned["quiz scores"].values()]
    expected_score = final_score(best)

    def check() -> None:
        enrollment = _enrollment(context)
        assert enrollment and enrollment["Status"] == "completed", (
            f"completing the last module completes the course: {enrollment}"
        )
        assert enrollment["CompletedAt"] is not None, f"no completion time: {enrollment}"
        assert enrollment["CertificateID"] and enrollment["IssuedAt"], (
            f"completing the course issues a certificate with an id and an issue time: {enrollment}"
        )
        last = list(context.learned["modules"])[-1]
        completed = {row["ModuleID"]: row["CompletedAt"] for row in _completions(context)}
        assert enrollment["IssuedAt"] == completed.get(last) == enrollment["CompletedAt"], (
            f"the certificate is issued in the transaction that completes the last module and "
            f"the course: issued {enrollment['IssuedAt']}, {last} completed {completed.get(last)}"
            f", the course completed {enrollment['CompletedAt']}"
        )
        assert enrollment["FinalScore"] == expected_score >= minimum, (
            f"the final score is the mean of the best quiz scores {best}, rounded half up "
            f"({expected_score}, at least {minimum}): stored {enrollment['FinalScore']}"
        )

    eventually(check, context.settings.db_poll_timeout)


@then(
    'the completions of "{email}" are the five modules in module order, each quiz at or above '
    "its minimum:"
)
def step_completions_in_order(context, email):
    """Rule: a module is completed only after the ones before it, each quiz module with its
    best score, at or above its minimum."""
    _same_student(context, email)
    modules = context.learned["modules"]
    expected = [
        (row["module"], int(row["score"]) if row["score"] else None) for row in context.table
    ]
    assert [module for module, _ in expected] == list(modules), (
        "the table lists the course's modules"
    )
    rows = _completions(context)
    found = [(row["ModuleID"], row["Score"]) for row in rows]
    assert found == expected, (
        f"modules are completed one after another in module order, each with its best quiz "
        f"score: recorded {found}, expected {expected}"
    )
    times = [row["CompletedAt"] for row in rows]
    assert times == sorted(set(times)), f"each module is completed after the one before: {times}"
    below = [
        f"{module} at {score}% (minimum {modules[module]['MinScore']}%)"
        for module, score in found
        if modules[module]["MinScore"] is not None and score < modules[module]["MinScore"]
    ]
    assert not below, f"a quiz module is completed only at or above its minimum: {below}"


@then("the course is not shown as completed and offers no certificate")
def step_no_certificate_offered(context):
    """The course page lists the modules but shows no completion and no certificate link."""
    screen = CourseScreen(context.page, context.learned["course_id"]).open()
    rule = "a student gets no certificate before every module is complete, nor another student's"
    expect(screen.module(next(iter(context.learned["modules"])))).to_be_visible()
    expect(screen.course_completed, rule).to_have_count(0)
    expect(screen.download_certificate_link, rule).to_have_count(0)


@then("asking for the certificate directly is refused")
def step_certificate_refused(context):
    """Rule: the certificate's address gives no certificate before the course is complete."""
    response = CourseScreen(
        context.page, context.learned["course_id"]
    ).ask_for_certificate_directly()
    body = response.body()
    assert response.status == 404 and not body.startswith(PDF_SIGNATURE), (
        f"a student gets no certificate before every module is complete, nor another "
        f"student's: status {response.status}, {body[:60]!r}"
    )


@then('"{email}" has no certificate and the course is still in progress')
def step_no_certificate_stored(context, email):
    """Rule: no certificate row, and the enrollment not completed, before every module is."""
    _same_student(context, email)
    enrollment = _enrollment(context)
    state = {key: enrollment[key] for key in ("Status", "CompletedAt", "FinalScore")}
    assert state == {"Status": "in_progress", "CompletedAt": None, "FinalScore": None}, (
        f"a course with a module left is still in progress: {state}"
    )
    found = certificates_of(
        context.db.academy, context.learned["student_id"], context.learned["course_id"]
    )
    assert not found, f"there is no certificate before every module is complete: {found}"


@then('"{email}" has one certificate for the course, the one issued the first time')
def step_one_certificate(context, email):
    """Rule: completing again creates nothing new: the same certificate, the same completion."""
    _same_student(context, email)
    before = context.learned["certificates before"]
    assert len(before) == 1, f"the first completion issues one certificate: {before}"
    after = certificates_of(
        context.db.academy, context.learned["student_id"], context.learned["course_id"]
    )
    assert after == before, (
        f"completing twice gives one certificate, the first: before {before}, after {after}"
    )
    enrollment = _enrollment(context)
    first = context.learned["enrollment before"]
    assert enrollment == first, (
        f"completing again leaves the completed course as it was: {first} -> {enrollment}"
    )
    modules = sorted(row["ModuleID"] for row in _completions(context))
    assert modules == sorted(context.learned["modules"]), (
        f"completing again records nothing new: each module is completed once: {modules}"
    )


@then('the certificate of "{email}" is still the one she was issued')
def step_bystander_certificate_kept(context, email):
    """Rule: another student's completion changes nothing of a certificate already issued."""
    bystander = context.learned["bystanders"][email]
    now = records_of(context.db.academy, bystander["student_id"], context.learned["course_id"])
    assert now == bystander["records"], (
        f"a certificate is made out to its own student, and another's completion leaves it as "
        f"issued: {email}'s records {bystander['records']} -> {now}"
    )
    issued = bystander["records"]["enrollment"]["CertificateID"]
    mine = _enrollment(context)
    assert mine and mine["CertificateID"] != issued, (
        f"each student gets a certificate of their own: {context.learned['student']} holds "
        f"{mine and mine['CertificateID']}, {email} holds {issued}"
    )
