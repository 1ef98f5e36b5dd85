"""Allure result files read back: each scenario's attempts, in the order they ended.

allure-behave writes one `<uuid>-result.json` per scenario run. A scenario rerun into the same
folder (a retry) writes a second file with the same historyId; several folders (shards) are read
as one run.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

RESULT_GLOB = "*-result.json"


@dataclass(frozen=True)
class Attempt:
    history_id: str
    name: str
    feature: str
    status: str  # passed, failed, broken, skipped (unknown when the run did not finish)
    start: int  # milliseconds since the epoch
    stop: int
    message: str  # the first line of the failure's message, "" when none
    path: Path

    @property
    def seconds(self) -> float:
        return max(0, self.stop - self.start) / 1000

    @property
    def did_not_pass(self) -> bool:
        return self.status in ("failed", "broken", "unknown")


def _first_line(text: str | None) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def _feature_of(result: dict) -> str:
    for label in result.get("labels", []):
        if label.get("name") == "feature":
            return label.get("value", "")
    title_path = result.get("titlePath") or [""]
    return title_path[-1]


def read_attempt(path: Path) -> Attempt:
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
        start = int(result.get("start") or 0)
        return Attempt(
            history_id=result.get("historyId") or result["uuid"],
            name=result.get("name", ""),
            feature=_feature_of(result),
            status=result.get("status") or "unknown",
            start=start,
            stop=int(result.get("stop") or start),
            message=_first_line((result.get("statusDetails") or {}).get("message")),
            path=path,
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not an Allure result file ({error})") from error


@dataclass
class Results:
    attempts: list[Attempt]
    problems: list[str]  # folders missing, files unreadable: each names its path


def read_results(folders: Iterable[Path]) -> Results:
    """Every result in the folders; what cannot be read is named in problems, not raised."""
    results = Results([], [])
    for folder in folders:
        if not folder.is_dir():
            results.problems.append(f"{folder}: no such Allure results folder")
            continue
        for path in sorted(folder.glob(RESULT_GLOB)):
            try:
                results.attempts.append(read_attempt(path))
            except ValueError as error:
                results.problems.append(str(error))
    return results


def by_scenario(attempts: Iterable[Attempt]) -> dict[str, list[Attempt]]:
    """historyId -> its attempts, the last to end last."""
    grouped: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        grouped[attempt.history_id].append(attempt)
    return {
        history_id: sorted(tries, key=lambda a: (a.stop, a.start, a.path.name))
        for history_id, tries in grouped.items()
    }
