"""Which scenario killed each mutant in the last runs: mutation/<product>-killers.json.

A killed mutant is most likely killed again by the scenario that killed it last time, so the
worker runs that scenario first (mutation/worker.py), when it still reaches the mutant. It is
an order only: a mutant that survives still runs every scenario that reaches it, and a guess
that no longer holds (the module or the feature changed) costs one scenario.

Keyed by mutation/coverage_map.py's mutant key (module|operator|occurrence): an edit of the
module can move occurrences, and then the guesses for that module are simply wrong for a run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path


def read(path: Path) -> dict[str, str]:
    """mutant key -> the scenario (file:line) that killed it last; {} when there is no file."""
    if not path.is_file():
        return {}
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not a killers file (JSON): {exc}") from exc
    if not isinstance(found, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in found.items()
    ):
        raise ValueError(f"{path}: a killers file maps mutant keys to file:line strings")
    return found


def of_kills(kill_lines: Iterable[dict]) -> dict[str, str]:
    """The kill log's entries (mutation/worker.py's KillLog) as mutant key -> killer."""
    return {mutant: kill["location"] for kill in kill_lines for mutant in kill.get("mutants", ())}


def update(path: Path, killed: dict[str, str], survived: Iterable[str]) -> int:
    """Add this run's killers to the file, forget the mutants that survived it; how many
    killers the file now holds."""
    known = read(path)
    known.update(killed)
    for mutant in survived:
        known.pop(mutant, None)
    path.write_text(json.dumps(known, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return len(known)


def first(order: list[str], killers: Iterable[str], scenarios: Iterable[str] = ()) -> list[str]:
    """`order` with the mutant's last killers in front: those in it, or among `scenarios` (the
    run's scenario locations, for an order of whole feature files)."""
    runnable = set(order) | set(scenarios)
    ahead = [location for location in dict.fromkeys(killers) if location in runnable]
    return ahead + [location for location in order if location not in ahead]
