"""Which mutants a run leaves out, and why: read from mutation/<product>.toml.

Applied to cosmic-ray's session after `cosmic-ray init`; a left-out mutant gets cosmic-ray's
SKIPPED outcome with the reason as its output, so the report can count it by reason.

- [[mutation.operators-not-used]]: operators of cosmic-ray's core set this run does not use
  (cut for time); their mutants are outside the score.
- duplicates: a mutant whose program is the same as another's is counted once (AddNot's
  `not not x` is Delete_Not's `x`; `not a == b` is `a != b`): see canonical().
- [[mutation.exclude]]: mutants that are equivalent or out of a browser-level test's reach,
  matched by module, by the source line, by the mutated line, by operator and by the line just
  before (`follows`: two lines that read the same, told apart by what precedes them); `where =
  "annotations"` matches every mutant inside a type annotation.

A rule that matches nothing is reported as stale: the code it was written for has changed.
"""

from __future__ import annotations

import ast
import difflib
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cosmic_ray.mutating import mutate_code
from cosmic_ray.plugins import get_operator
from cosmic_ray.work_db import WorkDB
from cosmic_ray.work_item import MutationSpec, WorkerOutcome, WorkResult

NOT_USED = "operator not used: "
EXCLUDED = "excluded: "
DUPLICATE = (
    "the same program as another mutant or as the code itself (`not not x` is `x`, "
    "`not a == b` is `a != b` in a condition): counted once"
)

UNAPPLIABLE = (
    "cosmic-ray's operator fails on this code or makes a mutant that is not Python (a tool bug: "
    "`**` that unpacks a dict taken for a power, `*` that ends positional arguments for a "
    "product), so it cannot be tested"
)

Span = tuple[int, int, int, int]


class ConfigError(ValueError):
    """mutation/<product>.toml is missing something or says it wrongly."""


class UnappliableError(RuntimeError):
    """cosmic-ray's operator fails on this code (e.g. ExceptionReplacer on `except (a.B, C)`) or
    makes a mutant that is not Python."""


@dataclass
class Mutant:
    """One mutation as the rules and the report see it."""

    job_id: str
    module: str
    operator: str
    line: int
    function: str | None
    before: str = ""  # the source line(s) the mutation changes
    after: str = ""  # what they become
    previous: str = ""  # the source line before the first one it changes


@dataclass(frozen=True)
class Rule:
    """Which mutants: all the given parts must match."""

    why: str
    module: re.Pattern[str] | None = None
    line: re.Pattern[str] | None = None
    to: re.Pattern[str] | None = None
    operators: re.Pattern[str] | None = None
    keep: re.Pattern[str] | None = None
    follows: re.Pattern[str] | None = None
    annotations: bool = False

    def describe(self) -> str:
        parts = []
        if self.annotations:
            parts.append("inside a type annotation")
        if self.module:
            parts.append(f"module `{self.module.pattern}`")
        if self.operators:
            parts.append(f"operators `{self.operators.pattern}`")
        if self.line:
            parts.append(f"line `{self.line.pattern}`")
        if self.to:
            parts.append(f"becoming `{self.to.pattern}`")
        if self.follows:
            parts.append(f"after `{self.follows.pattern}`")
        return ", ".join(parts)

    def matches(self, mutant: Mutant, spec: MutationSpec, spans: set[Span]) -> bool:
        if self.module and not self.module.search(mutant.module):
            return False
        if self.operators and not self.operators.fullmatch(mutant.operator):
            return False
        if self.keep and self.keep.fullmatch(mutant.operator):
            return False
        if self.line and not self.line.search(mutant.before):
            return False
        if self.to and not self.to.search(mutant.after):
            return False
        if self.follows and not self.follows.search(mutant.previous):
            return False
        return not (self.annotations and not _inside(spec, spans))


@dataclass
class Plan:
    """What the rules did to a session: counts by reason, and the stale rules."""

    not_used: Counter[str] = field(default_factory=Counter)
    excluded: Counter[str] = field(default_factory=Counter)
    stale: list[str] = field(default_factory=list)
    to_run: int = 0
    by_module: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Config:
    product: str
    path: Path
    modules: tuple[str, ...]
    left_out: dict[str, str]
    workers: int
    suite_workers: int
    timeout_factor: float
    min_timeout: float
    budget_minutes: float
    fail_under: float
    behave: tuple[str, ...]
    operators_not_used: tuple[Rule, ...]
    exclusions: tuple[Rule, ...]
    cosmic_ray: dict


def _regex(raw: object, where: str) -> re.Pattern[str] | None:
    if raw is None:
        return None
    if isinstance(raw, list):
        raw = "|".join(f"(?:{item})" for item in raw)
    if not isinstance(raw, str):
        raise ConfigError(f"{where}: expected a regular expression, got {raw!r}")
    try:
        return re.compile(raw)
    except re.error as exc:
        raise ConfigError(f"{where}: {raw!r} is not a regular expression: {exc}") from None


