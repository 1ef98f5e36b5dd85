"""Which scenarios reach a mutant's line: read from the baseline run, whose reference app ran
under coverage with a context per scenario (harness/app_coverage.py, harness/app_gate.py).

A mutant then runs only the scenarios that ran its statement (the order of mutation/worker.py:
those that killed its module's mutants first). A statement run before the first scenario
(imports, start-up: a def line with its defaults, a decorator), or between two scenarios, may
change any of them: all the product's scenarios. A module's constant also runs at import, but
its value matters only where it is read: when every read is in a function body, the scenarios
that ran those reads (mutation/constant_readers.py). A statement with no scenario of its own
runs the scenarios that ran the rest of its function's body: Python 3.11 loses the lines of a
coroutine resumed by a thrown exception (CancelledError, a timeout) until its next resume, so
"not recorded" is not "not run" there. A statement no scenario ran, in a function no scenario
entered (or outside any function), cannot be told from the original by any scenario: the
mutant survives without a run, and the result says so.
"""

from __future__ import annotations

import ast
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
    _functions: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    def covering(self, tree: Path, module: str, line: int) -> list[str] | None:
        """The scenarios (sorted) that ran the statement holding `line` of `module`; None when
        it ran at start-up (every scenario); [] when no scenario ran it."""
        if not self.statements.get(module):
            return []
        first, contexts = self._contexts(tree, module, line)
        if any(not is_scenario(context) for context in contexts):
            return self._reading(tree, module, first)  # run at start-up, or between scenarios
        return sorted(contexts)

    def runs_outside_scenarios(self, tree: Path, module: str, line: int) -> bool:
        """The statement holding `line` ran at the apps' start (or between scenarios): what it
        made then (a route's handler, a value kept) is made again only by a new start."""
        if not self.statements.get(module):
            return False
        _, contexts = self._contexts(tree, module, line)
        return any(not is_scenario(context) for context in contexts)

    def _contexts(self, tree: Path, module: str, line: int) -> tuple[int, set[str]]:
        """The first line of the statement holding `line`, and the contexts that ran it (those
        of its function's body when it has none of its own: cpython#106749, _in_function)."""
        first = self._parser(tree, module).first_line(line)
        contexts = self.statements[module].get(first) or self._in_function(tree, module, first)
        return first, contexts

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

    def _in_function(self, tree: Path, module: str, line: int) -> set[str]:
        """The contexts of every statement in the body of the innermost function holding
        `line`. Python 3.11 misses the trace event of a coroutine resumed by a thrown exception
        (cpython#106749), and coverage then records none of the lines the frame runs until its
        next resume: a statement with no context may still have run wherever its function's
        other statements ran. Nothing for a statement outside any function."""
        body = self._function_body(tree, module, line)
        if body is None:
            return set()
        start, end = body
        found: set[str] = set()
        for statement, contexts in self.statements.get(module, {}).items():
            if start <= statement <= end:
                found |= contexts
        return found

    def _function_body(self, tree: Path, module: str, line: int) -> tuple[int, int] | None:
        if module not in self._functions:
            source = (tree / module).read_text(encoding="utf-8")
            self._functions[module] = [
                (node.body[0].lineno, node.end_lineno or node.body[-1].lineno)
                for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
        holding = [span for span in self._functions[module] if span[0] <= line <= span[1]]
        return min(holding, key=lambda span: span[1] - span[0]) if holding else None

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


def start_up_file(covering_file: Path) -> Path:
    """The mutants whose statement ran at the apps' start, beside the covering file."""
    return covering_file.with_name("start-up.json")


def read_covering(path: Path) -> dict[str, list[str] | None]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
