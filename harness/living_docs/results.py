"""The last status of each test, from the Allure result files of a run (one folder or several).

Retries of one test share its history id: the last attempt decides (by its stop time), and a pass
after a failure is flaky. A skipped attempt counts only when every attempt was skipped: a rerun
without --no-skipped writes the scenarios it did not rerun as skipped, which says nothing of them.
A file that is not a readable result is reported by name and left out; the page says so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.living_docs.paths import shown as shown_path
from harness.living_docs.specs import Case

ALLURE_STATUSES = {"passed", "failed", "broken", "skipped", "unknown"}
NOT_PASSING = {"failed", "broken"}
SHOWN_STATUSES = ("passed", "failed", "broken", "flaky", "skipped", "not run")


class ResultsError(ValueError):
    """A results folder given does not exist."""


@dataclass(frozen=True)
class Attempt:
    path: str
    history_id: str
    name: str
    full_name: str
    status: str
    message: str
    start: int
    stop: int
    parameters: tuple[tuple[str, str], ...]
    step_names: tuple[str, ...]
    # statusDetails.flaky: set by harness/report_retries.py on a pass after a failed attempt
    marked_flaky: bool = False


@dataclass(frozen=True)
class Outcome:
    """A test's last status: passed, failed, broken, flaky or skipped, and why it did not pass."""

    status: str
    message: str
    attempts: int
    stop: int


@dataclass
class Results:
    outcomes: dict[Case, Outcome] = field(default_factory=dict)
    unmatched: list[Attempt] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: int = 0
    last_stop: int | None = None

    def outcome(self, case: Case) -> Outcome | None:
        return self.outcomes.get(case)


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def parse_attempt(path: Path, shown: str) -> Attempt:
    """One `*-result.json`; ValueError naming the file and what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{shown}: cannot be read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{shown}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if not isinstance(data, dict):
        raise ValueError(f"{shown}: not an Allure result (a JSON object was expected)")
    for key in ("historyId", "name", "status"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ValueError(f"{shown}: not an Allure result: no {key!r}")
    if data["status"] not in ALLURE_STATUSES:
        raise ValueError(f"{shown}: unknown status {data['status']!r}")
    details = data.get("statusDetails") or {}
    message = details.get("message") if isinstance(details, dict) else None
    steps = data.get("steps") if isinstance(data.get("steps"), list) else []
    parameters = data.get("parameters") if isinstance(data.get("parameters"), list) else []
    return Attempt(
        path=shown,
        history_id=data["historyId"],
        name=data["name"],
        full_name=str(data.get("fullName") or ""),
        # Allure's `unknown` is a test that did not pass for a reason it could not tell
        status="broken" if data["status"] == "unknown" else data["status"],
        message=first_line(message) if isinstance(message, str) else "",
        start=_millis(data.get("start")),
        stop=_millis(data.get("stop")) or _millis(data.get("start")),
        parameters=tuple(
            (str(p.get("name")), str(p.get("value"))) for p in parameters if isinstance(p, dict)
        ),
        step_names=tuple(str(s.get("name")) for s in steps if isinstance(s, dict) and "name" in s),
        marked_flaky=isinstance(details, dict) and details.get("flaky") is True,
    )


def _millis(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def read_attempts(folders: Sequence[Path], base: Path | None = None) -> tuple[list, list, int]:
    """Every readable attempt in the folders, the problems met, and how many files were read."""
    attempts: list[Attempt] = []
    problems: list[str] = []
    files = 0
    for folder in folders:
        if not folder.is_dir():
            raise ResultsError(f"results folder {folder} does not exist: run the suite first")
        for path in sorted(folder.glob("*-result.json")):
            files += 1
            try:
                attempts.append(parse_attempt(path, shown_path(path, base)))
            except ValueError as exc:
                problems.append(f"{exc}; left out (its scenario shows as not run)")
    return attempts, problems, files


def decide(attempts: Iterable[Attempt]) -> Outcome:
    """The last attempt decides; a pass after a failed or broken attempt, or one marked flaky
    by the run, is flaky."""
    ordered = sorted(attempts, key=lambda a: (a.stop, a.start))
    if not ordered:
        raise ValueError("no attempt to decide from")
    counted = [a for a in ordered if a.status != "skipped"] or ordered
    last = counted[-1]
    status = last.status
    earlier = [a for a in counted if a.status in NOT_PASSING]
    if status == "passed" and (earlier or last.marked_flaky):
        status = "flaky"
        message = earlier[-1].message if earlier else ""
    else:
        message = last.message if status in NOT_PASSING else ""
    return Outcome(status, message, len(counted), last.stop)


def match(cases: Sequence[Case], attempts: Sequence[Attempt]) -> Results:
    """Each attempt to its case: by history id; where two cases share one (the same scenario
    name twice in a feature) by their steps; else by feature, scenario name and parameters."""
    results = Results()
    by_id: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_id[case.history_id].append(case)
    for shared in (same for same in by_id.values() if len(same) > 1):
        places = ", ".join(case.where for case in shared)
        results.problems.append(
            f"{len(shared)} scenarios named {shared[0].name!r} in the feature "
            f"{shared[0].feature_name!r} ({places}): Allure counts them as one test and "
            "its retries; give each its own name"
        )
    found: dict[Case, list[Attempt]] = defaultdict(list)
    strays: list[Attempt] = []
    for attempt in attempts:
        candidates = by_id.get(attempt.history_id, [])
        if len(candidates) > 1:
            candidates = [c for c in candidates if c.step_names == attempt.step_names]
        if len(candidates) == 1:
            found[candidates[0]].append(attempt)
        else:
            strays.append(attempt)
    # a run with another outline annotation schema names its rows otherwise: a stray attempt
    # goes to the one case with no attempt of its own whose full name and parameters it has
    unclaimed = [case for case in cases if case not in found]
    for attempt in strays:
        named = [
            case
            for case in unclaimed
            if case.full_name == attempt.full_name
            and sorted(case.parameters) == sorted(attempt.parameters)
        ]
        if len(named) == 1:
            found[named[0]].append(attempt)
        else:
            results.unmatched.append(attempt)
    results.outcomes = {case: decide(tried) for case, tried in found.items()}
    return results


def read_results(cases: Sequence[Case], folders: Sequence[Path], base: Path | None = None):
    attempts, problems, files = read_attempts(folders, base)
    results = match(cases, attempts)
    results.problems[:0] = problems
    results.files = files
    results.last_stop = max((a.stop for a in attempts), default=None) or None
    return results