def _rule(entry: dict, where: str, allowed: set[str]) -> Rule:
    unknown = set(entry) - allowed - {"why"}
    if unknown:
        raise ConfigError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    why = entry.get("why", "")
    if not isinstance(why, str) or not why.strip() or "\n" in why.strip():
        raise ConfigError(f"{where}: every rule needs a one-line `why`")
    if "where" in entry and entry["where"] != "annotations":
        raise ConfigError(f'{where}: `where` can only be "annotations"')
    rule = Rule(
        why=why.strip(),
        module=_regex(entry.get("module"), where),
        line=_regex(entry.get("line"), where),
        to=_regex(entry.get("to"), where),
        operators=_regex(entry.get("operators"), where),
        keep=_regex(entry.get("keep"), where),
        follows=_regex(entry.get("follows"), where),
        annotations=entry.get("where") == "annotations",
    )
    if not (rule.annotations or rule.line or rule.to or rule.operators):
        raise ConfigError(f"{where}: say which mutants (operators, line, to or where)")
    return rule


def load_config(path: Path, product: str) -> Config:
    if not path.is_file():
        raise ConfigError(f"no {path}: a product's mutation run is configured there")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    cosmic_ray = data.get("cosmic-ray")
    ours = data.get("mutation")
    if not isinstance(cosmic_ray, dict) or not isinstance(ours, dict):
        raise ConfigError(f"{path}: needs a [cosmic-ray] and a [mutation] table")
    modules = cosmic_ray.get("module-path")
    if not isinstance(modules, list) or not modules:
        raise ConfigError(f"{path}: [cosmic-ray] module-path must list the modules to mutate")
    operators = tuple(
        _rule(
            entry,
            f"{path}: [[mutation.operators-not-used]] #{index}",
            {"operators", "keep", "line"},
        )
        for index, entry in enumerate(ours.get("operators-not-used", []), 1)
    )
    exclusions = tuple(
        _rule(
            entry,
            f"{path}: [[mutation.exclude]] #{index}",
            {"module", "line", "to", "operators", "where", "follows"},
        )
        for index, entry in enumerate(ours.get("exclude", []), 1)
    )
    return Config(
        product=product,
        path=path,
        modules=tuple(str(module) for module in modules),
        left_out={str(k): str(v) for k, v in ours.get("modules-left-out", {}).items()},
        workers=int(ours.get("workers", 2)),
        suite_workers=int(ours.get("suite-workers", 1)),
        timeout_factor=float(ours.get("timeout-factor", 3)),
        min_timeout=float(ours.get("min-timeout", 60)),
        budget_minutes=float(ours.get("budget-minutes", 55)),
        fail_under=float(ours.get("fail-under", 0)),
        behave=tuple(str(option) for option in ours.get("behave", [])),
        operators_not_used=operators,
        exclusions=exclusions,
        cosmic_ray=cosmic_ray,
    )


def unaccounted_modules(config: Config, root: Path) -> list[str]:
    """The product's Python modules (app/<product>/, from `root`) that the config neither
    mutates nor leaves out with a reason: a rule added in a new module would otherwise never
    be mutated, and the score would not say so."""
    left_out = tuple(config.left_out)
    found = []
    for module in sorted((root / "app" / config.product).rglob("*.py")):
        name = module.relative_to(root).as_posix()
        if name in config.modules or name in left_out:
            continue
        if any(folder.endswith("/") and name.startswith(folder) for folder in left_out):
            continue
        found.append(name)
    return found


def check_every_module_accounted(config: Config, root: Path) -> None:
    """ConfigError naming the config and each module it does not account for."""
    unaccounted = unaccounted_modules(config, root)
    if unaccounted:
        raise ConfigError(
            f"{config.path}: {', '.join(unaccounted)} neither in [cosmic-ray] module-path nor "
            "in [mutation.modules-left-out] (with why): mutate each module, or say why not"
        )


def annotation_spans(source: str) -> set[Span]:
    """(start line, start column, end line, end column) of every type annotation."""
    spans = set()
    for node in ast.walk(ast.parse(source)):
        found: list[ast.expr | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            every += [arguments.vararg, arguments.kwarg]
            found += [node.returns, *(arg.annotation for arg in every if arg is not None)]
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
        for annotation in found:
            if annotation is not None:
                end_line = annotation.end_lineno or annotation.lineno
                end_column = annotation.end_col_offset or 0
                spans.add((annotation.lineno, annotation.col_offset, end_line, end_column))
    return spans


def _inside(spec: MutationSpec, spans: set[Span]) -> bool:
    start, end = tuple(spec.start_pos), tuple(spec.end_pos)
    return any((a, b) <= start and end <= (c, d) for a, b, c, d in spans)


def describe(spec: MutationSpec, job_id: str, source: str) -> tuple[Mutant, str | None]:
    """The mutant's lines before and after, and the mutated module, by applying it to `source`."""
    mutant = Mutant(
        job_id=job_id,
        module=str(spec.module_path),
        operator=spec.operator_name.removeprefix("core/"),
        line=spec.start_pos[0],
        function=spec.definition_name,
    )
    lines = source.split("\n")
    mutant.previous = lines[mutant.line - 2].strip() if 2 <= mutant.line <= len(lines) + 1 else ""
    operator = get_operator(spec.operator_name)(**(spec.operator_args or {}))
    try:
        mutated = mutate_code(source, operator, spec.occurrence)
    except Exception as exc:  # the operator's bug: this mutant is reported, the run goes on
        raise UnappliableError(f"{type(exc).__name__}: {exc}") from exc
    if mutated is not None:
        try:
            ast.parse(mutated)
        except SyntaxError as exc:  # the run would count it killed by an import error
            raise UnappliableError(f"the mutant is not Python: {exc}") from exc
        mutant.before, mutant.after = changed_lines(source, mutated)
    return mutant, mutated


def changed_lines(before: str, after: str) -> tuple[str, str]:
    removed, added = [], []
    for line in difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        if line.startswith("-") and line[1:].strip():
            removed.append(line[1:].strip())
        elif line.startswith("+") and line[1:].strip():
            added.append(line[1:].strip())
    return " ".join(removed), " ".join(added)


_FLIPPED: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}


