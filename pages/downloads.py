"""A file the browser downloaded: its name as the app gave it, and the words in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Downloaded:
    name: str  # the file name the app suggested (Content-Disposition or the link's download)
    path: Path  # where the suite saved it

    def text(self) -> str:
        """Its words: a PDF's text, page after page, or the file read as UTF-8 text."""
        data = self.path.read_bytes()
        if data.startswith(b"%PDF"):
            from pypdf import PdfReader  # here: ~0.12 s of CPU, only for a downloaded PDF
            from pypdf.errors import PdfReadError

            try:
                reader = PdfReader(self.path)
                return "\n".join(page.extract_text() or "" for page in reader.pages)
            except PdfReadError as error:
                raise AssertionError(
                    f'the download "{self.name}" looks like a PDF but cannot be read: {error}'
                ) from None
        return data.decode("utf-8", errors="replace")
