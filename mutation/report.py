"""A finished (or stopped) cosmic-ray session, read back: the score, the survivors, the result file.

score = killed / (killed + survived). A mutant the tests time out on counts as killed; one that
could not be tested (a worker error) counts in neither and is reported. Mutants that the rules
of mutation/<product>.toml leave out are counted by reason, outside the score.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cosmic_ray.work_db import WorkDB
from cosmic_ray.work_item import TestOutcome, WorkerOutcome
from rules import EXCLUDED, NOT_USED, Mutant, changed_lines

SAMPLE = "not drawn for this sample"
NOT_A_SURVIVOR = "not a survivor of the result file re-run"
PREVIOUS_WHY = re.compile(r"^\|(?P<cells>.*)\|\s*$")


@dataclass
class Outcome:
    killed: int = 0
    timeouts: int = 0
    survived: int = 0
    errors: list[tuple[Mutant, str]] = field(default_factory=list)
    survivors: list[Mutant] = field(default_factory=list)
    excluded: Counter[str] = field(default_factory=Counter)
    not_used: Counter[str] = field(default_factory=Counter)
    not_drawn: int = 0
    not_run: int = 0
    by_module: dict[str, Counter[str]] = field(default_factory=dict)
    # how each mutant run in a kept behave got into its apps: "swapped", or why they restarted
    code_put_in: Counter[str] = field(default_factory=Counter)

    @property
    def run(self) -> int:
        return self.killed + self.survived

    @property
    def score(self) -> float | None:
        return 100.0 * self.killed / self.run if self.run else None

    @property
    def generated(self) -> int:
        return (
            self.run
            + len(self.errors)
            + sum(self.excluded.values())
            + sum(self.not_used.values())
            + self.not_drawn
            + self.not_run
        )


_PUT_IN = re.compile(r"the code put in \((swapped|restarted: [^\n]*?)\) in [\d.?]+ s")
# a restart's reason, without the module or function it names
_RESTART_KINDS = (
    "changed outside a function's body",
    "is not found once in the running app",
    "closes over other names now",
    "a thread of the app is still in",
    "were not noted",
    "did not answer",
    "no code-swap folder",
    "the last change ran at the apps' start",
    "ran at the apps' start",
)


def how_the_code_went_in(output: str) -> str | None:
    """ "swapped", "restarted: <kind>", or None (no kept behave ran it), from a mutant's first
    run's words (mutation/ask.py)."""
    found = _PUT_IN.search(output)
    if found is None:
        return None
    how = found.group(1)
    if how == "swapped":
        return how
    kind = next((kind for kind in _RESTART_KINDS if kind in how), how.removeprefix("restarted: "))
    return f"restarted: {kind}"


def _mutant(item, diff: str | None) -> Mutant:
    (spec,) = item.mutations
    mutant = Mutant(
        job_id=item.job_id,
        module=str(spec.module_path),
        operator=spec.operator_name.removeprefix("core/"),
        line=spec.start_pos[0],
        function=spec.definition_name,
    )
    if diff:
        old = "\n".join(line[1:] for line in diff.splitlines() if _is(line, "-"))
        new = "\n".join(line[1:] for line in diff.splitlines() if _is(line, "+"))
        mutant.before, mutant.after = changed_lines(old, new)
    return mutant


def _is(line: str, sign: str) -> bool:
    return line.startswith(sign) and not line.startswith(sign * 3)


def read_session(work_db: WorkDB) -> Outcome:
    outcome = Outcome()
    for item, result in work_db.completed_work_items:
        mutant = _mutant(item, result.diff)
        tally = outcome.by_module.setdefault(mutant.module, Counter())
        output = result.output or ""
        if how := how_the_code_went_in(output):
            outcome.code_put_in[how] += 1
        if result.worker_outcome == WorkerOutcome.SKIPPED:
            if output.startswith(NOT_USED):
                outcome.not_used[output.removeprefix(NOT_USED)] += 1
            elif output.startswith(EXCLUDED):
                outcome.excluded[output.removeprefix(EXCLUDED)] += 1
                tally["excluded"] += 1
            else:
                outcome.not_drawn += 1
        elif result.worker_outcome != WorkerOutcome.NORMAL or result.test_outcome in (
            None,
            TestOutcome.INCOMPETENT,
        ):
            outcome.errors.append((mutant, f"{result.worker_outcome.value}: {output[-300:]}"))
            tally["errors"] += 1
        elif result.test_outcome == TestOutcome.SURVIVED:
            outcome.survived += 1
            outcome.survivors.append(mutant)
            tally["survived"] += 1
        else:
            outcome.killed += 1
            outcome.timeouts += output == "timeout"
            tally["killed"] += 1
    outcome.not_run = work_db.num_work_items - work_db.num_results
    outcome.survivors.sort(key=lambda m: (m.module, m.line, m.operator, m.after))
    return outcome


