"""The page: products, their features, rules and scenarios with their last status, and each
product's mutation score, rendered with Jinja2 (autoescaped) into one self-contained HTML file."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from harness.living_docs.mutation import ProductMutation
from harness.living_docs.results import SHOWN_STATUSES, Attempt, Outcome, Results
from harness.living_docs.specs import Case, ProductSpec, Scenario

NOT_RUN = Outcome("not run", "", 0, 0)
# a scenario outline's badge: its worst example row
WORST_FIRST = ("failed", "broken", "flaky", "not run", "skipped", "passed")
PLACEHOLDER = re.compile(r"(<[^<>\s][^<>]*>)")
CODE = re.compile(r"`([^`]+)`")
UNMATCHED_SHOWN = 50


@dataclass(frozen=True)
class Run:
    """Where the statuses come from, for the page's heading."""

    folders: tuple[str, ...]
    tree_commit: str | None
    written: datetime


def gherkin(text: str) -> Markup:
    """Step text, escaped, with an outline's <placeholders> marked."""
    parts = PLACEHOLDER.split(text)
    return Markup("").join(
        Markup('<span class="param">{}</span>').format(part) if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )


def paragraphs(lines: Iterable[str]) -> list[Markup]:
    """A description's lines as paragraphs (a blank line parts them), `code` marked."""
    found: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            found[-1].append(line.strip())
        elif found[-1]:
            found.append([])
    return [
        Markup(CODE.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(" ".join(part)))))
        for part in found
        if part
    ]


def utc(millis: int | None) -> str:
    if not millis:
        return ""
    return datetime.fromtimestamp(millis / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


class Statuses:
    """The last status of every case, and the counts the page shows."""

    def __init__(self, results: Results) -> None:
        self.results = results

    def of(self, case: Case) -> Outcome:
        return self.results.outcome(case) or NOT_RUN

    def of_scenario(self, scenario: Scenario) -> str:
        seen = {self.of(case).status for case in scenario.cases} or {"not run"}
        return next(status for status in WORST_FIRST if status in seen)

    def counts(self, cases: Iterable[Case]) -> list[tuple[str, int]]:
        tally = Counter(self.of(case).status for case in cases)
        return [(status, tally[status]) for status in SHOWN_STATUSES if tally[status]]


def _unmatched(attempts: list[Attempt]) -> list[Attempt]:
    """One line per test (its last attempt), newest first."""
    last: dict[str, Attempt] = {}
    for attempt in sorted(attempts, key=lambda a: (a.stop, a.start)):
        last[attempt.history_id] = attempt
    return sorted(last.values(), key=lambda a: a.stop, reverse=True)


def render(
    products: list[ProductSpec],
    results: Results,
    mutation: dict[str, ProductMutation],
    run: Run,
) -> str:
    environment = Environment(
        loader=PackageLoader("harness.living_docs", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["gherkin"] = gherkin
    environment.filters["paragraphs"] = paragraphs
    environment.filters["utc"] = utc
    statuses = Statuses(results)
    all_cases = [case for product in products for case in product.cases()]
    unmatched = _unmatched(results.unmatched)
    return environment.get_template("page.html.j2").render(
        products=products,
        statuses=statuses,
        total=statuses.counts(all_cases),
        case_count=len(all_cases),
        mutation=mutation,
        results=results,
        unmatched=unmatched[:UNMATCHED_SHOWN],
        unmatched_more=max(0, len(unmatched) - UNMATCHED_SHOWN),
        run=run,
    )
