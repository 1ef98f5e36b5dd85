"""The scenarios a behave command line selects, found the way behave finds them.

behave's own configuration reads behave.ini and the arguments (paths, --tags, --name,
--include/--exclude, default_tags); behave's parser reads the feature files. Each example row of
a Scenario Outline is a scenario of its own here, as it is to behave (its own line, hooks, Allure
result and rerun line).

A scenario's key, stable between runs and machines, names its feature file and its name as behave
prints it (for an example row, behave's name carries the row's id: `... -- @1.2 Examples`):
`features/healthcare.feature::Ann signs a prescription -- @1.2 Controlled drugs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from behave.configuration import Configuration
from behave.runner_util import collect_feature_locations, parse_features

from harness.feature_paths import relative
from harness.lifecycle import run_named_feature_files_whole

KEY_SEPARATOR = "::"


@dataclass(frozen=True)
class SelectedScenario:
    key: str
    filename: str  # relative to the folder behave runs in, with / separators
    line: int

    @property
    def location(self) -> str:
        """What behave takes on its command line to run this scenario alone."""
        return f"{self.filename}:{self.line}"


def scenario_key(scenario) -> str:
    return f"{relative(scenario.filename)}{KEY_SEPARATOR}{scenario.name}"


def behave_configuration(behave_args: Sequence[str]) -> Configuration:
    """behave's configuration for these arguments, behave.ini of the current folder included.

    The project's own rule applies as in a run (harness/lifecycle.py): feature files named on the
    command line run whole, @load included, unless --tags is given."""
    config = Configuration(list(behave_args))
    run_named_feature_files_whole(config)
    return config


def parse(config: Configuration) -> list:
    """The features behind the configuration's paths; a location (`x.feature:12`) marks the
    feature's other scenarios as skipped, as behave does."""
    return parse_features(collect_feature_locations(config.paths), language=config.lang)


def selected_scenarios(config: Configuration) -> list[SelectedScenario]:
    """Every scenario behave would run with this configuration, in the order it would run them."""
    selected: list[SelectedScenario] = []
    seen: set[str] = set()
    for feature in parse(config):
        if config.exclude(feature.filename):
            continue
        for scenario in feature.walk_scenarios():
            if not scenario.should_run(config):
                continue
            item = SelectedScenario(
                scenario_key(scenario), relative(scenario.filename), scenario.line
            )
            if item.location not in seen:
                seen.add(item.location)
                selected.append(item)
    return selected


def all_scenarios(config: Configuration) -> list:
    """Every scenario in the configuration's feature files, whatever the tags (behave's model)."""
    return [scenario for feature in parse(config) for scenario in feature.walk_scenarios()]
