"""`python -m harness.report_summary DIR... [--markdown]`: what a run's Allure results say.

Reads every `*-result.json` in the folders (several shards read as one run), takes a scenario's
attempts together by historyId (a retry writes a second result with the same one) and its final
outcome from the attempt that ended last. Counts passed, flaky (passed after a failed or broken
attempt), failed (a rule's check did not hold: an assertion), broken (an error, a time-out, a
service that died) and skipped; then names each failing and each flaky scenario with its feature
and the first line of its message. --markdown writes the same for $GITHUB_STEP_SUMMARY.

It reports and always exits 0: the run's own exit code says whether the run passed.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from harness.allure_results import Attempt, by_scenario, read_results

OUTCOMES = {
    "passed": "passed at the first attempt",
    "flaky": "passed on a retry, after a failed or broken attempt",
    "failed": "a rule's check did not hold (an assertion)",
    "broken": "an error, a time-out or a service that died",
    "skipped": "not run",
}


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    failing: list[Attempt] = field(default_factory=list)  # each one's last attempt
    flaky: list[tuple[Attempt, Attempt, int]] = field(default_factory=list)  # first bad, last, n
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def outcome(attempts: list[Attempt]) -> str:
    """The outcome of one scenario from its attempts, the last to end last."""
    final = attempts[-1].status
    if final == "passed":
        return "flaky" if any(a.did_not_pass for a in attempts[:-1]) else "passed"
    if final in ("failed", "skipped"):
        return final
    return "broken"  # broken, or unknown: the attempt did not finish


def summarize(folders: list[Path]) -> Summary:
    results = read_results(folders)
    summary = Summary(problems=results.problems)
    for attempts in by_scenario(results.attempts).values():
        kind = outcome(attempts)
        summary.counts[kind] += 1
        if kind in ("failed", "broken"):
            summary.failing.append(attempts[-1])
        elif kind == "flaky":
            first_bad = next(a for a in attempts if a.did_not_pass)
            summary.flaky.append((first_bad, attempts[-1], len(attempts)))
    summary.failing.sort(key=lambda a: (a.feature, a.name))
    summary.flaky.sort(key=lambda item: (item[1].feature, item[1].name))
    return summary


def plain(summary: Summary, folders: list[Path]) -> str:
    where = ", ".join(str(folder) for folder in folders)
    lines = [f"scenarios: {summary.total} in {where}"]
    width = max(len(kind) for kind in OUTCOMES)
    for kind, meaning in OUTCOMES.items():
        lines.append(f"  {kind:<{width}} {summary.counts[kind]:>5}  {meaning}")
    for attempt in summary.failing:
        lines.append(f"{attempt.status}: {attempt.feature} / {attempt.name}")
        lines.append(f"    {attempt.message or '(no message)'}")
    for first_bad, last, tries in summary.flaky:
        lines.append(f"flaky: {last.feature} / {last.name} (passed at attempt {tries})")
        lines.append(f"    first {first_bad.status}: {first_bad.message or '(no message)'}")
    lines.extend(f"not read: {problem}" for problem in summary.problems)
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or " "


def markdown(summary: Summary) -> str:
    lines = [
        "### Acceptance scenarios",
        "",
        "| outcome | scenarios | meaning |",
        "| --- | ---: | --- |",
    ]
    for kind, meaning in OUTCOMES.items():
        lines.append(f"| {kind} | {summary.counts[kind]} | {meaning} |")
    lines.append(f"| **all** | **{summary.total}** | |")
    if summary.failing:
        lines += ["", "#### Failing", "", "| scenario | feature | outcome | message |"]
        lines.append("| --- | --- | --- | --- |")
        for a in summary.failing:
            lines.append(
                f"| {_cell(a.name)} | {_cell(a.feature)} | {a.status} | {_cell(a.message)} |"
            )
    if summary.flaky:
        lines += ["", "#### Flaky (passed on a retry)", ""]
        lines.append("| scenario | feature | attempts | first attempt's message |")
        lines.append("| --- | --- | ---: | --- |")
        for first_bad, last, tries in summary.flaky:
            lines.append(
                f"| {_cell(last.name)} | {_cell(last.feature)} | {tries} "
                f"| {first_bad.status}: {_cell(first_bad.message)} |"
            )
    if summary.problems:
        lines += ["", "#### Not read", ""]
        lines.extend(f"- {_cell(problem)}" for problem in summary.problems)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.report_summary", description=__doc__)
    parser.add_argument("folders", nargs="+", type=Path, metavar="DIR", help="Allure results")
    parser.add_argument("--markdown", action="store_true", help="for $GITHUB_STEP_SUMMARY")
    args = parser.parse_args(argv)
    summary = summarize(args.folders)
    print(markdown(summary) if args.markdown else plain(summary, args.folders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
