"""Which scenarios reach a mutant's line: read from the baseline run, whose reference app ran
under coverage with a context per scenario (harness/app_coverage.py, harness/app_gate.py).

A mutant then runs only the scenarios that ran its statement (the order of mutation/worker.py:
those that killed its module's mutants first). A statement run before the first scenario
(imports, start-up: a def line with its defaults, a decorator), or between two scenarios, may
change any of them: all the product's scenarios. A module's constant also runs at import, but
its value matters only where it is read: when every read is in a function body, the scenarios
that ran those reads (mutation/constant_readers.py). A statement no scenario ran
cannot be told from the original by any scenario: the mutant survives without a run, and the
result says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from constant_readers import bound_names, reads_of
from coverage import CoverageData
from coverage.python import PythonParser

START_UP = ""  # the context of what ran before the first scenario
EVERY_SCENARIO = None  # what covering() gives for a statement run at start-up


@dataclass
class CoverageMap:
    """Module path (relative to the tree) -> statement's first line -> scenario locations:
    every measured module of the tree, the mutated ones and those that read their constants."""

    statements: dict[str, dict[int, set[str]]] = field(default_factory=dict)
    _parsers: dict[str, PythonParser] = field(default_factory=dict, repr=False)

    def covering(self, tree: Path, module: str, line: int) -> list[str] | None:
        """The scenarios (sorted) that ran the statement holding `line` of `module`; None when
        it ran at start-up (every scenario); [] when no scenario ran it."""
        by_statement = self.statements.get(module)
        if not by_statement:
            return []
        first = self._parser(tree, module).first_line(line)
        contexts = by_statement.get(first, set())
        if any(not is_scenario(context) for context in contexts):
            return self._reading(tree, module, first)  # run at start-up, or between scenarios
        return sorted(contexts)

    def _reading(self, tree: Path, module: str, first: int) -> list[str] | None:
        """The scenarios that ran every read of the constant the statement at `first` binds;
        every scenario when it binds none, or a read is not in a function run by scenarios."""
        names = bound_names(tree, module, first)
        reads = reads_of(tree, module, names) if names else None
        if reads is None:
            return EVERY_SCENARIO
        found: set[str] = set()
        for reader, lines in reads.items():
            by_statement = self.statements.get(reader, {})
            for line in lines:
                contexts = by_statement.get(self._parser(tree, reader).first_line(line), set())
                if any(not is_scenario(context) for context in contexts):
                    return EVERY_SCENARIO  # read at start-up or between scenarios
                found |= contexts
        return sorted(found)

    def _parser(self, tree: Path, module: str) -> PythonParser:
        if module not in self._parsers:
            parser = PythonParser(filename=str(tree / module))
            parser.parse_source()
            self._parsers[module] = parser
        return self._parsers[module]


def is_scenario(context: str) -> bool:
    """A scenario's location (features/x.feature:12), not START_UP nor harness/app_coverage.py's
    BETWEEN."""
    return ".feature:" in context


def read(data_files: Iterable[Path], tree: Path, into: CoverageMap | None = None) -> CoverageMap:
    """The statements each scenario ran in the tree's modules (the mutated ones, and every
    other the apps ran), from the apps' coverage data files of a run in `tree`; added to
    `into` (another copy's run of other scenarios) when given."""
    found = CoverageMap() if into is None else into
    root = tree.resolve()
    for data_file in data_files:
        data = CoverageData(basename=str(data_file))
        data.read()
        for measured in data.measured_files():
            path = Path(measured).resolve()
            if not path.is_relative_to(root):
                continue
            module = path.relative_to(root).as_posix()
            parser = found._parser(tree, module)
            by_statement = found.statements.setdefault(module, {})
            for line, contexts in data.contexts_by_lineno(measured).items():
                by_statement.setdefault(parser.first_line(line), set()).update(contexts)
    return found


def mutant_key(module: str, operator: str, occurrence: int) -> str:
    return f"{module}|{operator}|{occurrence}"


def write_covering(path: Path, covering: dict[str, list[str] | None]) -> None:
    path.write_text(json.dumps(covering, sort_keys=True), encoding="utf-8")


def read_covering(path: Path) -> dict[str, list[str] | None]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