def _code(text: str) -> str:
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`" if text else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def survivor_key(module: str, operator: str, change: str) -> tuple[str, str, str]:
    return (module.strip(), operator.strip(), change.strip())


def change_cell(mutant: Mutant) -> str:
    return f"{_code(mutant.before)} → {_code(mutant.after) or '(removed)'}"


def previous_survivors(path: Path) -> dict[tuple[str, str, str], str]:
    """Each survivor of a result file (module, operator, change) and the 'why' a person wrote
    for it ('' where none)."""
    survivors: dict[tuple[str, str, str], str] = {}
    if not path.is_file():
        return survivors
    in_survivors = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            in_survivors = line.startswith("## Survivors")
            continue
        match = PREVIOUS_WHY.match(line)
        if not (in_survivors and match):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", match.group("cells"))]
        if len(cells) != 6 or cells[0] in ("module", "(none)", "") or set(cells[0]) <= {"-", ":"}:
            continue
        module, _line, _function, operator, change, why = cells
        survivors[survivor_key(module.strip("`"), operator, change)] = why
    return survivors


def previous_whys(path: Path) -> dict[tuple[str, str, str], str]:
    """The 'why' a person wrote for each survivor of the previous result file."""
    return {key: why for key, why in previous_survivors(path).items() if why}


@dataclass(frozen=True)
class RunFacts:
    product: str
    title: str
    date: str
    minutes: float
    baseline_seconds: float
    timeout_seconds: float
    workers: int
    tree: str
    tool: str
    command: str
    fail_under: float
    modules: tuple[str, ...]
    left_out: dict[str, str]
    stale: tuple[str, ...]
    partial: str | None = None
    suite_workers: int = 1  # behave processes per mutant's run (run_suite --workers)
    kept_behave: bool = False  # one behave kept up per worker ran the mutants (not --fresh-behave)


def code_put_in_text(code_put_in: Counter[str]) -> str:
    """`412 swapped into the running apps; 120 by a restart (98: changed outside ...)`"""
    swapped = code_put_in.get("swapped", 0)
    restarts = Counter(
        {how.removeprefix("restarted: "): n for how, n in code_put_in.items() if how != "swapped"}
    )
    text = f"{swapped} mutants swapped into the running apps (harness/code_swap.py)"
    if restarts:
        kinds = ", ".join(f"{n}: {kind}" for kind, n in restarts.most_common())
        text += f"; {sum(restarts.values())} by a restart of the apps ({kinds})"
    return text


