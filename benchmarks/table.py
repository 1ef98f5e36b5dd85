"""The benchmark's figures: rows of a table, and what it reads back from a behave run's output.

Nothing here measures or runs anything: benchmarks/suite.py measures, this module formats and
parses, so both can be tested without a run.
"""

from __future__ import annotations

import json
import os
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

SUMMARY_TITLE = "Timing summary:"
# "  scenario reset         mean 14.2 ms, worst 31.0 ms over 10 scenario(s)": the name runs up
# to the first figure (names longer than the 22 columns behave pads to end with one space)
_SUMMARY_LINE = re.compile(
    r"^\s{2}(?P<name>\S.*?)\s+(?P<value>(?:mean |worst )?[\d.]+ (?:ms|s)\b.*)$"
)
_FIGURE = re.compile(r"(?:(?P<kind>mean|worst) )?(?P<number>[\d.]+) (?P<unit>ms|s)\b")
_COUNT = re.compile(r"over (?P<count>\d+) ")


@dataclass(frozen=True)
class Mark:
    """One line of base/timing.py's summary: a total, or a mean and a worst over a count."""

    name: str
    seconds: float  # the total, or the mean
    worst: float | None = None
    count: int | None = None


def parse_timing_summary(text: str) -> dict[str, Mark]:
    """Every mark of the last "Timing summary:" block in a run's output, whatever its name (the
    harness adds marks over time; the benchmark prints what there is)."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == SUMMARY_TITLE]
    if not starts:
        return {}
    marks: dict[str, Mark] = {}
    for line in lines[starts[-1] + 1 :]:
        matched = _SUMMARY_LINE.match(line)
        if matched is None:
            break
        figures = {"": [], "mean": [], "worst": []}
        for figure in _FIGURE.finditer(matched["value"]):
            scale = 0.001 if figure["unit"] == "ms" else 1.0
            figures[figure["kind"] or ""].append(float(figure["number"]) * scale)
        count = _COUNT.search(matched["value"])
        first = (figures["mean"] or figures[""])[0]
        marks[matched["name"]] = Mark(
            name=matched["name"],
            seconds=first,
            worst=figures["worst"][0] if figures["worst"] else None,
            count=int(count["count"]) if count else None,
        )
    return marks


def combine_marks(runs: Iterable[dict[str, Mark]]) -> dict[str, Mark]:
    """Several runs' marks as one: means weighted by their counts, the worst of the worsts,
    totals added up; names in the order first seen."""
    grouped: dict[str, list[Mark]] = {}
    for marks in runs:
        for name, mark in marks.items():
            grouped.setdefault(name, []).append(mark)
    combined: dict[str, Mark] = {}
    for name, marks in grouped.items():
        if all(m.worst is not None for m in marks):
            counted = all(m.count is not None for m in marks)
            # a mark that does not say over how many is averaged run by run
            counts = [m.count or 0 for m in marks] if counted else [1] * len(marks)
            mean = sum(m.seconds * c for m, c in zip(marks, counts, strict=True)) / max(
                1, sum(counts)
            )
            worst = max(m.worst for m in marks if m.worst is not None)
            combined[name] = Mark(name, mean, worst, sum(counts) if counted else None)
        else:
            combined[name] = Mark(name, sum(m.seconds for m in marks), None, len(marks))
    return combined


@dataclass(frozen=True)
class StepShare:
    """Where a run's wall time went, from its Allure results."""

    wall: float  # the behave processes' wall time, start to exit
    scenarios: float  # the sum of the scenarios' durations
    steps: float  # the sum of the steps' durations
    scenario_count: int

    @property
    def outside_steps(self) -> float:
        """The share of wall time spent outside step bodies."""
        return 1 - self.steps / self.wall if self.wall > 0 else 0.0


def read_step_share(folders: Iterable[Path], wall: float) -> StepShare:
    """Sum the scenarios' and their steps' durations (milliseconds in the result files)."""
    scenarios = steps = 0.0
    count = 0
    for folder in folders:
        for path in sorted(folder.glob("*-result.json")):
            try:
                result = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise ValueError(f"{path}: not an Allure result file ({error})") from error
            if result.get("status") == "skipped":
                continue
            count += 1
            scenarios += _duration(result)
            steps += sum(_duration(step) for step in result.get("steps", []))
    return StepShare(wall, scenarios, steps, count)


