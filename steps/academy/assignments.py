"""E-learning academy: handing in a module's assignment, and what the academy keeps of it."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from pathlib import Path

from behave import given, then, when
from playwright.sync_api import FilePayload, expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from harness.long_text import spelled_out
from pages.academy.assignment import AssignmentScreen
from pages.academy.module import ModuleScreen
from products.academy.rules import MAX_ASSIGNMENT_BYTES, PDF_SIGNATURE
from products.academy.sample_pdfs import plain_pdf
from products.academy.words import HandIn
from queries.academy import (
    add_submission,
    assignment_submissions,
    assignment_submissions_of_module,
)


def _sample_file(context, name: str) -> Path:
    """A sample file of the feature (fixtures/<feature>/files/<name>)."""
    return context.fixtures.sample_file(context.fixture_folder, name)


def _payload(context, hand_in: HandIn) -> FilePayload:
    if hand_in.size is not None:
        content = plain_pdf(hand_in.size)  # a one-page PDF padded to the size
    else:
        content = _sample_file(context, hand_in.sample).read_bytes()
    name = hand_in.file_name
    declared = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FilePayload(name=name, mimeType=declared, buffer=content)


def _submissions(context, module: str) -> list[dict]:
    learned = context.learned
    return assignment_submissions(
        context.db.academy, learned["student_id"], learned["course_id"], module
    )


# "{2000 accented letters}": letters of two bytes each in UTF-8, so that a limit counted in
# bytes and one counted in characters give different answers
_ACCENTED = re.compile(r"\{(\d+) accented letters?\}")
_ACCENTED_LETTERS = "éñøüçåžł"


def _notes(text: str) -> str:
    """The notes a feature writes short, in full: "{N letters}", "{N accented letters}"."""
    accented = _ACCENTED.sub(
        lambda match: "".join(
            _ACCENTED_LETTERS[index % len(_ACCENTED_LETTERS)]
            for index in range(int(match.group(1)))
        ),
        text,
    )
    return spelled_out(accented)


@when(
    'they hand in {file:HandIn} for {module:CourseModule} with the notes "{notes}" past the '
    "notes box"
)
def step_hand_in_past_the_box(context, file, module, notes):
    """As a student whose browser ignores the notes box's limit (its maxlength removed)."""
    step_hand_in(context, file, module, notes, past_the_box=True)


@when('they hand in {file:HandIn} for {module:CourseModule} with the notes "{notes}"')
@when("they hand in {file:HandIn} for {module:CourseModule}")
def step_hand_in(context, file, module, notes="", past_the_box=False):
    """Opens the module's assignment and sends the file with the notes; the page answers."""
    payload = _payload(context, file)
    notes = _notes(notes)
    context.learned["hand-in"] = {
        "module": module,
        "payload": payload,
        "notes": notes,
        "stored before": len(_submissions(context, module)),
    }
    ModuleScreen(context.page, context.learned["course_id"], module).reach().submit_assignment()
    screen = AssignmentScreen(context.page)
    if past_the_box:
        screen.lift_the_notes_limit()
    screen.hand_in(payload, notes)
    expect(screen.assignment_error.or_(screen.assignment_submitted)).to_be_visible()


@then('the hand-in is refused: "{message}"')
def step_hand_in_refused(context, message):
    """The assignment page says why."""
    sent = context.learned["hand-in"]["payload"]
    rule = (
        f"an assignment must be a PDF by its content, of at most {MAX_ASSIGNMENT_BYTES} bytes: "
        f"{sent['name']} ({len(sent['buffer'])} bytes, starting {sent['buffer'][:5]!r}) is refused"
    )
    expect(AssignmentScreen(context.page).assignment_error, rule).to_contain_text(message)


@then("nothing of the hand-in is stored")
def step_nothing_stored(context):
    """Rule: a refused hand-in leaves no submission behind."""
    hand_in = context.learned["hand-in"]
    stored = _submissions(context, hand_in["module"])
    assert len(stored) == hand_in["stored before"], (
        f"a refused assignment stores nothing: {hand_in['payload']['name']} was stored "
        f"({[row['FileName'] for row in stored]})"
    )


