"""Long values written short in feature files: "{200 letters}" stands for 200 letters.

A product owner can read "{64 letters}@acme.example.com" where the real address would fill
the line; the step gets the value of that exact length.
"""

from __future__ import annotations

import re

_LETTERS = re.compile(r"\{(\d+) letters?\}")


def spelled_out(text: str) -> str:
    """The text with every "{N letters}" replaced by N letters (a, b, c, ... repeating)."""

    def letters(match: re.Match[str]) -> str:
        count = int(match.group(1))
        return "".join(chr(ord("a") + index % 26) for index in range(count))

    return _LETTERS.sub(letters, text)
