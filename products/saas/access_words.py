"""Values a feature about accounts names in business words: the longest domain or email address
the platform takes, texts of accented letters (two bytes each in UTF-8, so a length counted in
bytes and one counted in characters disagree), passwords of a given length, ages of a link."""

from __future__ import annotations

import re
from collections.abc import Callable

from harness.long_text import spelled_out

# two bytes each in UTF-8; upper- and lower-case, so a text of them is still a name
ACCENTED = "éàüöñçÉÀÜÖ"


def letters(count: int) -> str:
    return spelled_out(f"{{{count} letters}}")


def accented(count: int) -> str:
    return "".join(ACCENTED[index % len(ACCENTED)] for index in range(count))


def password_of_length(count: int) -> str:
    """A password with every kind of character the rules ask for, padded with accented letters."""
    return "Aé1!" + "é" * (count - 4)


# a domain has at most 100 characters, each part at most 63; an email address at most 254,
# its name at most 64
NAMED_VALUES: dict[str, Callable[[], str]] = {
    "the longest domain the platform takes": lambda: f"{letters(63)}.{letters(32)}.com",
    "a domain one letter longer than the platform takes": lambda: (
        f"{letters(63)}.{letters(33)}.com"
    ),
    "a domain with a part of 64 letters": lambda: f"{letters(64)}.example.com",
    # at a subdomain of the longest domain: only an address at a domain may sign it up
    "the longest email address the platform takes": lambda: (
        f"{letters(64)}@{letters(63)}.{letters(24)}.{letters(63)}.{letters(32)}.com"
    ),
    "an email address one letter longer than the platform takes": lambda: (
        f"{letters(64)}@{letters(63)}.{letters(25)}.{letters(63)}.{letters(32)}.com"
    ),
    "an email whose name has 65 letters": lambda: f"{letters(65)}@acme.example.com",
}
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[int], str]], ...] = (
    (re.compile(r"(\d+) accented letters"), accented),
    (re.compile(r"a password of (\d+) characters, most of them accented"), password_of_length),
)


def business_value(text: str) -> str:
    """The value a feature's words stand for; other text as written ("{N letters}" spelled)."""
    if text in NAMED_VALUES:
        return NAMED_VALUES[text]()
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return build(int(match.group(1)))
    return spelled_out(text)


_AGE = re.compile(r"(?:(\d+) hours?)?(?: and )?(?:(\d+) minutes?)?")


def age_in_seconds(text: str) -> int:
    """ "23 hours and 59 minutes" -> 86340; "24 hours and 1 minute" -> 86460."""
    match = _AGE.fullmatch(text.strip())
    if not match or not any(match.groups()):
        raise ValueError(f"say an age like '23 hours and 59 minutes', not {text!r}")
    hours, minutes = (int(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60