class _Canonical(ast.NodeTransformer):
    """Rewrites that keep a condition's truth: `not not x` is x; `not a == b` is a != b
    (likewise is / is not, in / not in). Applied only to the tests of if, while, assert and
    `x if c else y`, where nothing but truth matters: the conditions AddNot negates."""

    @classmethod
    def _test(cls, node: ast.expr) -> ast.expr:
        while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = node.operand
            if isinstance(inner, ast.UnaryOp) and isinstance(inner.op, ast.Not):
                node = inner.operand
            elif (
                isinstance(inner, ast.Compare)
                and len(inner.ops) == 1
                and type(inner.ops[0]) in _FLIPPED
            ):
                flipped = _FLIPPED[type(inner.ops[0])]()
                node = ast.Compare(inner.left, [flipped], inner.comparators)
            else:
                break
        if isinstance(node, ast.BoolOp):  # `a or b` is tested for truth: so are a and b
            node.values = [cls._test(value) for value in node.values]
        return node

    def visit_If(self, node: ast.If) -> ast.AST:
        node.test = self._test(node.test)
        return self.generic_visit(node)

    def visit_While(self, node: ast.While) -> ast.AST:
        node.test = self._test(node.test)
        return self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        node.test = self._test(node.test)
        return self.generic_visit(node)

    def visit_Assert(self, node: ast.Assert) -> ast.AST:
        node.test = self._test(node.test)
        return self.generic_visit(node)


def canonical(source: str) -> str:
    """The module's code without layout or comments, conditions rewritten by _Canonical."""
    return ast.dump(_Canonical().visit(ast.parse(source)))


def apply(config: Config, work_db: WorkDB, root: Path) -> Plan:
    """Mark the session's mutants that the rules leave out as SKIPPED, with the reason."""
    plan = Plan()
    sources: dict[str, str] = {}
    spans: dict[str, set[Span]] = {}
    used: set[int] = set()
    skipped: dict[str, list[str]] = {}
    seen: set[str] = set()
    rules = [*config.operators_not_used, *config.exclusions]
    # AddNot last: of two mutants that make the same program, the plainer one is kept
    items = sorted(
        work_db.pending_work_items,
        key=lambda item: (item.mutations[0].operator_name == "core/AddNot", item.job_id),
    )
    for item in items:
        (spec,) = item.mutations
        module = str(spec.module_path)
        if module not in sources:
            sources[module] = (root / module).read_text(encoding="utf-8")
            spans[module] = annotation_spans(sources[module])
            seen.add(canonical(sources[module]))  # a mutant that changes nothing is a duplicate
        try:
            mutant, mutated = describe(spec, item.job_id, sources[module])
        except UnappliableError:
            plan.excluded[UNAPPLIABLE] += 1
            skipped.setdefault(EXCLUDED + UNAPPLIABLE, []).append(item.job_id)
            continue
        reason = None
        for index, rule in enumerate(rules):
            if rule.matches(mutant, spec, spans[module]):
                used.add(index)
                if index < len(config.operators_not_used):
                    reason = NOT_USED + rule.why
                    plan.not_used[rule.why] += 1
                else:
                    reason = EXCLUDED + rule.why
                    plan.excluded[rule.why] += 1
                break
        if reason is None and mutated is not None:
            key = canonical(mutated)
            if key in seen:
                reason = EXCLUDED + DUPLICATE
                plan.excluded[DUPLICATE] += 1
            seen.add(key)
        if reason is None:
            plan.to_run += 1
            plan.by_module[module] += 1
        else:
            skipped.setdefault(reason, []).append(item.job_id)
    for reason, job_ids in skipped.items():
        work_db.set_multiple_results(
            job_ids, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=reason)
        )
    for index, rule in enumerate(rules):
        if index not in used:
            kind = "operators-not-used" if index < len(config.operators_not_used) else "exclude"
            plan.stale.append(f"{kind}: {rule.describe()}")
    return plan