def _duration(item: dict) -> float:
    start, stop = item.get("start"), item.get("stop")
    if not isinstance(start, int) or not isinstance(stop, int):
        return 0.0
    return max(0, stop - start) / 1000


def feature_walls(folders: Iterable[Path]) -> dict[str, float]:
    """Each feature's wall time in one run: its first scenario's start to its last one's stop."""
    spans: dict[str, list[int]] = {}
    for folder in folders:
        for path in folder.glob("*-result.json"):
            result = json.loads(path.read_text(encoding="utf-8"))
            feature = next(
                (lab["value"] for lab in result.get("labels", []) if lab.get("name") == "feature"),
                "?",
            )
            start, stop = result.get("start"), result.get("stop")
            if isinstance(start, int) and isinstance(stop, int):
                span = spans.setdefault(feature, [start, stop])
                span[0], span[1] = min(span[0], start), max(span[1], stop)
    return {feature: (stop - start) / 1000 for feature, (start, stop) in sorted(spans.items())}


@dataclass
class Row:
    section: str
    name: str
    value: str  # as printed
    seconds: float | None = None  # the figure itself, for the JSON file
    details: dict[str, float | int | str | None] = field(default_factory=dict)


def seconds_text(seconds: float | None) -> str:
    """A duration as a person reads it: milliseconds under a second, else seconds."""
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def median_row(section: str, name: str, samples: Sequence[float], note: str = "") -> Row:
    """A row of several tries: the median, with the range and the number of tries."""
    if not samples:
        return Row(section, name, f"not measured{f' ({note})' if note else ''}")
    median = statistics.median(samples)
    spread = ""
    if len(samples) > 1:
        low, high = seconds_text(min(samples)), seconds_text(max(samples))
        spread = f" (min {low}, max {high}, {len(samples)} tries)"
    text = f"{seconds_text(median)}{spread}{f'; {note}' if note else ''}"
    return Row(
        section,
        name,
        text,
        median,
        {"tries": len(samples), "min": min(samples), "max": max(samples)},
    )


def mark_row(section: str, mark: Mark) -> Row:
    if mark.worst is not None:
        text = f"mean {seconds_text(mark.seconds)}, worst {seconds_text(mark.worst)}"
        text += f" over {mark.count}" if mark.count is not None else ""
        return Row(
            section, mark.name, text, mark.seconds, {"worst": mark.worst, "count": mark.count}
        )
    return Row(section, mark.name, seconds_text(mark.seconds), mark.seconds, {"count": mark.count})


def format_table(rows: Sequence[Row]) -> str:
    """The rows under their sections, names in one column: a table for a terminal."""
    width = max((len(row.name) for row in rows), default=0) + 2
    lines: list[str] = []
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append("" if not lines else "")
            lines.append(section)
        lines.append(f"  {row.name:<{width}}{row.value}")
    return "\n".join(lines[1:] if lines and lines[0] == "" else lines)


def load_average() -> str:
    """/proc/loadavg's three figures (1, 5, 15 minutes)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def write_report(path: Path, rows: Sequence[Row], machine: dict[str, str | int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"machine": machine, "rows": [asdict(row) for row in rows]}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def first_step_start(folders: Iterable[Path]) -> int | None:
    """The earliest start of a step in the results, milliseconds since the epoch."""
    starts = []
    for folder in folders:
        for path in folder.glob("*-result.json"):
            result = json.loads(path.read_text(encoding="utf-8"))
            starts.extend(
                step["start"]
                for step in result.get("steps", [])
                if isinstance(step.get("start"), int)
            )
    return min(starts, default=None)


_LOG_LINE = re.compile(r"^(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \S+ \S+ (?P<text>.*)$")
APP_LOG_EVENTS = {"Started server process": "process", "Uvicorn running on": "listening"}


def app_log_moments(text: str) -> dict[str, float]:
    """When a reference app's process was serving its Python (uvicorn's "Started server
    process") and listening ("Uvicorn running on"), as seconds since the epoch; the log's times
    are local times, as logging writes them."""
    moments: dict[str, float] = {}
    for line in text.splitlines():
        matched = _LOG_LINE.match(line)
        if matched is None:
            continue
        for words, event in APP_LOG_EVENTS.items():
            if matched["text"].startswith(words) and event not in moments:
                at = datetime.strptime(matched["at"], "%Y-%m-%d %H:%M:%S,%f")
                moments[event] = at.timestamp()
    return moments