@then("the hand-in is accepted and stored as it was sent, with its notes")
def step_hand_in_stored(context):
    """Rule: a PDF (by content, whatever its name) of at most 2 MB is stored byte for byte."""
    hand_in = context.learned["hand-in"]
    sent = hand_in["payload"]
    rule = (
        f"a PDF of at most {MAX_ASSIGNMENT_BYTES} bytes is accepted, whatever its name: "
        f"{sent['name']} ({len(sent['buffer'])} bytes)"
    )
    assert sent["buffer"].startswith(PDF_SIGNATURE), "the example should send a PDF"
    expect(AssignmentScreen(context.page).assignment_submitted, rule).to_be_visible()
    _check_stored(context, hand_in["module"], sent, hand_in["notes"], rule)


@then("the hand-in is accepted and stored with the first {kept:d} characters of its notes")
def step_hand_in_stored_with_notes_cut(context, kept):
    """Rule: notes are kept up to their limit; the notes box takes no more than that."""
    hand_in = context.learned["hand-in"]
    typed = hand_in["notes"]
    assert len(typed) >= kept, f"the example should type at least {kept} characters of notes"
    rule = f"notes are kept up to {kept} characters; {len(typed)} were typed"
    expect(AssignmentScreen(context.page).assignment_submitted, rule).to_be_visible()
    _check_stored(context, hand_in["module"], hand_in["payload"], typed[:kept], rule)


def _check_stored(context, module: str, sent: FilePayload, notes: str, rule: str) -> None:
    stored = _submissions(context, module)
    assert stored, f"{rule}: nothing is stored for {module}"
    found = stored[-1]
    kept = {
        key: found[key]
        for key in ("FileName", "ContentType", "SizeBytes", "ContentSha256", "Notes")
    }
    expected = {
        "FileName": sent["name"],
        "ContentType": "application/pdf",  # what the content is, whatever the browser declared
        "SizeBytes": len(sent["buffer"]),
        "ContentSha256": hashlib.sha256(sent["buffer"]).hexdigest(),
        "Notes": notes,
    }
    assert kept == expected, f"{rule}: stored {kept}, sent {expected}"


@then('the assignment "{name}" of "{email}" is stored for {module:CourseModule}, with its notes')
def step_assignment_stored(context, name, email, module):
    """Rule: the handed-in assignment is kept as sent: its name, size, bytes and notes."""
    hand_in = context.learned["hand-in"]
    assert email == context.learned["student"], (
        f"the scenario is about {context.learned['student']}"
    )
    assert (hand_in["module"], hand_in["payload"]["name"]) == (module, name), (
        f"the scenario handed in {hand_in['payload']['name']} for {hand_in['module']}"
    )
    rule = f"{email}'s assignment {name} is stored as it was handed in"
    _check_stored(context, module, hand_in["payload"], hand_in["notes"], rule)


@given('their hand-in of "{name}" for {module:CourseModule} is stored')
def step_hand_in_stored_before(context, name, module):
    """Writes the student's hand-in of the sample file for the module."""
    learned = context.learned
    content = _sample_file(context, name).read_bytes()
    add_submission(
        context.db.academy, learned["student_id"], learned["course_id"], module, name, content
    )


@when("they open the assignment of {module:CourseModule}")
def step_open_assignment(context, module):
    """Opens the module's assignment page from the module's page."""
    ModuleScreen(context.page, context.learned["course_id"], module).reach().submit_assignment()
    context.learned["assignment module"] = module


@then("the assignment page shows nothing handed in")
def step_nothing_handed_in(context):
    """Rule: a student sees only their own hand-ins: the page shows none of another's."""
    module = context.learned["assignment module"]
    others = [
        row["FileName"]
        for row in assignment_submissions_of_module(
            context.db.academy, context.learned["course_id"], module
        )
    ]
    assert others, f"the example needs another student's hand-in for {module}"
    rule = f"a student sees nothing of another student's hand-in for {module} ({others})"
    screen = AssignmentScreen(context.page)
    expect(screen.submit_button, rule).to_be_visible()
    expect(screen.assignment_submitted, rule).to_have_count(0)
    for name in others:
        expect(context.page.locator("body"), rule).not_to_contain_text(name)
