"""The certificate of a completed course: what it says, its file name, and the text it can
print (the PDF's layout is certificate_pdf.py)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

NOT_YET = "There is no certificate yet: complete every module of the course first."
# The PDF's built-in fonts write Latin-1 (Windows-1252) only.
_PDF_ENCODING = "latin-1"


@dataclass(frozen=True)
class Certificate:
    """A Certificates row."""

    certificate_id: str
    course_id: str
    student_name: str
    course_title: str
    completed_on: date


def file_name(certificate: Certificate) -> str:
    return f"certificate-{certificate.course_id}-{certificate.certificate_id}.pdf"


def lines(certificate: Certificate) -> list[str]:
    """What the certificate says, line by line (the PDF writes each on its own line)."""
    return [
        "Certificate of Completion",
        "This certifies that",
        certificate.student_name,
        "has completed the course",
        certificate.course_title,
        f"Completed on: {certificate.completed_on.isoformat()}",
        f"Certificate ID: {certificate.certificate_id}",
    ]


def printable(text: str) -> str:
    """``text`` in what the PDF's built-in fonts can write: accents a font lacks are dropped
    (Łódź -> Lodz), anything else unwritable becomes '?'."""
    if _encodable(text):
        return text
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    plain = plain.replace("Ł", "L").replace("ł", "l")
    return plain.encode(_PDF_ENCODING, "replace").decode(_PDF_ENCODING)


def _encodable(text: str) -> bool:
    try:
        text.encode(_PDF_ENCODING)
    except UnicodeEncodeError:
        return False
    return True
