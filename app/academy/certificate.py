"""The certificate of a completed course: what it says, its file name, and the PDF (fpdf2)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from fpdf import FPDF

NOT_YET = "There is no certificate yet: complete every module of the course first."
# The PDF's built-in fonts write Latin-1 (Windows-1252) only.
_PDF_ENCODING = "latin-1"
MIN_FONT_SIZE = 6


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


def pdf_bytes(certificate: Certificate) -> bytes:
    """The certificate as a one-page landscape A4 PDF."""
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(printable(f"Certificate {certificate.certificate_id}"))
    pdf.set_creator("E-learning academy")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    sizes = (30, 14, 24, 14, 22, 12, 10)
    pdf.set_y(38)
    for text, size in zip(lines(certificate), sizes, strict=True):
        text = printable(text)
        style = "B" if size >= 22 else ""
        pdf.set_font("Helvetica", style, size)
        while size > MIN_FONT_SIZE and pdf.get_string_width(text) > pdf.epw:
            size -= 1  # a long name or title: smaller, on one line
            pdf.set_font("Helvetica", style, size)
        pdf.cell(0, size * 0.6, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(size * 0.35)
    return bytes(pdf.output())
