"""What the products promise: the feature files read with behave's own parser, grouped by product.

Each scenario, and each row of an outline's examples, is one `Case`: one test as Allure sees it,
with the history id allure-behave gives it (md5 of the feature's name, the scenario's name and,
for an example row, `heading=value` per cell), so a result is matched to the exact row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from allure_commons.utils import md5
from behave.model import Feature as BehaveFeature
from behave.model import ScenarioOutline
from behave.parser import ParserError, parse_file

from harness.living_docs.paths import shown as shown_path
from harness.products import Product, ProductError, Registry

HIDDEN_TAG_PREFIXES = ("allure.", "product.")


class SpecError(ValueError):
    """A feature file cannot be read, or names no declared product."""


@dataclass(frozen=True)
class Table:
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Step:
    keyword: str
    text: str
    table: Table | None = None
    doc_string: str | None = None


@dataclass(frozen=True)
class Case:
    """One test as Allure counts it: a scenario, or one example row of an outline."""

    history_id: str
    feature_name: str
    name: str
    full_name: str
    parameters: tuple[tuple[str, str], ...]
    step_names: tuple[str, ...]
    where: str


@dataclass(frozen=True)
class ExampleRow:
    cells: tuple[str, ...]
    case: Case


@dataclass(frozen=True)
class Examples:
    name: str
    headings: tuple[str, ...]
    rows: tuple[ExampleRow, ...]


@dataclass(frozen=True)
class Scenario:
    keyword: str
    name: str
    tags: tuple[str, ...]
    description: tuple[str, ...]
    steps: tuple[Step, ...]
    line: int
    cases: tuple[Case, ...]
    examples: tuple[Examples, ...] = ()

    @property
    def anchor(self) -> str:
        return f"s-{self.cases[0].history_id[:12]}" if self.cases else f"line-{self.line}"


@dataclass(frozen=True)
class Rule:
    name: str
    description: tuple[str, ...]
    background: tuple[Step, ...]
    scenarios: tuple[Scenario, ...]

    def cases(self) -> list[Case]:
        return [case for scenario in self.scenarios for case in scenario.cases]


@dataclass(frozen=True)
class Feature:
    path: str
    name: str
    description: tuple[str, ...]
    tags: tuple[str, ...]
    background: tuple[Step, ...]
    scenarios: tuple[Scenario, ...]
    rules: tuple[Rule, ...]

    @property
    def anchor(self) -> str:
        return "f-" + Path(self.path).stem

    def all_scenarios(self) -> Iterable[Scenario]:
        yield from self.scenarios
        for rule in self.rules:
            yield from rule.scenarios

    def cases(self) -> list[Case]:
        return [case for scenario in self.all_scenarios() for case in scenario.cases]


@dataclass(frozen=True)
class ProductSpec:
    name: str
    title: str
    features: tuple[Feature, ...] = field(default_factory=tuple)

    def cases(self) -> list[Case]:
        return [case for feature in self.features for case in feature.cases()]


def history_id(feature_name: str, scenario_name: str, row: Sequence[tuple[str, str]]) -> str:
    """allure-behave 2.16's scenario_history_id, from names rather than behave objects."""
    return md5(feature_name, scenario_name, *(f"{name}={value}" for name, value in row))


def _shown_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(tag) for tag in tags if not str(tag).startswith(HIDDEN_TAG_PREFIXES))


def _steps(steps: Iterable) -> tuple[Step, ...]:
    shown = []
    for step in steps:
        table = None
        if step.table is not None:
            table = Table(
                tuple(step.table.headings), tuple(tuple(row.cells) for row in step.table.rows)
            )
        doc_string = str(step.text) if step.text is not None else None
        shown.append(Step(step.keyword, step.name, table, doc_string))
    return tuple(shown)


def _case(feature: BehaveFeature, scenario, where: str) -> Case:
    row = getattr(scenario, "_row", None)
    parameters = tuple(zip(row.headings, row.cells, strict=True)) if row is not None else ()
    return Case(
        history_id=history_id(feature.name, scenario.name, parameters),
        feature_name=feature.name,
        name=scenario.name,
        # allure-behave's fullName: the name up to its first " -- " (an example row's annotation)
        full_name=f"{feature.name}: {scenario.name.split(' -- ')[0]}",
        parameters=parameters,
        step_names=tuple(f"{step.keyword} {step.name}" for step in scenario.all_steps),
        where=where,
    )


def _scenario(feature: BehaveFeature, scenario, path: str) -> Scenario:
    where = f"{path}:{scenario.line}"
    common = dict(
        keyword=scenario.keyword,
        name=scenario.name,
        tags=_shown_tags(scenario.tags),
        description=tuple(scenario.description),
        steps=_steps(scenario.steps),
        line=scenario.line,
    )
    if not isinstance(scenario, ScenarioOutline):
        return Scenario(cases=(_case(feature, scenario, where),), **common)
    generated = iter(scenario.scenarios)
    examples = []
    for block in scenario.examples:
        rows = []
        for row in block.table.rows if block.table is not None else ():
            case = _case(feature, next(generated), f"{path}:{row.line}")
            rows.append(ExampleRow(tuple(row.cells), case))
        headings = tuple(block.table.headings) if block.table is not None else ()
        examples.append(Examples(block.name, headings, tuple(rows)))
    cases = tuple(row.case for block in examples for row in block.rows)
    return Scenario(cases=cases, examples=tuple(examples), **common)


def read_feature(path: Path, shown_path: str) -> tuple[BehaveFeature, Feature]:
    try:
        parsed = parse_file(str(path))
    except ParserError as exc:
        raise SpecError(f"{shown_path}: not valid Gherkin: {exc}") from exc
    except OSError as exc:
        raise SpecError(f"{shown_path}: cannot be read: {exc}") from exc
    if parsed is None:
        raise SpecError(f"{shown_path}: holds no Feature")
    rules = tuple(
        Rule(
            name=rule.name,
            description=tuple(rule.description),
            background=_steps(rule.background.steps) if rule.background else (),
            scenarios=tuple(_scenario(parsed, s, shown_path) for s in rule.scenarios),
        )
        for rule in parsed.rules
    )
    feature = Feature(
        path=shown_path,
        name=parsed.name,
        description=tuple(parsed.description),
        tags=_shown_tags(parsed.tags),
        background=_steps(parsed.background.steps) if parsed.background else (),
        scenarios=tuple(_scenario(parsed, s, shown_path) for s in parsed.scenarios),
        rules=rules,
    )
    return parsed, feature


def read_products(
    features_dir: Path, products: Iterable[Product], base: Path | None = None
) -> list[ProductSpec]:
    """Every declared product with its features (sorted by file name), in declaration order."""
    registry = Registry.of(products)
    paths = sorted(features_dir.glob("*.feature"))
    if not paths:
        raise SpecError(f"{features_dir}: no .feature file")
    by_product: dict[str, list[Feature]] = {product.name: [] for product in registry}
    for path in paths:
        shown = shown_path(path, base)
        parsed, feature = read_feature(path, shown)
        try:
            product = registry.product_of([str(tag) for tag in parsed.tags], shown)
        except ProductError as exc:
            raise SpecError(str(exc)) from exc
        by_product[product.name].append(feature)
    return [
        ProductSpec(product.name, product.title, tuple(by_product[product.name]))
        for product in registry
    ]
