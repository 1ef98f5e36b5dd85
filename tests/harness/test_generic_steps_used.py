"""Every generic step (browser, mail, API, database) is used by at least one feature.

The generic vocabulary is only trustworthy if the suite runs it: behave's own steps.usage
formatter, on a dry run of features/ started from the repository as behave.ini says, lists the
step definitions that no scenario uses. None of them may be a generic one.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GENERIC_STEP_FILES = ("steps/browser.py", "steps/mail.py", "steps/api.py", "steps/database.py")
ALLURE = "allure_behave.formatter:AllureFormatter"
# A definition line of behave's steps.usage report: the decorator, then "# file:line".
_DEFINITION = re.compile(r"^\s*(@\w+\(.*\))\s+# (\S+?):(\d+)\s*$")
_UNUSED_HEADING = re.compile(r"^UNUSED STEP DEFINITIONS\[\d+\]:")
_KEYWORD = re.compile(r"^@\w+")
# Wordings no feature can use yet, each with why; the test fails when one of them is used, so
# that the list only shrinks.
NOT_YET_USED: dict[str, str] = {}


def usage_report(tmp_path: Path) -> str:
    """behave's steps.usage report of a dry run over features/ (Allure results kept in tmp)."""
    report = tmp_path / "usage.txt"
    run = subprocess.run(
        [sys.executable, "-m", "behave", "--dry-run", "--no-summary",
         "-f", "steps.usage", "-o", str(report), "-f", ALLURE, "-o", str(tmp_path / "allure")],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert report.exists() and report.stat().st_size, (
        f"behave --dry-run -f steps.usage wrote no report:\n{run.stdout[-3000:]}{run.stderr}"
    )
    return report.read_text(encoding="utf-8")


def definitions(lines: list[str]) -> list[tuple[str, str]]:
    """(decorator, file:line) of each step definition named in these report lines."""
    found = []
    for line in lines:
        match = _DEFINITION.match(line)
        if match:
            found.append((match.group(1), f"{match.group(2)}:{match.group(3)}"))
    return found


def split_report(report: str) -> tuple[list[str], list[str]]:
    """The report's lines before its UNUSED section, and the lines of that section."""
    lines = report.splitlines()
    for index, line in enumerate(lines):
        if _UNUSED_HEADING.match(line):
            end = next((i for i in range(index + 1, len(lines)) if not lines[i].strip()), None)
            return lines[:index], lines[index + 1 : end]
    return lines, []


def wording(decorator: str, location: str) -> tuple[str, str]:
    """A step's wording whatever its keyword: `@given('I press "{b}"')` and `@when(...)` are
    the same step, offered under both keywords."""
    return location.split(":")[0], _KEYWORD.sub("", decorator, count=1)


def idle_generic_wordings(report: str) -> list[str]:
    """The generic steps' wordings that no feature uses under any keyword, once each."""
    used, unused = split_report(report)
    in_use = {wording(*definition) for definition in definitions(used)}
    idle: dict[tuple[str, str], str] = {}
    for decorator, location in definitions(unused):
        key = wording(decorator, location)
        if is_generic(location) and key not in in_use:
            idle.setdefault(key, f"{key[1][2:-2]}  # {location}")
    return list(idle.values())


def is_generic(location: str) -> bool:
    return location.split(":")[0] in GENERIC_STEP_FILES


def test_every_generic_step_is_used_by_a_feature(tmp_path: Path) -> None:
    report = usage_report(tmp_path)
    used, unused = split_report(report)
    loaded = {location.split(":")[0] for _, location in definitions(used + unused)}
    missing_files = [name for name in GENERIC_STEP_FILES if name not in loaded]
    assert not missing_files, f"behave loaded no step of {', '.join(missing_files)}"
    idle = idle_generic_wordings(report)
    unexplained = [line for line in idle if line.split("  # ")[0] not in NOT_YET_USED]
    assert not unexplained, "generic steps that no feature in features/ uses:\n  " + "\n  ".join(
        unexplained
    )
    now_used = sorted(set(NOT_YET_USED) - {line.split("  # ")[0] for line in idle})
    assert not now_used, f"used by a feature now, so out of NOT_YET_USED: {now_used}"


def test_a_wording_counts_as_used_under_any_keyword_and_generic_files_only() -> None:
    """Read as behave writes the report: a step used as "When" but not as "Given" is used; a
    generic step used under no keyword is named; a product's unused step is not."""
    report = "\n".join(
        [
            "@when('I press \"{button}\"')        # steps/browser.py:12",
            '  When I press "Save"                 # features/x.feature:4',
            "",
            "UNUSED STEP DEFINITIONS[3]:",
            "  @given('I press \"{button}\"')     # steps/browser.py:12",
            "  @then('I see \"{text}\"')          # steps/browser.py:40",
            "  @given('a tenant')                 # steps/saas/tenants.py:9",
            "",
            "UNDEFINED STEPS[1]:",
            "  Given nothing                      # features/x.feature:9",
        ]
    )
    assert idle_generic_wordings(report) == ['I see "{text}"  # steps/browser.py:40']
