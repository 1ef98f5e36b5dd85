"""What the workflows and local actions say: their `run:` scripts, `uses:` and artifact paths."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
ACTIONS = sorted((REPO / ".github" / "actions").glob("*/action.y*ml"))
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
_QUOTED = re.compile(r"'([^']*)'")
_CHOSEN = re.compile(r"(?:&&|\|\|)\s*'([^']*)'")


@dataclass(frozen=True)
class Step:
    file: Path
    job: str
    step: dict[str, Any]
    matrix: dict[str, list[Any]]
    env: dict[str, str]

    @property
    def where(self) -> str:
        step = self.step.get("name") or self.step.get("uses") or self.step.get("run", "")[:40]
        return f"{self.file.relative_to(REPO)} job {self.job!r} step {step!r}"


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())


def steps() -> Iterator[Step]:
    for path in WORKFLOWS:
        workflow = load(path)
        for job_name, job in workflow["jobs"].items():
            matrix = _matrix_values(job.get("strategy", {}).get("matrix", {}))
            env = {**workflow.get("env", {}), **job.get("env", {})}
            for step in job.get("steps", []):
                yield Step(path, job_name, step, matrix, {k: str(v) for k, v in env.items()})
    for path in ACTIONS:
        for step in load(path)["runs"].get("steps", []):
            yield Step(path, "(composite)", step, {}, {})


def _matrix_values(matrix: Any) -> dict[str, list[Any]]:
    """Each matrix key's values; a value written as an expression gives its quoted literals."""
    if not isinstance(matrix, dict):
        return {}
    values: dict[str, list[Any]] = {}
    for key, value in matrix.items():
        if key in ("include", "exclude"):
            for entry in value or []:
                for name, item in entry.items():
                    values.setdefault(name, []).append(item)
        elif isinstance(value, list):
            values.setdefault(key, []).extend(value)
        elif isinstance(value, str):
            values.setdefault(key, []).extend(_literals_of_expression(value))
    return values


def _literals_of_expression(text: str) -> list[str]:
    found: list[str] = []
    for expression in _EXPRESSION.findall(text):
        for literal in _QUOTED.findall(expression):
            found.extend(re.findall(r'"([^"]+)"', literal) or [literal])
    return found


def expansions(
    text: str, matrix: dict[str, list[Any]], env: dict[str, str] | None = None
) -> list[str]:
    """The text with each `${{ matrix.X }}` replaced by each of X's values (every combination),
    `${{ env.X }}` by the workflow's or job's value, and a choice of literals
    (`${{ a == 'b' && 'x' || 'y' }}`) by each literal chosen (x, y)."""
    for name, value in (env or {}).items():
        text = re.sub(rf"\$\{{\{{\s*env\.{name}\s*\}}\}}", value, text)
    names = sorted(set(re.findall(r"\$\{\{\s*matrix\.(\w+)\s*\}\}", text)))
    combos = itertools.product(*(matrix.get(name, []) for name in names)) if names else [()]
    results = []
    for combo in combos:
        expanded = text
        for name, value in zip(names, combo, strict=True):
            expanded = re.sub(rf"\$\{{\{{\s*matrix\.{name}\s*\}}\}}", str(value), expanded)
        results.extend(_literal_choices(expanded))
    return results


def _literal_choices(text: str) -> list[str]:
    match = _EXPRESSION.search(text)
    if match is None:
        return [text]
    literals = _CHOSEN.findall(match.group(1))
    if not literals:
        return [text]
    head, tail = text[: match.start()], text[match.end() :]
    return [choice for literal in literals for choice in _literal_choices(head + literal + tail)]
