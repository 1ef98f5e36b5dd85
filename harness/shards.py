"""`--shard I/N`: a deterministic slice of the selected scenarios, balanced by time or by count.

Whole features are dealt out, longest first, each onto the shard with the least work so far
(ties: the lower shard number; equal features: the file name). A feature keeps its scenarios
together where it can, because a shard pays for each feature it runs: its fixtures seeded, its
product's databases created and app started the first time (about 0.03 s, 0.4 s and 1.3 s in
the Timing summary of a run). Only when whole features leave a shard more than TOLERANCE above
its fair share (the suite's time divided by N) is the longest feature split, and its scenarios
dealt one by one with the rest; then the next longest, while the shards are not within
TOLERANCE and a split still shortens the longest shard (a single scenario longer than a fair
share cannot be helped). Every selected scenario lands on exactly one shard.

The work of a scenario is its last measured seconds from the timings file (a scenario it does
not know counts as the mean of those it knows); without timings, or when none of the selected
scenarios is in them, each scenario counts 1 (balanced by count).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from harness.scenario_selection import SelectedScenario

# how far above its fair share a shard may go before a feature is split: 2 % of a 6-minute
# shard is 7 s, more than the set-up a split feature costs the shard it moves to
TOLERANCE = 0.02

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = _SHARD.match(text)
        if not match:
            raise ValueError(f"--shard {text!r}: give it as I/N, e.g. --shard 1/2")
        index, count = int(match.group(1)), int(match.group(2))
        if count < 1 or not 1 <= index <= count:
            raise ValueError(f"--shard {text!r}: I must be from 1 to N, and N at least 1")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass
class Plan:
    shards: list[list[SelectedScenario]]  # each in the order behave would run them
    loads: list[float]  # each shard's predicted seconds (or scenario count)
    by_time: bool  # balanced by measured seconds, else by count
    unmeasured: int  # selected scenarios the timings did not know
    split: list[str]  # feature files dealt scenario by scenario

    @property
    def total(self) -> float:
        return sum(self.loads)


def weights_of(
    scenarios: Sequence[SelectedScenario], timings: dict[str, float] | None
) -> tuple[list[float], bool, int]:
    known = [timings[s.key] for s in scenarios if timings and s.key in timings]
    if not known:
        return [1.0] * len(scenarios), False, len(scenarios) if timings else 0
    mean = sum(known) / len(known)
    weights = [timings.get(s.key, mean) for s in scenarios]  # type: ignore[union-attr]
    return weights, True, len(scenarios) - len(known)


def _deal(
    units: list[tuple[float, str, list[SelectedScenario]]], count: int
) -> tuple[list[list[SelectedScenario]], list[float]]:
    """Longest first onto the least loaded shard (the lower number on a tie)."""
    shards: list[list[SelectedScenario]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for weight, _, members in sorted(units, key=lambda unit: (-unit[0], unit[1])):
        lightest = min(range(count), key=lambda index: (loads[index], index))
        shards[lightest].extend(members)
        loads[lightest] += weight
    return shards, loads


def plan(
    scenarios: Sequence[SelectedScenario], count: int, timings: dict[str, float] | None = None
) -> Plan:
    weights, by_time, unmeasured = weights_of(scenarios, timings)
    features: dict[str, list[tuple[SelectedScenario, float]]] = {}
    for scenario, weight in zip(scenarios, weights, strict=True):
        features.setdefault(scenario.filename, []).append((scenario, weight))
    totals = {filename: sum(w for _, w in members) for filename, members in features.items()}
    longest_first = sorted(features, key=lambda filename: (-totals[filename], filename))
    fair = sum(weights) / count

    def deal(split: list[str]) -> tuple[list[list[SelectedScenario]], list[float]]:
        units = []
        for filename, members in features.items():
            if filename in split:
                units.extend((weight, s.location, [s]) for s, weight in members)
            else:
                units.append((totals[filename], filename, [s for s, _ in members]))
        return _deal(units, count)

    split: list[str] = []
    shards, loads = deal(split)
    for filename in longest_first:
        if max(loads) <= fair * (1 + TOLERANCE):
            break
        if len(features[filename]) < 2:
            continue
        tried, tried_loads = deal([*split, filename])
        if max(tried_loads) >= max(loads):
            break  # one scenario longer than a fair share holds its shard back whatever we split
        split, shards, loads = [*split, filename], tried, tried_loads

    order = {s.location: position for position, s in enumerate(scenarios)}
    for shard in shards:
        shard.sort(key=lambda s: order[s.location])
    return Plan(shards, loads, by_time, unmeasured, split)
