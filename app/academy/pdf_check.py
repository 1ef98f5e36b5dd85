"""Whether an uploaded file is a plain PDF document, judged by parsing it (pypdf).

A plain PDF starts with the PDF header, parses, has at least one page, and holds nothing a
reader would run or unpack: no JavaScript, no action run on opening (opening at a page, a
mere destination, is fine) or on a page's or field's event, no launch of a program, no
embedded or attached file, no rich media. A file that is also a web page (HTML markup in its
bytes) is refused too: a browser sniffing it would run it.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

PDF_MAGIC = b"%PDF-"
# Names whose presence means something runs or unpacks (PDF 2.0, 12.6 and 7.11)
ACTIVE_NAMES = frozenset(
    {"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles",
     "/FileAttachment", "/RichMedia", "/XFA", "/SubmitForm", "/ImportData", "/GoToE"}
)  # fmt: skip
_HTML = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)\b", re.I
)
MAX_OBJECTS = 20_000  # more than a student's hand-in needs: a larger graph is refused


class NotAPlainPdf(ValueError):
    """The PDF holds something active; the message names it."""


@dataclass(frozen=True)
class PdfProblem:
    reason: str  # for the log
    active: bool  # a PDF, but one that runs or unpacks something


def pdf_problem(content: bytes) -> PdfProblem | None:
    """Why ``content`` is not a plain PDF document, else None."""
    if not content.startswith(PDF_MAGIC):
        return PdfProblem("it does not start with the PDF header", active=False)
    if _HTML.search(content):
        return PdfProblem("it holds HTML markup", active=False)
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if len(reader.pages) < 1:
            return PdfProblem("it has no page", active=False)
        _check_objects(reader.trailer)
    except NotAPlainPdf as problem:
        return PdfProblem(str(problem), active=True)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        return PdfProblem(f"it does not parse as a PDF ({type(error).__name__})", active=False)
    return None


def _check_objects(root: PdfObject) -> None:
    """Walk every object reachable from the trailer; NotAPlainPdf at the first active name."""
    seen: set[tuple[int, int]] = set()
    todo: list[PdfObject] = [root]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > MAX_OBJECTS:
                raise NotAPlainPdf(f"it has more than {MAX_OBJECTS} objects")
            todo.append(item.get_object())
        elif isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name == "/OpenAction" and isinstance(value.get_object(), DictionaryObject):
                    raise NotAPlainPdf("it runs an action when opened")
                for found in (name, value):
                    if isinstance(found, NameObject) and found in ACTIVE_NAMES:
                        raise NotAPlainPdf(f"it holds {found}")
                todo.append(value)
        elif isinstance(item, ArrayObject):
            todo.extend(item)


logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken upload is the student's, not ours
