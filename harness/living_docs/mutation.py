"""Each product's mutation score, read from the result files mutation/run.py writes.

mutation/<product>-result.md is the product's run; other `*-result.md` files whose title names
the product (written with --result, e.g. a run on some modules only) are shown beside it. A run
is partial when its file says so (`> **Partial run**: ...`) or when mutants were left untested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from harness.living_docs.paths import shown as shown_path

TITLE = re.compile(r"^# Mutation score: (?P<title>.+) \(`(?P<product>[^`]+)`\)\s*$", re.M)
ROW = re.compile(r"^\|\s*(?P<key>[a-z][a-z ]*?)\s*\|\s*(?P<value>.*?)\s*\|\s*$", re.M)
PARTIAL = re.compile(r"^> \*\*Partial run\*\*:\s*(?P<why>.+)$", re.M)
SCORE = re.compile(r"\*\*(?:(?P<score>\d+(?:\.\d+)?) %|n/a)\*\*")
REQUIRED = re.compile(r"required (?P<required>\d+(?:\.\d+)?) %")
NOT_TESTED = re.compile(r"(?P<errors>\d+) worker errors?, (?P<not_run>\d+) not run")
COMMIT = re.compile(r"commit (?P<commit>[0-9a-f]{4,40})")


class MutationFileError(ValueError):
    """A result file that cannot be read as mutation/run.py writes it; names the file."""


@dataclass(frozen=True)
class MutationRun:
    path: str
    product: str
    score: float | None
    required: float | None
    killed: int
    survived: int
    not_run: int
    worker_errors: int
    date: str
    commit: str
    partial_note: str | None

    @property
    def tested(self) -> int:
        return self.killed + self.survived

    @property
    def in_scope(self) -> int:
        return self.tested + self.not_run + self.worker_errors

    @property
    def partial(self) -> bool:
        return self.partial_note is not None or self.tested < self.in_scope

    @property
    def partial_line(self) -> str | None:
        """ "partial: 56 of 221 mutants tested", or the file's own reason when all were."""
        if not self.partial:
            return None
        if self.tested < self.in_scope:
            return f"partial: {self.tested} of {self.in_scope} mutants tested"
        return f"partial: {_sentence(self.partial_note or '')}"


def _sentence(note: str) -> str:
    first = note.split(". ")[0].strip().rstrip(".")
    return first


def parse_result(text: str, shown: str) -> MutationRun:
    title = TITLE.search(text)
    if title is None:
        raise MutationFileError(f"{shown}: no '# Mutation score: <title> (`<product>`)' line")
    summary = text.split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for found in ROW.finditer(summary):
        rows.setdefault(found["key"], found["value"])

    def row(key: str) -> str:
        if key not in rows:
            raise MutationFileError(f"{shown}: no '| {key} | ... |' row in its summary table")
        return rows[key]

    score = SCORE.search(row("score"))
    if score is None:
        raise MutationFileError(f"{shown}: the score row {row('score')!r} holds no **N %**")
    required = REQUIRED.search(row("score"))
    not_tested = NOT_TESTED.search(row("not tested"))
    if not_tested is None:
        raise MutationFileError(
            f"{shown}: the 'not tested' row {row('not tested')!r} does not read "
            "'N worker errors, N not run'"
        )
    commit = COMMIT.search(row("tree"))
    partial = PARTIAL.search(text)
    return MutationRun(
        path=shown,
        product=title["product"],
        score=float(score["score"]) if score["score"] else None,
        required=float(required["required"]) if required else None,
        killed=_count(row("killed"), "killed", shown),
        survived=_count(row("survived"), "survived", shown),
        not_run=int(not_tested["not_run"]),
        worker_errors=int(not_tested["errors"]),
        date=row("date"),
        commit=commit["commit"] if commit else row("tree"),
        partial_note=partial["why"].strip() if partial else None,
    )


def _count(value: str, key: str, shown: str) -> int:
    if not value.isdigit():
        raise MutationFileError(f"{shown}: the {key!r} row {value!r} is not a count")
    return int(value)


@dataclass(frozen=True)
class ProductMutation:
    """The product's run (None: no mutation run yet), other runs, and unreadable files."""

    main: MutationRun | None
    others: tuple[MutationRun, ...]
    problems: tuple[str, ...]


def read_mutation(folder: Path, product: str, base: Path | None = None) -> ProductMutation:
    main_path = folder / f"{product}-result.md"
    main: MutationRun | None = None
    others: list[MutationRun] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*-result.md")):
        shown = shown_path(path, base)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            if path == main_path:
                problems.append(f"{shown}: cannot be read: {exc}")
            continue
        named = TITLE.search(text)
        if path != main_path and (named is None or named["product"] != product):
            continue
        try:
            run = parse_result(text, shown)
        except MutationFileError as exc:
            problems.append(str(exc))
            continue
        if path == main_path:
            if run.product != product:
                problems.append(f"{shown}: its title names the product {run.product!r}")
                continue
            main = run
        else:
            others.append(run)
    others.sort(key=lambda run: run.date, reverse=True)
    return ProductMutation(main, tuple(others), tuple(problems))
