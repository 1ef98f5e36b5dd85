"""The academy's business words as app values: modules, answers right, hand-ins, file sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass

MIB = 1024 * 1024

# module-01: a course's modules are named as the brief names them
MODULE = r"module-\d{2}"
# "no module", "module-01", "module-01 and module-02", "module-01 to module-03",
# "module-01, module-02 and module-04"
MODULES = rf"no module|{MODULE}(?:(?:, | and | to ){MODULE})*"
# "the video of module-01", "the videos of module-01 to module-04"
WATCHED_VIDEOS = rf"no video|videos? of (?:{MODULES})"
# "7 of 10": answers right of the quiz's questions
ANSWERS_RIGHT = r"\d+ of \d+"
# what a student hands in: a sample file as it is ("sample-assignment.pdf"), a sample file under
# another name ("sample-assignment.pdf" named "assignment.txt"), or a PDF of a size made up on
# the spot (a PDF of exactly 2 MB, a PDF of 2 MB and 1 byte)
SIZE = r"(?:exactly )?\d+ (?:MB|KB|bytes?)(?: and \d+ bytes?)?"
HAND_IN = rf'"[^"]+"(?: named "[^"]+")?|a PDF of {SIZE}'
_UNIT = {"MB": MIB, "KB": 1024, "byte": 1, "bytes": 1}
# how the course page says where a module stands
MODULE_STATES = {"completed": "completed", "next": "available", "locked": "locked"}


def module_ids(phrase: str) -> tuple[str, ...]:
    """The modules a phrase names, in order: "module-01 to module-03" -> module-01, -02, -03."""
    phrase = phrase.strip()
    if phrase in ("no module", "no video"):
        return ()
    phrase = re.sub(r"^videos? of ", "", phrase)
    named: list[str] = []
    for part in re.split(r", | and ", phrase):
        first, _, last = part.partition(" to ")
        if not last:
            named.append(first)
            continue
        start, end = int(first.split("-")[1]), int(last.split("-")[1])
        named.extend(f"module-{number:02d}" for number in range(start, end + 1))
    return tuple(named)


def answers_right(phrase: str) -> tuple[int, int]:
    """ "7 of 10" -> (7, 10): how many answers are right, of how many questions."""
    right, _, total = phrase.partition(" of ")
    return int(right), int(total)


def size_in_bytes(phrase: str) -> int:
    """ "exactly 2 MB" -> 2097152, "2 MB and 1 byte" -> 2097153 (a MB is 1024 x 1024 bytes,
    as the academy counts its upload limit)."""
    total = 0
    for amount, unit in re.findall(r"(\d+) (MB|KB|bytes?)", phrase):
        total += int(amount) * _UNIT[unit]
    return total


@dataclass(frozen=True)
class HandIn:
    """A file a student hands in: a sample file of the feature (under its own name or another),
    or a PDF of a given size made on the spot."""

    sample: str | None = None
    name: str | None = None
    size: int | None = None

    @property
    def file_name(self) -> str:
        return self.name or self.sample or f"assignment-{self.size}-bytes.pdf"


def hand_in(phrase: str) -> HandIn:
    """A HAND_IN phrase as what to send."""
    phrase = phrase.strip()
    if phrase.startswith("a PDF of "):
        return HandIn(size=size_in_bytes(phrase))
    quoted = re.findall(r'"([^"]+)"', phrase)
    return HandIn(sample=quoted[0], name=quoted[1] if len(quoted) > 1 else None)
