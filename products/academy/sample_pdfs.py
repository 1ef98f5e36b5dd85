"""PDF files a student might hand in, made byte for byte the same every time: a plain one-page
PDF (of an exact size when asked), and the hostile ones the academy must refuse (a PDF that
runs JavaScript when opened, one with a script filed among its named scripts, one with a file
attached, an HTML page that starts like a PDF, and the 60-byte file that is only a PDF
header)."""

from __future__ import annotations

_PAGE_TEXT = b"BT /F1 18 Tf 72 720 Td (My assignment) Tj ET"


def _pdf(objects: list[bytes], padding: int = 0) -> bytes:
    """A PDF of these objects (numbered from 1; object 1 the catalogue) with a correct cross-
    reference table; ``padding`` bytes of a comment before the first object."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    if padding:
        out += b"%" + b"x" * (padding - 2) + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _one_page(
    catalog_extra: bytes = b"",
    extra: list[bytes] | None = None,
    padding: int = 0,
    catalog_first: bytes = b"",
):
    """A one-page PDF; catalog_first goes into the catalogue before its pages, catalog_extra
    after them."""
    return _pdf(
        [
            b"<< /Type /Catalog " + catalog_first + b"/Pages 2 0 R " + catalog_extra + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(_PAGE_TEXT) + _PAGE_TEXT + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *(extra or []),
        ],
        padding,
    )


def two_page_pdf() -> bytes:
    """A plain PDF of two pages, sharing one font: an assignment longer than a page."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R " + (
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    second_text = b"BT /F1 18 Tf 72 720 Td (Page two) Tj ET"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
            page % 4,
            b"<< /Length %d >>\nstream\n" % len(_PAGE_TEXT) + _PAGE_TEXT + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            page % 7,
            b"<< /Length %d >>\nstream\n" % len(second_text) + second_text + b"\nendstream",
        ]
    )


def plain_pdf(size: int | None = None) -> bytes:
    """A plain one-page PDF; of exactly ``size`` bytes when given (padded with a comment)."""
    small = _one_page()
    if size is None:
        return small
    if size < len(small) + 3:
        raise ValueError(f"a one-page PDF needs at least {len(small) + 3} bytes, not {size}")
    padded = _one_page(padding=size - len(small))
    return _one_page(padding=size - len(small) - (len(padded) - size))  # startxref's digits


def pdf_with_javascript() -> bytes:
    """A one-page PDF that runs JavaScript when opened."""
    return _one_page(
        b"/OpenAction 6 0 R ",
        [b"<< /Type /Action /S /JavaScript /JS (app.alert\\('opened'\\);) >>"],
    )


def pdf_with_named_script() -> bytes:
    """A one-page PDF with a script filed in its document's name tree, which its catalogue
    lists before its pages: a reader that stops at the first object it meets twice (the page's
    way back to its page tree) never gets to the script."""
    return _one_page(
        extra=[b"<< /Type /Action /S /JavaScript /JS (app.alert\\('opened'\\);) >>"],
        catalog_first=b"/Names << /JavaScript << /Names [(greeting) 6 0 R] >> >> ",
    )


def pdf_with_attached_file() -> bytes:
    """A one-page PDF carrying an attached file."""
    payload = b"MZ not really a program"
    return _one_page(
        b"/Names << /EmbeddedFiles << /Names [(tool.exe) 6 0 R] >> >> ",
        [
            b"<< /Type /Filespec /F (tool.exe) /EF << /F 7 0 R >> >>",
            b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(payload)
            + payload
            + b"\nendstream",
        ],
    )


def html_polyglot() -> bytes:
    """A web page with a script that also parses as a one-page PDF."""
    page = b"<html><body><script>document.title='owned'</script></body></html>"
    pdf = plain_pdf()
    header, _, rest = pdf.partition(b"\n")
    return header + b"\n%" + page + b"\n" + rest  # offsets move: readers rebuild the table


def header_only() -> bytes:
    """60 bytes that start like a PDF and are nothing else."""
    start = b"%PDF-1.7\n"
    return start + b"A" * (60 - len(start))
