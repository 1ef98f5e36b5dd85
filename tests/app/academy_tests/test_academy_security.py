"""The academy's defences where a browser cannot reach them: an upload's body never read past
its cap (with or without a Content-Length), attempts sent at once, a video's end judged by
Spanner's clock against the video's own length, and the parsers (answers, PDFs, names,
settings) on their edge cases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest
from academy_testkit import (
    COURSE_MODULES,
    add_student,
    answers,
    log_in,
    module_path,
    rows,
    serve_earlier,
    text_of,
)
from fastapi.testclient import TestClient

from app.academy import learning
from app.academy.answers import InvalidAnswer, choice_of
from app.academy.assignments import (
    MAX_ASSIGNMENT_BYTES,
    MAX_FILE_NAME_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_UPLOAD_BODY_BYTES,
    file_name,
)
from app.academy.attempts import QuizClosed, attempts_left
from app.academy.pdf_check import pdf_problem
from app.academy.rules_settings import load_rules
from app.academy.video import VIDEO_FOLDER
from app.academy.video_length import NoVideoLength, seconds_of, video_seconds
from app.platform.db import Databases
from app.platform.settings import SettingsError
from products.academy import sample_pdfs

DATABASE_ID = "app-academy-security"
QUIZ_1, VIDEO_ONLY, ASSIGNMENT, QUIZ_4 = COURSE_MODULES
CHUNK = 64 * 1024
VIDEO_END_CHECK = "the video-end check (served to this session, its length ago)"
NOT_SERVED = "The video's end was not recorded: play the video on its module's page first."
TOO_SOON = "The video's end was not recorded: play the video through to its end."


@pytest.fixture()
def enrolled(client: TestClient, databases: Databases, course_id: str) -> str:
    student_id, email = add_student(databases)
    log_in(client, email)
    assert client.post(f"/courses/{course_id}/start").status_code == 303
    return student_id


# Uploads: the body is judged by its size before it is read ----------------------------------


class CountingBody:
    """An ASGI receive that hands out a multipart body chunk by chunk, counting what was read."""

    def __init__(self, total: int) -> None:
        self.head = (
            b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
        )
        self.total = total
        self.read = 0

    async def __call__(self) -> dict:
        if self.read >= self.total:
            return {"type": "http.disconnect"}
        size = min(CHUNK, self.total - self.read)
        body = (self.head + b"%" * (size - len(self.head))) if self.read == 0 else b"%" * size
        self.read += size
        return {"type": "http.request", "body": body, "more_body": self.read < self.total}


def _post_raw(client: TestClient, path: str, body: CountingBody, length: str | None) -> int:
    """POSTs ``body`` to the app itself (no test client in between), with the client's cookies
    and form token; returns the answer's status."""
    headers = [
        (b"content-type", b"multipart/form-data; boundary=B"),
        (b"cookie", "; ".join(f"{k}={v}" for k, v in client.cookies.items()).encode()),
        (b"x-csrf-token", client.cookies.get("csrf", "").encode()),
        (b"host", b"testserver"),
    ]
    if length is not None:
        headers.append((b"content-length", length.encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }  # fmt: skip
    statuses: list[int] = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    anyio.run(client.app, scope, body, send)
    return statuses[0]


def test_an_upload_announcing_more_than_the_limit_is_refused_unread(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = f"{module_path(course_id, ASSIGNMENT.module_id)}/assignment"
    client.get(path)  # the form, and its token
    body = CountingBody(50 * 1024 * 1024)
    status = _post_raw(client, path, body, length=str(body.total))
    assert body.read == 0, (
        f"the upload size limit judges the announced size before reading: {body.read} bytes "
        "of the body were read first"
    )
    assert status == 413
    assert not rows(databases, "SELECT 1 FROM AssignmentSubmissions WHERE StudentID = @s",
                    s=enrolled)  # fmt: skip


def test_an_upload_without_a_length_is_stopped_at_the_limit(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = f"{module_path(course_id, ASSIGNMENT.module_id)}/assignment"
    client.get(path)
    body = CountingBody(50 * 1024 * 1024)
    status = _post_raw(client, path, body, length=None)
    assert body.read <= MAX_UPLOAD_BODY_BYTES + CHUNK, (
        f"the upload size limit stops a body sent without a length at the cap: {body.read} of "
        f"{body.total} bytes were read (cap {MAX_UPLOAD_BODY_BYTES})"
    )
    assert status == 413


def test_a_malformed_length_is_refused_unread(
    client: TestClient, enrolled: str, course_id: str
) -> None:
    path = f"{module_path(course_id, ASSIGNMENT.module_id)}/assignment"
    client.get(path)
    body = CountingBody(1024)
    assert _post_raw(client, path, body, length="1e9") == 400
    assert body.read == 0


# Quiz attempts: limited, also when sent at once ----------------------------------------------


def test_attempts_sent_at_once_never_pass_the_limit(
    databases: Databases, enrolled: str, course_id: str
) -> None:
    key = {number: correct for number, correct in enumerate(QUIZ_1.key, start=1)}

    def attempt(_: int) -> str:
        try:
            learning.submit_quiz(databases.academy, enrolled, course_id, QUIZ_1.module_id, key, 3)
        except QuizClosed:
            return "closed"
        return "kept"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, range(6)))
    kept = rows(databases, "SELECT Score FROM QuizAttempts WHERE StudentID = @s AND ModuleID = @m",
                s=enrolled, m=QUIZ_1.module_id)  # fmt: skip
    assert (outcomes.count("kept"), outcomes.count("closed"), len(kept)) == (3, 3, 3), (
        f"three attempts at most, even sent at once (the attempts limit): {outcomes}, {kept}"
    )


def test_the_fourth_attempt_is_refused_and_the_quiz_page_is_closed(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = module_path(course_id, QUIZ_1.module_id)
    for right in (1, 2, 3):
        r = client.post(f"{path}/quiz", data=answers(QUIZ_1.key, right))
        assert r.status_code == 303, r.text
    result = client.get(r.headers["location"]).text
    assert "Attempts left: 0." in result and 'data-testid="retake-quiz"' not in result
    r = client.post(f"{path}/quiz", data=answers(QUIZ_1.key, 5))
    assert r.status_code == 409, f"the attempts limit: a fourth attempt answered {r.status_code}"
    assert "You have used all 3 attempts" in text_of(r.text, "quiz-error")
    page = client.get(f"{path}/quiz").text
    assert 'data-testid="quiz-closed"' in page and 'data-testid="submit-quiz"' not in page
    scores = rows(databases, "SELECT Score FROM QuizAttempts WHERE StudentID = @s ORDER BY Score",
                  s=enrolled)  # fmt: skip
    assert [row["Score"] for row in scores] == [20, 40, 60]


# Answers read strictly ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["²", "١", "1" * 20, "1" * 5000, "4", "-1", " 1", "1.0", "", "0x1", "１"]
)
def test_an_answer_that_is_no_choice_is_refused_whole(
    client: TestClient, databases: Databases, enrolled: str, course_id: str, value: str
) -> None:
    path = module_path(course_id, QUIZ_1.module_id)
    form = answers(QUIZ_1.key, 5) | {"answer-2": value}
    r = client.post(f"{path}/quiz", data=form)
    assert r.status_code == 400, f"strict answers: {value[:20]!r} answered {r.status_code}"
    assert text_of(r.text, "quiz-error") == (
        "The answer to question 2 is not a valid answer: choose one of its choices."
    )
    assert not rows(databases, "SELECT 1 FROM QuizAttempts WHERE StudentID = @s", s=enrolled)


def test_choice_of_takes_ascii_digits_of_a_real_choice_only() -> None:
    assert choice_of("0", 4, 1) == 0 and choice_of("3", 4, 1) == 3
    assert choice_of(None, 4, 1) is None  # left blank: a wrong answer, not a refusal
    for value in ("4", "²", "٣", "007x", "1" * 4, "+1"):
        with pytest.raises(InvalidAnswer, match="question 7"):
            choice_of(value, 4, 7)


# The video: its end believed only after its length, in the session it was served to ---------


def test_the_video_end_counts_only_after_the_video_s_length(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = module_path(course_id, VIDEO_ONLY.module_id)
    r = client.post(f"{path}/video-finished")
    assert (r.status_code, r.json()) == (409, {"error": NOT_SERVED}), VIDEO_END_CHECK
    assert client.get(f"{path}/video").status_code == 200
    assert client.get(f"{path}/video", headers={"Range": "bytes=0-99"}).status_code == 206
    served = rows(databases, "SELECT ServedAt FROM VideoServings WHERE StudentID = @s",
                  s=enrolled)  # fmt: skip
    assert len(served) == 1, f"the first serving is kept, once: {served}"
    r = client.post(f"{path}/video-finished")
    assert (r.status_code, r.json()) == (409, {"error": TOO_SOON}), (
        f"{VIDEO_END_CHECK}: reported at once"
    )
    serve_earlier(client, path, 2)  # 2 s of a 4 s video, less than its length and the grace
    r = client.post(f"{path}/video-finished")
    assert (r.status_code, r.json()) == (409, {"error": TOO_SOON}), (
        f"{VIDEO_END_CHECK}: reported after 2 s"
    )
    assert not rows(databases, "SELECT 1 FROM VideoViews WHERE StudentID = @s", s=enrolled)
    serve_earlier(client, path, 2)  # now 4 s
    r = client.post(f"{path}/video-finished")
    assert (r.status_code, r.json()) == (200, {"status": "recorded"})
    assert len(rows(databases, "SELECT 1 FROM VideoViews WHERE StudentID = @s", s=enrolled)) == 1


def test_the_video_served_to_one_session_does_not_count_in_another(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    path = module_path(course_id, VIDEO_ONLY.module_id)
    assert client.get(f"{path}/video").status_code == 200
    serve_earlier(client, path, 60)
    [student] = rows(databases, "SELECT Email FROM Students WHERE StudentID = @s", s=enrolled)
    with TestClient(client.app, follow_redirects=False) as second:
        second.event_hooks = client.event_hooks
        log_in(second, student["Email"])
        r = second.post(f"{path}/video-finished")
    assert (r.status_code, r.json()) == (409, {"error": NOT_SERVED}), VIDEO_END_CHECK
    assert not rows(databases, "SELECT 1 FROM VideoViews WHERE StudentID = @s", s=enrolled)


def test_the_video_length_is_the_files_own() -> None:
    assert video_seconds(VIDEO_FOLDER / "course-video.webm") == 4.0
    head = (VIDEO_FOLDER / "course-video.webm").read_bytes()[:4096]
    assert seconds_of(head) == 4.0
    for broken in (b"", b"\x00" * 64, head[:40], b"%PDF-1.7 not a video"):
        with pytest.raises(NoVideoLength):
            seconds_of(broken)


# PDFs judged by reading them ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "active"),
    [
        (sample_pdfs.header_only(), False),
        (sample_pdfs.html_polyglot(), False),
        (sample_pdfs.pdf_with_javascript(), True),
        (sample_pdfs.pdf_with_attached_file(), True),
        # a name written with an escape is the same name
        (sample_pdfs.pdf_with_javascript().replace(b"/S /JavaScript", b"/S /J#61vaScript"), True),
        # an action on a page's event, not on opening
        (sample_pdfs.plain_pdf().replace(b"/Type /Page ", b"/Type /Page /AA << >> "), True),
        # a PDF without a page
        (sample_pdfs.plain_pdf().replace(b"/Kids [3 0 R] /Count 1", b"/Kids [] /Count 0"), False),
    ],
    ids=["header-only", "html", "javascript", "attachment", "escaped-name", "page-action",
         "no-page"],
)  # fmt: skip
def test_what_is_not_a_plain_pdf(content: bytes, active: bool) -> None:
    problem = pdf_problem(content)
    assert problem is not None and problem.active == active, f"the PDF judge: {problem}"


def test_a_plain_pdf_and_one_opening_at_a_page_are_plain() -> None:
    assert pdf_problem(sample_pdfs.plain_pdf()) is None
    opening_at_page = sample_pdfs.plain_pdf().replace(
        b"/Pages 2 0 R ", b"/Pages 2 0 R /OpenAction [3 0 R /Fit] "
    )
    assert pdf_problem(opening_at_page) is None


# File names and settings -------------------------------------------------------------------


def test_a_file_name_loses_what_could_disguise_it() -> None:
    assert file_name("invoice\u202efdp.exe") == "invoicefdp.exe", "the file-name cleaning"
    assert file_name("a\u2066b\u2069c\u200b\u200e.pdf") == "abc.pdf"
    assert file_name("line\nbreak\x00\x1b[31m.pdf") == "linebreak[31m.pdf"
    assert file_name("e\u0301te\u0301.pdf") == "\u00e9t\u00e9.pdf"  # NFC: é, one character
    assert file_name("\u202e\u200b") == "assignment.pdf"
    # a name sent with its folder (a client of its own; browsers send the name only)
    assert file_name("C:\\Users\\ana\\work.pdf") == "work.pdf"
    assert file_name("../../reports/work.pdf") == "work.pdf"


def test_the_attempts_left_count_down_to_none() -> None:
    assert [attempts_left(taken, 4) for taken in range(5)] == [4, 3, 2, 1, 0]
    # the setting lowered between two starts of the app: more taken than now allowed
    assert attempts_left(5, 3) == 0


def test_the_academy_rules_are_settings_with_defaults() -> None:
    assert load_rules({}).quiz_attempts == 3
    assert load_rules({}).video_end_grace_seconds == 1.0
    assert load_rules({"APP_QUIZ_ATTEMPTS": "5"}).quiz_attempts == 5
    bad = [
        {"APP_QUIZ_ATTEMPTS": "0"},
        {"APP_QUIZ_ATTEMPTS": "３"},
        {"APP_VIDEO_END_GRACE_SECONDS": "-1"},
        {"APP_VIDEO_END_GRACE_SECONDS": "x"},
    ]
    for env in bad:
        with pytest.raises(SettingsError, match=next(iter(env))):
            load_rules(env)


BOUNDARY = "----WebKitFormBoundaryAbCdEf012345"
BROWSER_FORM_HEADERS = {
    "content-type": f"multipart/form-data; boundary={BOUNDARY}",
    "x-csrf-token": "",
}


def browser_form(
    csrf: str, pdf: bytes, notes: str | None = None, file_name: str = "work.pdf"
) -> bytes:
    """The assignment form's body as Chromium sends it: the token as its first field (no
    header), the notes when given, the file."""
    notes_part = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="notes"\r\n\r\n{notes}\r\n'
        if notes is not None
        else ""
    )
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{csrf}\r\n{notes_part}"
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{file_name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + pdf
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def test_a_browser_s_upload_with_its_form_token_in_the_form_is_taken(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    """As Chromium sends the assignment form: the token as the form's first field (no header),
    and a boundary with capital letters (----WebKitFormBoundary...)."""
    path = f"{module_path(course_id, ASSIGNMENT.module_id)}/assignment"
    client.get(path)  # the form, and the cookie of its token
    body = browser_form(client.cookies["csrf"], sample_pdfs.plain_pdf())
    r = client.post(path, content=body, headers=BROWSER_FORM_HEADERS)
    assert r.status_code == 303, f"{r.status_code}: {r.text[:300]}"
    assert rows(databases, "SELECT FileName FROM AssignmentSubmissions WHERE StudentID = @s",
                s=enrolled) == [{"FileName": "work.pdf"}]  # fmt: skip


def test_the_largest_hand_in_the_rules_allow_is_taken(
    client: TestClient, databases: Databases, enrolled: str, course_id: str
) -> None:
    """A PDF of exactly 2 MB with notes of 2000 four-byte characters (a client of its own: a
    browser's form counts such a character twice) and a name of 255 of them, in a form's
    framing: within the request cap, whose margin covers the framing (MAX_UPLOAD_BODY_BYTES)."""
    path = f"{module_path(course_id, ASSIGNMENT.module_id)}/assignment"
    client.get(path)  # the form, and the cookie of its token
    notes = "\U0001f4d8" * MAX_NOTES_LENGTH
    name = "\U0001f4d8" * (MAX_FILE_NAME_LENGTH - len(".pdf")) + ".pdf"
    pdf = sample_pdfs.plain_pdf(size=MAX_ASSIGNMENT_BYTES)
    body = browser_form(client.cookies["csrf"], pdf, notes, name)
    without_framing = MAX_ASSIGNMENT_BYTES + 4 * MAX_NOTES_LENGTH + len(name.encode())
    assert len(body) > without_framing, "the framing is counted"
    r = client.post(path, content=body, headers=BROWSER_FORM_HEADERS)
    assert r.status_code == 303, f"{r.status_code}: {r.text[:300]}"
    stored = rows(
        databases,
        "SELECT Notes, FileName FROM AssignmentSubmissions WHERE StudentID = @s",
        s=enrolled,
    )
    assert stored == [{"Notes": notes, "FileName": name}], "the notes and the name stored whole"
