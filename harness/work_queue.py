"""The work of `run_suite --workers N`, taken as the workers get free: parts of the selected
scenarios in a queue folder, each claimed by one worker (harness/queue_runner.py).

A fixed deal by the timings leaves one worker running while the other has ended: with two
workers on two cores every scenario runs slower than alone, and not by the same factor (those
that wait on a clock, less). So the scenarios are cut into parts: whole features, and a feature
longer than a part (the suite's time over PARTS_PER_WORKER x N) in runs of its scenarios. The
parts are put longest first; each worker takes the next part nobody has taken, its first one
at its own place in the queue (worker i: part i), so the last parts, the shortest, even out
the ends. A part is claimed by creating its file in the queue folder (O_EXCL: one worker wins).

With behave's --stop, a worker whose part failed marks the queue stopped: no worker takes
another part.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.scenario_selection import SelectedScenario
from harness.shards import weights_of

PARTS_PER_WORKER = 4
QUEUE_ENV = "SUITE_QUEUE"
WORKER_ENV = "SUITE_WORKER"
_PARTS_FILE = "parts.json"
_STOPPED = "stopped"


@dataclass(frozen=True)
class Part:
    filename: str
    scenarios: tuple[SelectedScenario, ...]
    seconds: float  # predicted: the timings' seconds, or the count of scenarios without them

    @property
    def locations(self) -> list[str]:
        return [s.location for s in self.scenarios]


@dataclass(frozen=True)
class Parts:
    parts: list[Part]
    by_time: bool  # predicted by measured seconds, else by count
    unmeasured: int  # selected scenarios the timings did not know


def cut(
    scenarios: Sequence[SelectedScenario], workers: int, timings: dict[str, float] | None
) -> Parts:
    """The scenarios in parts, longest first (equal ones: in the order behave would run them)."""
    weights, by_time, unmeasured = weights_of(scenarios, timings)
    features: dict[str, list[tuple[SelectedScenario, float]]] = {}
    for scenario, weight in zip(scenarios, weights, strict=True):
        features.setdefault(scenario.filename, []).append((scenario, weight))
    longest = sum(weights) / (workers * PARTS_PER_WORKER)
    parts: list[Part] = []
    for filename, members in features.items():
        run: list[SelectedScenario] = []
        seconds = 0.0
        for scenario, weight in members:
            if run and seconds + weight > longest:
                parts.append(Part(filename, tuple(run), seconds))
                run, seconds = [], 0.0
            run.append(scenario)
            seconds += weight
        parts.append(Part(filename, tuple(run), seconds))
    order = {id(part): position for position, part in enumerate(parts)}
    parts.sort(key=lambda part: (-part.seconds, order[id(part)]))
    return Parts(parts, by_time, unmeasured)


class WorkQueue:
    """The queue folder: the parts (their locations) and a file per claimed part."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def create(cls, folder: Path, parts: Sequence[Part]) -> WorkQueue:
        folder.mkdir(parents=True, exist_ok=False)
        text = json.dumps([part.locations for part in parts])
        (folder / _PARTS_FILE).write_text(text, encoding="utf-8")
        return cls(folder)

    @classmethod
    def of_environment(cls) -> WorkQueue | None:
        folder = os.environ.get(QUEUE_ENV)
        return cls(Path(folder)) if folder else None

    def locations(self) -> list[list[str]]:
        path = self.folder / _PARTS_FILE
        try:
            parts = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"{QUEUE_ENV}: cannot read the parts in {path}: {error}") from error
        return parts

    @staticmethod
    def order_for(worker: int, count: int) -> list[int]:
        """Worker `worker` (1-based) tries its own part first, then the queue from the start."""
        own = worker - 1
        if not 0 <= own < count:
            return list(range(count))
        return [own, *(index for index in range(count) if index != own)]

    def claim(self, index: int, worker: int) -> bool:
        try:
            handle = os.open(self.folder / f"part-{index}", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        with os.fdopen(handle, "w") as claim:
            claim.write(str(worker))
        return True

    def claimed_by(self) -> dict[int, int]:
        """Part index -> the worker that took it."""
        taken = {}
        for path in self.folder.glob("part-*"):
            taken[int(path.name.removeprefix("part-"))] = int(path.read_text() or 0)
        return taken

    def stop(self) -> None:
        (self.folder / _STOPPED).touch()

    @property
    def stopped(self) -> bool:
        return (self.folder / _STOPPED).exists()
