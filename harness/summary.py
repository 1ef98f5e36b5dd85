"""`python -m harness.summary reports/behave.log`: one line counting scenarios by outcome.

behave's own line names only the outcomes that happened ("6 passed, 0 failed, 1 error,
5 hook_error, 0 skipped"); this one always counts passed, failed, errored (in a step or a hook),
skipped and untested, for the end of a CI log.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_LINE = re.compile(r"^\d+ scenarios? passed")


def count(line: str, outcome: str) -> int:
    return sum(int(n) for n in re.findall(rf"(\d+) {outcome}\b", line))


def summary(log: str) -> str:
    lines = [line for line in log.splitlines() if _LINE.match(line)]
    if not lines:
        return "scenarios: no summary in the log (did behave start?)"
    line = lines[-1]
    errored = count(line, "error") + count(line, "hook_error") + count(line, "cleanup_error")
    return (
        f"scenarios: {count(line, 'scenarios? passed')} passed, {count(line, 'failed')} failed, "
        f"{errored} errored, {count(line, 'skipped')} skipped, {count(line, 'untested')} untested"
    )


if __name__ == "__main__":
    print(summary(Path(sys.argv[1]).read_text(errors="replace")))
