"""Assignment uploads: a PDF judged by its content, at most 2 MB, notes of bounded length.

The file's name and the type the browser declares are not trusted: a PDF is a file whose
content starts with the PDF header. A refused upload stores nothing.
"""

from __future__ import annotations

MAX_ASSIGNMENT_BYTES = 2 * 1024 * 1024
MAX_NOTES_LENGTH = 2000
MAX_FILE_NAME_LENGTH = 255
PDF_MAGIC = b"%PDF-"
PDF_CONTENT_TYPE = "application/pdf"

NOT_A_PDF = "The assignment must be a PDF file."
TOO_LARGE = "The assignment must be at most 2 MB."
NOTES_TOO_LONG = f"The notes must be at most {MAX_NOTES_LENGTH} characters."
NO_SUBMISSION = "Submit the assignment first."


def is_pdf(content: bytes) -> bool:
    return content.startswith(PDF_MAGIC)


def upload_problem(content: bytes, notes: str) -> str | None:
    """Why the upload is refused, else None. Size first: a large file is refused for its
    size whatever it holds."""
    if len(content) > MAX_ASSIGNMENT_BYTES:
        return TOO_LARGE
    if not is_pdf(content):
        return NOT_A_PDF
    if len(notes) > MAX_NOTES_LENGTH:
        return NOTES_TOO_LONG
    return None


def file_name(raw: str | None) -> str:
    """The uploaded file's name without any folder, cut to what the table holds."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (name or "assignment.pdf")[:MAX_FILE_NAME_LENGTH]
