"""A scenario that passed on a retry is marked flaky in its Allure results.

A retry (behave run again on its rerun file, into the same results folder) writes a second
result with the same historyId; Allure 3 shows the earlier attempts as retries of the last one.
It marks a test flaky only from `statusDetails.flaky` or from its history across runs, never
from retries within one run, so the last attempt of a scenario that failed and then passed gets
`statusDetails.flaky = true` here.

    python -m harness.report_retries reports/allure-results [more folders...]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from harness.allure_results import by_scenario, read_results

BAD = ("failed", "broken")


def _rewrite(path: Path, result: dict) -> None:
    """Replace the file at once. A temporary file of its own: the workers of a run
    (harness/workers.py) each mark the shared folder when they end, often the same file at
    the same moment, and one must not move away the other's temporary file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(json.dumps(result, ensure_ascii=False))
    os.replace(temporary, path)


def mark_flaky(folders: Iterable[Path]) -> tuple[list[str], list[str]]:
    """Mark the last attempt of each scenario that passed after a failed or broken attempt.

    Returns the names of the scenarios marked (each once, also when already marked) and the
    problems met (a folder missing, a file unreadable), each naming its path."""
    read = read_results(folders)
    marked = []
    for attempts in by_scenario(read.attempts).values():
        last = attempts[-1]
        if last.status != "passed" or not any(a.status in BAD for a in attempts[:-1]):
            continue
        result = json.loads(last.path.read_text(encoding="utf-8"))
        details = result.setdefault("statusDetails", {})
        if details.get("flaky") is not True:
            details["flaky"] = True
            _rewrite(last.path, result)
        marked.append(last.name)
    return sorted(marked), read.problems


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m harness.report_retries RESULTS_FOLDER [...]", file=sys.stderr)
        return 2
    marked, problems = mark_flaky(Path(folder) for folder in argv)
    for problem in problems:
        print(f"report_retries: {problem}", file=sys.stderr)
    print(f"flaky (passed on a retry): {len(marked)}" + "".join(f"\n  {m}" for m in marked))
    return 2 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
