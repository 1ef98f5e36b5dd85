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
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

BAD = ("failed", "broken")


def _attempts(folders: Iterable[Path]) -> dict[str, list[tuple[Path, dict]]]:
    by_history: dict[str, list[tuple[Path, dict]]] = defaultdict(list)
    for folder in folders:
        for path in sorted(Path(folder).glob("*-result.json")):
            try:
                result = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as error:
                raise ValueError(f"{path}: not an Allure result ({error})") from error
            if result.get("historyId"):
                by_history[result["historyId"]].append((path, result))
    return by_history


def _rewrite(path: Path, result: dict) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def mark_flaky(folders: Iterable[Path]) -> list[str]:
    """Mark the last attempt of each scenario that passed after a failed or broken attempt;
    the names of the scenarios marked (each once, also when already marked)."""
    marked = []
    for attempts in _attempts(folders).values():
        attempts.sort(key=lambda attempt: (attempt[1].get("stop", 0), attempt[1].get("start", 0)))
        path, last = attempts[-1]
        earlier_bad = any(result.get("status") in BAD for _, result in attempts[:-1])
        if last.get("status") != "passed" or not earlier_bad:
            continue
        details = last.setdefault("statusDetails", {})
        if details.get("flaky") is not True:
            details["flaky"] = True
            _rewrite(path, last)
        marked.append(last.get("name", last["historyId"]))
    return sorted(marked)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m harness.report_retries RESULTS_FOLDER [...]", file=sys.stderr)
        return 2
    missing = [folder for folder in argv if not Path(folder).is_dir()]
    if missing:
        print(f"report_retries: no results folder {', '.join(missing)}", file=sys.stderr)
        return 2
    marked = mark_flaky(Path(folder) for folder in argv)
    print(f"flaky (passed on a retry): {len(marked)}" + "".join(f"\n  {m}" for m in marked))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
