"""Which scenario killed each mutant in the last runs: mutation/<product>-killers.json.

A killed mutant is most likely killed again by the scenario that killed it last time, so the
worker runs that scenario first (mutation/worker.py), when it still reaches the mutant. It is
an order only: a mutant that survives still runs every scenario that reaches it, and a guess
that no longer holds (the module or the feature changed) costs one scenario.

Keyed by mutation/coverage_map.py's mutant key (module|operator|occurrence): an edit of the
module can move occurrences, and then the guesses for that module are simply wrong for a run.
A killer is kept by its feature file and scenario name (`features/x.feature::Its name`), not
its line: a scenario added above it would otherwise move every killer below it to the wrong
scenario (the first SaaS run after three features grew ran 8.6 scenarios a mutant instead of
about one). A run turns names into today's lines (`located`) and writes names back (`named`);
an older file's `file:line` values are used as they are until their mutant is killed again.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from behave.parser import parse_file

NAME_MARK = "::"
# behave names an outline's row "<title> -- @1.2 <examples' name>": the row's number moves
# when a row is added above it, so the title alone names it when no other row shares it
_ROW_SUFFIX = re.compile(r" -- @\d+\.\d+.*$")


def scenario_names(root: Path, features: Iterable[Path]) -> dict[str, str]:
    """file:line -> file::name of every scenario of the features (an outline's rows each by its
    own title); a name two scenarios of one file would share is not given to either."""
    named: dict[str, str] = {}
    for feature_path in features:
        feature = parse_file(str(root / feature_path))
        if feature is None:
            continue
        relative = Path(feature_path).as_posix()
        scenarios = list(feature.walk_scenarios())
        titles = Counter(_ROW_SUFFIX.sub("", scenario.name) for scenario in scenarios)
        for scenario in scenarios:
            title = _ROW_SUFFIX.sub("", scenario.name)
            name = title if titles[title] == 1 else scenario.name.strip()
            named[f"{relative}:{scenario.line}"] = f"{relative}{NAME_MARK}{name}"
    counts = Counter(named.values())
    return {location: name for location, name in named.items() if counts[name] == 1}


def named(killed: Mapping[str, str], names: Mapping[str, str]) -> dict[str, str]:
    """This run's killers (mutant key -> file:line) by scenario name where the name is known."""
    return {mutant: names.get(location, location) for mutant, location in killed.items()}


def located(known: Mapping[str, str], names: Mapping[str, str]) -> dict[str, str]:
    """The killers file's values as today's file:line: a name no scenario has any more is
    dropped (its mutant runs in the usual order); a file:line value is kept as it is."""
    lines = {name: location for location, name in names.items()}
    found = {}
    for mutant, killer in known.items():
        if NAME_MARK not in killer:
            found[mutant] = killer
        elif killer in lines:
            found[mutant] = lines[killer]
    return found


def read(path: Path) -> dict[str, str]:
    """mutant key -> the scenario (file::name, or file:line) that killed it last; {} when there
    is no file."""
    if not path.is_file():
        return {}
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not a killers file (JSON): {exc}") from exc
    if not isinstance(found, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in found.items()
    ):
        raise ValueError(f"{path}: a killers file maps mutant keys to scenarios (file::name)")
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


def of_siblings(
    mutants: Iterable[str],
    covering: Mapping[str, list[str] | None],
    known: Mapping[str, str],
    most: int = 3,
) -> list[str]:
    """The scenarios that killed other mutants reached by exactly the same scenarios as these
    (in practice: the same statement, another operator), the most frequent first, at most
    `most`: the likeliest killers of a mutant no run has killed yet. `known`: killers by mutant
    key (the last runs' and this run's, as file:line)."""
    reaches = {tuple(covering[m]) for m in mutants if covering.get(m)}
    if not reaches:
        return []
    mutants = set(mutants)
    found = Counter(
        known[other]
        for other, reached in covering.items()
        if other not in mutants and other in known and reached and tuple(reached) in reaches
    )
    return [location for location, _ in found.most_common(most)]


def first(order: list[str], killers: Iterable[str], scenarios: Iterable[str] = ()) -> list[str]:
    """`order` with the mutant's last killers in front: those in it, or among `scenarios` (the
    run's scenario locations, for an order of whole feature files)."""
    runnable = set(order) | set(scenarios)
    ahead = [location for location in dict.fromkeys(killers) if location in runnable]
    return ahead + [location for location in order if location not in ahead]