def render(facts: RunFacts, outcome: Outcome, whys: dict[tuple[str, str, str], str]) -> str:
    score = outcome.score
    score_text = f"**{score:.1f} %**" if score is not None else "**n/a** (nothing run)"
    lines = [
        f"# Mutation score: {facts.title} (`{facts.product}`)",
        "",
        f"Written by `make mutation PRODUCT={facts.product}` (mutation/run.py, configured by",
        f"mutation/{facts.product}.toml); the next run rewrites it. A survivor's *why* is kept",
        "from one run to the next while the mutant is the same (module, operator and change):",
        "fill it in.",
        "",
    ]
    if facts.partial:
        lines += [f"> **Partial run**: {facts.partial}. Not comparable with a full run.", ""]
    lines += [
        "| | |",
        "| --- | --- |",
        f"| score | {score_text} = killed / (killed + survived); required {facts.fail_under:g} % |",
        f"| mutants | {outcome.generated} generated: {outcome.run} run ({outcome.killed} killed, "
        f"of them {outcome.timeouts} by time-out; {outcome.survived} survived), "
        f"{sum(outcome.excluded.values())} excluded, "
        f"{sum(outcome.not_used.values())} of operators not used"
        + (f", {outcome.not_drawn} not drawn" if outcome.not_drawn else "")
        + " |",
        f"| killed | {outcome.killed} |",
        f"| survived | {outcome.survived} |",
        f"| excluded | {sum(outcome.excluded.values())} "
        "(equivalent or out of reach, reasons below) |",
        f"| not tested | {len(outcome.errors)} worker errors, {outcome.not_run} not run "
        "(time budget or interrupted) |",
        f"| run time | {facts.minutes:.1f} min ({facts.workers} workers, "
        + (
            "each with one behave kept up"
            if facts.kept_behave
            else f"{facts.suite_workers} behave processes each"
        )
        + f"; baseline {facts.baseline_seconds:.1f} s shared out between the copies, "
        f"time-out per mutant {facts.timeout_seconds:.0f} s) |",
        *(
            [f"| code put in | {code_put_in_text(outcome.code_put_in)} |"]
            if outcome.code_put_in
            else []
        ),
        f"| date | {facts.date} |",
        f"| tree | {facts.tree} |",
        f"| tool | {facts.tool} |",
        f"| {'fallback test command' if facts.kept_behave else 'test command'} | "
        f"{_code(facts.command)} |",
        "",
        "## By module",
        "",
        "| module | killed | survived | excluded | score |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for module in facts.modules:
        tally = outcome.by_module.get(module, Counter())
        run = tally["killed"] + tally["survived"]
        module_score = f"{100.0 * tally['killed'] / run:.0f} %" if run else "n/a"
        lines.append(
            f"| {module} | {tally['killed']} | {tally['survived']} | {tally['excluded']} "
            f"| {module_score} |"
        )
    lines += [
        "",
        "## Survivors",
        "",
        "Every scenario still passed with each of these changes: a rule the features do not tell",
        "(write the scenario that tells it), or an equivalent or unreachable mutant (say why here,",
        f"or exclude it in mutation/{facts.product}.toml with its reason).",
        "",
        "| module | line | function | operator | change | why |",
        "| --- | ---: | --- | --- | --- | --- |",
    ]
    for mutant in outcome.survivors:
        change = change_cell(mutant)
        why = whys.get(survivor_key(mutant.module, mutant.operator, change), "")
        lines.append(
            f"| {mutant.module} | {mutant.line} | {mutant.function or ''} | {mutant.operator} "
            f"| {change} | {why} |"
        )
    if not outcome.survivors:
        lines.append("| (none) | | | | | |")
    if outcome.errors:
        lines += ["", "## Not tested (worker errors)", "", "| module | line | operator | error |"]
        lines.append("| --- | ---: | --- | --- |")
        for mutant, error in outcome.errors:
            lines.append(
                f"| {mutant.module} | {mutant.line} | {mutant.operator} | {_cell(error[-160:])} |"
            )
    lines += ["", "## Excluded: equivalent or out of a browser-level test's reach", ""]
    lines += ["| mutants | why |", "| ---: | --- |"]
    for why, count in outcome.excluded.most_common():
        lines.append(f"| {count} | {_cell(why)} |")
    lines += ["", "## Operators not used (cut for the time budget, outside the score)", ""]
    lines += ["| mutants | why |", "| ---: | --- |"]
    for why, count in outcome.not_used.most_common():
        lines.append(f"| {count} | {_cell(why)} |")
    lines += ["", "## Modules left out", "", "| module | why |", "| --- | --- |"]
    for module, why in facts.left_out.items():
        lines.append(f"| {module} | {_cell(why)} |")
    if facts.stale:
        lines += ["", "## Stale rules (they matched no mutant: the code changed)", ""]
        lines += [f"- {rule}" for rule in facts.stale]
    return "\n".join(lines) + "\n"


def print_survivors(outcome: Outcome) -> None:
    """file:line  operator  before -> after, grouped by module."""
    if not outcome.survivors:
        print("mutation: no survivors")
        return
    print(f"mutation: {len(outcome.survivors)} survivors (file:line  operator  change)")
    module = None
    for mutant in outcome.survivors:
        if mutant.module != module:
            module = mutant.module
            print(f"  {module}")
        print(
            f"    {mutant.module}:{mutant.line}  {mutant.operator}  "
            f"{mutant.before}  ->  {mutant.after or '(removed)'}"
        )
    for mutant, error in outcome.errors:
        print(f"  not tested: {mutant.module}:{mutant.line} {mutant.operator}: {error[-200:]}")
