"""How the certificate looks: a one-page landscape A4 PDF (fpdf2) of certificate.lines().

Typography only (sizes, weights, spacing, a long line made smaller): what the certificate says
is certificate.py's.
"""

from __future__ import annotations

from fpdf import FPDF

from app.academy.certificate import Certificate, lines, printable

MIN_FONT_SIZE = 6


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
