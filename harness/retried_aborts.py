"""The aborted Spanner writes an app retried, read from its log.

Every app retries an aborted read-write transaction in app/platform/db.py's run_write, which
logs one line per retry:

    spanner write <work> aborted (<error class>, attempt <n> of <max>); retrying in <s>s: <message>

An abort the emulator made of its own accord (fault injection) says so in its message
(spanner.fault_injection.INJECTED_ABORT); the others are the emulator's one-writer-per-database
rule (another transaction was running).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spanner.fault_injection import INJECTED_ABORT

RETRY_LINE = re.compile(
    r"spanner write (?P<work>\S+) aborted \((?P<kind>\w+), attempt (?P<attempt>\d+) of \d+\); "
    r"retrying in \S+: (?P<message>.*)$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class RetriedAborts:
    """How many aborted writes were retried, by error class and by unit of work, how many of
    them the emulator injected, and the most attempts one write needed."""

    by_kind: Counter[str]
    by_work: Counter[str]
    injected: int
    most_attempts: int

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def __str__(self) -> str:
        if not self.total:
            return "no aborted write retried"
        kinds = ", ".join(f"{kind} {n}" for kind, n in self.by_kind.most_common())
        works = ", ".join(f"{work} {n}" for work, n in self.by_work.most_common())
        return (
            f"{self.total} aborted writes retried ({kinds}); {self.injected} of them aborted "
            f"by fault injection, the others by another transaction running; by unit of work: "
            f"{works}; at most {self.most_attempts} attempts for one write"
        )


def retried_aborts(log_text: str) -> RetriedAborts:
    """The retries logged in ``log_text`` (an app's log, or the part of it a scenario wrote)."""
    found = list(RETRY_LINE.finditer(log_text))
    return RetriedAborts(
        by_kind=Counter(match["kind"] for match in found),
        by_work=Counter(match["work"] for match in found),
        injected=sum(INJECTED_ABORT in match["message"] for match in found),
        # a retry after attempt n means the write needed n + 1 attempts at least
        most_attempts=max((int(match["attempt"]) + 1 for match in found), default=1),
    )
