"""Where a scenario sits in the Allure report: product → feature → story → scenario.

The product is the one the feature's `@product.<name>` tag names, by its own title (products/);
the story is the scenario's `Rule:` (the promise it illustrates), else its
`@allure.label.story:<Words_with_underscores>` tag read as words. The place is written as the
epic, feature and story labels (Allure's behaviours) and again as parentSuite, suite and subSuite
and as the titlePath, which Allure 3's awesome report builds its tree from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from allure_commons.model2 import Label, TestResult
from allure_commons.types import LabelType

from harness.products import PRODUCT_TAG, Product

STORY_TAG = "allure.label.story:"
EPIC_TAG = "allure.label.epic:"
PLACE_LABELS = ("epic", "feature", "story", "parentSuite", "suite", "subSuite")

# product name -> title, for the run's products (name_products, from before_all)
_titles: dict[str, str] = {}


def name_products(products: Iterable[Product]) -> None:
    """The run's products, so that each feature's product is shown by its title."""
    _titles.clear()
    _titles.update({product.name: product.title for product in products})


@dataclass(frozen=True)
class ReportPlace:
    product: str | None
    feature: str
    story: str | None

    def path(self) -> list[str]:
        return [part for part in (self.product, self.feature, self.story) if part]

    def labels(self) -> list[Label]:
        levels = (self.product, self.feature, self.story)
        names = (
            (LabelType.EPIC, LabelType.FEATURE, LabelType.STORY),
            ("parentSuite", "suite", "subSuite"),
        )
        return [
            Label(name=name, value=value)
            for kind in names
            for name, value in zip(kind, levels, strict=True)
            if value
        ]


def _words(tag_value: str) -> str:
    return tag_value.replace("_", " ").strip()


def _tag_value(tags: Iterable[str], prefix: str) -> str | None:
    return next((tag[len(prefix) :] for tag in tags if tag.startswith(prefix)), None)


def product_title(feature_tags: Iterable[str]) -> str | None:
    """The title of the product the feature's tag names; its epic tag's words when the run
    named no products (a project without the lifecycle); None when neither says."""
    tags = list(feature_tags)
    name = _tag_value(tags, PRODUCT_TAG)
    if name is not None and name in _titles:
        return _titles[name]
    epic = _tag_value(tags, EPIC_TAG)
    if epic:
        return _words(epic)
    return name


def rule_of(scenario) -> str | None:
    """The name of the `Rule:` a scenario (or an outline's example) belongs to."""
    parent = getattr(scenario, "parent", None)
    while parent is not None:
        if getattr(parent, "type", None) == "rule":
            return parent.name or None
        parent = getattr(parent, "parent", None)
    return None


def place_of(scenario) -> ReportPlace:
    feature = scenario.feature
    story_tag = _tag_value(scenario.effective_tags, STORY_TAG)
    story = rule_of(scenario) or (_words(story_tag) if story_tag else None)
    return ReportPlace(product_title(feature.tags), feature.name or feature.filename, story)


def put_in_place(result: TestResult, place: ReportPlace) -> None:
    """Replace the result's place labels (from tags and allure-behave's defaults) with these."""
    result.labels = [label for label in result.labels if label.name not in PLACE_LABELS]
    result.labels.extend(place.labels())
    result.titlePath = place.path()
