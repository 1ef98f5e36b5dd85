"""Words as a person reads them on a page or in a file."""

from __future__ import annotations

import re


def words_pattern(words: str) -> re.Pattern[str]:
    """The words as a person reads them: same case, whole words, any spacing between them."""
    parts = [re.escape(part) for part in words.split()]
    if not parts:
        raise ValueError("no words to look for: the quoted text is empty")
    start = r"(?<!\w)" if re.match(r"\w", words.strip()) else ""
    end = r"(?!\w)" if re.search(r"\w$", words.strip()) else ""
    return re.compile(start + r"\s+".join(parts) + end)


def one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"
