"""Assignment uploads: a plain PDF judged by parsing its content, at most 2 MB, notes of
bounded length, a file name cleaned of what could disguise it.

The file's name and the type the browser declares are not trusted: a PDF is a file that
parses as one, with pages and nothing active in it (pdf_check.py). The request's size is
judged before its body is read (routes/assignment.py). A refused upload stores nothing.
"""

from __future__ import annotations

import logging
import unicodedata

from app.academy.pdf_check import pdf_problem

MAX_ASSIGNMENT_BYTES = 2 * 1024 * 1024
MAX_NOTES_LENGTH = 2000
MAX_FILE_NAME_LENGTH = 255
# The whole request: the file, the notes (4 bytes a character at most) and the form's framing.
MAX_UPLOAD_BODY_BYTES = MAX_ASSIGNMENT_BYTES + 4 * MAX_NOTES_LENGTH + 64 * 1024
PDF_CONTENT_TYPE = "application/pdf"

NOT_A_PDF = "The assignment must be a PDF file."
ACTIVE_PDF = "The assignment must be a PDF without scripts, actions or attached files."
TOO_LARGE = "The assignment must be at most 2 MB."
NOTES_TOO_LONG = f"The notes must be at most {MAX_NOTES_LENGTH} characters."
NO_SUBMISSION = "Submit the assignment first."
DEFAULT_FILE_NAME = "assignment.pdf"
# Unicode categories a file name never needs: controls, formats (bidi overrides and isolates,
# zero-width characters), surrogates, private use, unassigned, line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

log = logging.getLogger(__name__)


def upload_problem(content: bytes, notes: str) -> str | None:
    """Why the upload is refused, else None. Size first: a large file is refused for its
    size whatever it holds."""
    if len(content) > MAX_ASSIGNMENT_BYTES:
        return TOO_LARGE
    problem = pdf_problem(content)
    if problem is not None:
        log.info("assignment refused: %s", problem.reason)
        return ACTIVE_PDF if problem.active else NOT_A_PDF
    if len(notes) > MAX_NOTES_LENGTH:
        return NOTES_TOO_LONG
    return None


def clean_name(raw: str) -> str:
    """``raw`` in NFC without the characters that could make a name read other than it is."""
    text = unicodedata.normalize("NFC", raw)
    return "".join(c for c in text if unicodedata.category(c) not in _HIDDEN_CATEGORIES)


def file_name(raw: str | None) -> str:
    """The uploaded file's name without any folder or hidden character, cut to what the table
    holds."""
    name = clean_name(raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (name or DEFAULT_FILE_NAME)[:MAX_FILE_NAME_LENGTH]
