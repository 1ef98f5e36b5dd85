"""The academy's rules as pure functions: scoring, order, the video, uploads, readiness to
complete, the certificate's PDF, dates and the product's declarations."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from app.academy import assignments, certificate, certificate_pdf, progress, scoring, video
from app.academy.completion import course_final_score
from app.academy.dates import la_date_of
from app.academy.pdf_check import pdf_problem
from app.academy.product import PRODUCT as APP
from app.academy.progress import Module
from app.academy.readiness import Evidence, completion_problem
from products import PRODUCTS
from products.academy import PRODUCT
from products.academy.sample_pdfs import plain_pdf

# Scoring ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("right", "questions", "percent"),
    [
        (0, 10, 0),
        (8, 10, 80),
        (10, 10, 100),
        (1, 8, 13),  # 12.5 rounds up
        (7, 8, 88),  # 87.5 rounds up
        (3, 8, 38),  # 37.5 rounds up
        (1, 3, 33),  # 33.3 rounds down
        (2, 3, 67),  # 66.7 rounds up
        (5, 6, 83),  # 83.3 rounds down
        (17, 20, 85),
    ],
)
def test_score_is_the_percentage_right_rounded_half_up(
    right: int, questions: int, percent: int
) -> None:
    key = [1] * questions
    given = [1] * right + [0] * (questions - right)
    assert scoring.quiz_score(given, key) == percent


def test_round_half_up_on_exact_halves_and_a_bad_denominator() -> None:
    assert [scoring.round_half_up(n, 2) for n in range(6)] == [0, 1, 1, 2, 2, 3]
    assert scoring.round_half_up(249, 10) == 25
    assert scoring.round_half_up(244, 10) == 24
    assert scoring.round_half_up(700, 1) == 700  # a quiz of one question
    with pytest.raises(ValueError, match="denominator"):
        scoring.round_half_up(1, 0)


def test_unanswered_questions_are_wrong() -> None:
    key = [0, 1, 2, 3]
    assert scoring.quiz_score([0, None, 2, None], key) == 50
    assert scoring.quiz_score([None] * 4, key) == 0
    with pytest.raises(ValueError, match="2 answers for 4 questions"):
        scoring.quiz_score([0, 1], key)
    # the answer is compared with the key question by question, not as a set
    assert scoring.quiz_score([3, 2, 1, 0], key) == 0


def test_a_quiz_without_questions_cannot_be_scored() -> None:
    with pytest.raises(ValueError, match="at least one question"):
        scoring.quiz_score([], [])


def test_the_best_attempt_counts() -> None:
    assert scoring.best_score([60, 100, 40]) == 100
    assert scoring.best_score([70]) == 70
    assert scoring.best_score([]) is None


@pytest.mark.parametrize(
    ("best", "minimum", "meets"),
    [(80, 80, True), (79, 80, False), (100, 90, True), (0, 0, True), (None, 0, False)],
)
def test_the_minimum_is_inclusive_and_no_attempt_never_meets_it(
    best: int | None, minimum: int, meets: bool
) -> None:
    assert scoring.meets_minimum(best, minimum) is meets


def test_the_minimum_message_names_the_minimum() -> None:
    assert scoring.minimum_message(80) == (
        "You need at least 80% on the quiz to complete this module."
    )
    assert "85%" in scoring.minimum_message(85)


def test_final_score_is_the_mean_of_best_scores_rounded_half_up() -> None:
    assert scoring.final_score([80, 85, 90]) == 85
    assert scoring.final_score([85, 90]) == 88  # 87.5
    assert scoring.final_score([80, 85, 91]) == 85  # 85.33
    assert scoring.final_score([100]) == 100
    assert scoring.final_score([]) is None


def test_final_score_counts_the_quiz_modules_only() -> None:
    scores = {"m1": 80, "m2": None, "m3": 91, "m4": None, "m5": 90}
    assert course_final_score(COURSE, scores) == 87  # (80 + 91 + 90) / 3 = 87
    assert course_final_score([module("m2", 1)], {"m2": None}) is None


# Order ------------------------------------------------------------------------------------


def module(
    module_id: str, position: int, min_score: int | None = None, assignment: bool = False
) -> Module:
    return Module("c", module_id, position, module_id, "v.webm", min_score, assignment)


COURSE = [
    module("m3", 3, 85),
    module("m1", 1, 80),
    module("m2", 2),
    module("m5", 5, 90),
    module("m4", 4, assignment=True),
]
M1, M2, M3, M4, M5 = sorted(COURSE, key=lambda m: m.position)


def test_the_first_unfinished_earlier_module_blocks_by_position_not_list_order() -> None:
    assert progress.first_unfinished_before(COURSE, set(), M1) is None
    assert progress.first_unfinished_before(COURSE, set(), M3) == "m1"
    assert progress.first_unfinished_before(COURSE, {"m1"}, M3) == "m2"
    assert progress.first_unfinished_before(COURSE, {"m1", "m2"}, M3) is None
    # later modules never block; only lower positions count
    assert progress.first_unfinished_before(COURSE, {"m1"}, M2) is None
    assert progress.first_unfinished_before(COURSE, {"m1", "m2", "m4"}, M5) == "m3"
    assert progress.order_message("module-01") == "Complete module-01 first."


def test_states_of_the_modules() -> None:
    assert progress.states(COURSE, {"m1"}) == {
        "m1": "completed",
        "m2": "available",
        "m3": "locked",
        "m4": "locked",
        "m5": "locked",
    }
    assert progress.states(COURSE, set())["m1"] == "available"


def test_a_course_is_complete_when_every_module_is() -> None:
    assert not progress.all_completed(COURSE, {"m1", "m2", "m3", "m4"})
    assert progress.all_completed(COURSE, {"m1", "m2", "m3", "m4", "m5"})
    assert not progress.all_completed([], set())


# The video ---------------------------------------------------------------------------------


def test_a_video_must_be_reported_finished() -> None:
    assert video.video_problem(False) == "Watch the video to the end first."
    assert video.video_problem(True) is None


def test_the_video_address() -> None:
    # the academy serves the video itself, so that it knows whom it served it to
    assert video.video_url("/courses/c/modules/m") == "/courses/c/modules/m/video"


# Uploads -----------------------------------------------------------------------------------

PDF = plain_pdf()


def test_a_pdf_is_judged_by_its_content() -> None:
    assert pdf_problem(PDF) is None
    for content in (
        b"PK\x03\x04 a zip called essay.pdf",
        b" " + PDF,  # the header must come first
        b"%PDF",  # a prefix of the header is not enough
        b"",
    ):
        assert pdf_problem(content) is not None, content[:20]
    assert assignments.upload_problem(b"plain text", "") == "The assignment must be a PDF file."


def test_the_size_limit_is_2_mib_inclusive() -> None:
    limit = 2 * 1024 * 1024
    assert assignments.MAX_ASSIGNMENT_BYTES == limit
    exactly = plain_pdf(limit)
    assert assignments.upload_problem(exactly, "") is None
    assert assignments.upload_problem(plain_pdf(limit + 1), "") == (
        "The assignment must be at most 2 MB."
    )
    # a large file is refused for its size, whatever it holds
    assert assignments.upload_problem(b"y" * (limit + 1), "") == (
        "The assignment must be at most 2 MB."
    )


def test_notes_are_bounded() -> None:
    assert assignments.upload_problem(PDF, "n" * 2000) is None
    assert assignments.upload_problem(PDF, "n" * 2001) == (
        "The notes must be at most 2000 characters."
    )


def test_the_stored_file_name_has_no_folder_and_fits_the_column() -> None:
    assert assignments.file_name("essay.pdf") == "essay.pdf"
    assert assignments.file_name("C:\\Users\\me\\essay.pdf") == "essay.pdf"
    assert assignments.file_name("../../etc/passwd") == "passwd"
    assert assignments.file_name("") == "assignment.pdf"
    assert assignments.file_name(None) == "assignment.pdf"
    assert len(assignments.file_name("a" * 300 + ".pdf")) == 255


# Readiness to complete ---------------------------------------------------------------------

DONE = Evidence(video_finished=True, best_score=100, submitted=True)


@pytest.mark.parametrize(
    ("target", "completed", "evidence", "problem"),
    [
        (M1, set(), DONE, None),
        (M2, set(), DONE, "Complete m1 first."),
        (M1, set(), Evidence(False, 100, True), "Watch the video to the end first."),
        (M1, set(), Evidence(True, 79, False), scoring.minimum_message(80)),
        (M1, set(), Evidence(True, None, False), scoring.minimum_message(80)),
        (M1, set(), Evidence(True, 80, False), None),
        (M2, {"m1"}, Evidence(True, None, False), None),
        (M4, {"m1", "m2", "m3"}, Evidence(True, None, False), "Submit the assignment first."),
        (M4, {"m1", "m2", "m3"}, Evidence(True, None, True), None),
        (M5, {"m1", "m2", "m3", "m4"}, Evidence(True, 89, False), scoring.minimum_message(90)),
        # the order is told first, then the video, then the quiz
        (M3, {"m1"}, Evidence(False, 0, False), "Complete m2 first."),
        (M3, {"m1", "m2"}, Evidence(False, 0, False), "Watch the video to the end first."),
    ],
)
def test_what_keeps_a_module_from_completion(
    target: Module, completed: set[str], evidence: Evidence, problem: str | None
) -> None:
    assert completion_problem(COURSE, completed, target, evidence) == problem


# The certificate ---------------------------------------------------------------------------


def test_the_certificate_pdf_names_student_course_date_and_id() -> None:
    issued = certificate.Certificate(
        certificate_id=str(uuid.uuid4()),
        course_id="course-advanced-js",
        student_name="Alex Student",
        course_title="Advanced JavaScript",
        completed_on=date(2026, 3, 9),
    )
    content = certificate_pdf.pdf_bytes(issued)
    assert content.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    for expected in ("Alex Student", "Advanced JavaScript", "2026-03-09", issued.certificate_id):
        assert expected in text
    assert certificate.file_name(issued) == (
        f"certificate-course-advanced-js-{issued.certificate_id}.pdf"
    )


def test_names_the_pdf_fonts_cannot_write_are_made_plain() -> None:
    assert certificate.printable("Zoë Müller") == "Zoë Müller"  # Latin-1: as it is
    assert certificate.printable("Łukasz Żółć") == "Lukasz Zolc"
    assert certificate.printable("李") == "?"
    long_name = certificate.Certificate("id-1", "c", "A" * 200, "T" * 200, date(2026, 1, 1))
    text = PdfReader(io.BytesIO(certificate_pdf.pdf_bytes(long_name))).pages[0].extract_text()
    assert "A" * 200 in text and "T" * 200 in text


# Dates and declarations --------------------------------------------------------------------


def test_the_completion_date_is_the_los_angeles_date() -> None:
    # 05:30 UTC on March 10th is still March 9th in Los Angeles (PDT, UTC-7)
    assert la_date_of(datetime(2026, 3, 10, 5, 30, tzinfo=UTC)) == date(2026, 3, 9)
    assert la_date_of(datetime(2026, 3, 10, 7, 30, tzinfo=UTC)) == date(2026, 3, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        la_date_of(datetime(2026, 3, 10, 5, 30))


def test_the_academy_is_declared_to_the_suite_and_the_platform() -> None:
    assert PRODUCT in PRODUCTS
    assert (PRODUCT.name, PRODUCT.databases, PRODUCT.app_module) == (
        "academy",
        ("academy",),
        "app.academy",
    )
    assert (APP.title, APP.databases) == ("E-learning academy", ("academy",))
