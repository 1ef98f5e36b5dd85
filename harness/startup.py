"""The run's start, side by side: the services in a thread of their own, the browser in the
main thread (Playwright's sync API must be used from the thread that started it).

The services' thread (harness/background.py) starts Spanner, the mail sink and the first
feature's product (its databases and app) while the main thread starts Playwright and the
browser; before_all then waits for the thread. A failure on either side is raised only once
both are done, so that behave's clean-ups stop everything that was started, and names its
cause. Each later product starts while the feature before it runs (`next_product_to_start`).
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.fault_injection import wants_faults


def runs(feature, config) -> bool:
    """Whether this run selects a scenario of the feature (tags, names)."""
    return any(scenario.should_run(config) for scenario in feature.walk_scenarios())


def first_feature_to_run(features: Iterable, config) -> object | None:
    """The first feature with a scenario this run selects; None if none does."""
    return next((feature for feature in features if runs(feature, config)), None)


def next_product_to_start(
    features: Iterable, current, config, product_of, started: Iterable[str]
) -> object | None:
    """The product of the first feature after `current` that this run selects and whose
    product is not in `started` (names); None when there is none. A feature on an emulator of
    its own (@spanner.fault_injection) starts its product itself and is passed over."""
    following = iter(features)
    for feature in following:
        if feature is current:
            break
    started = set(started)
    for feature in following:
        if wants_faults(feature.tags):
            continue
        product = product_of(feature.tags, feature.filename)
        # the product first: once every product has started, no scenario is looked at
        if product.name not in started and runs(feature, config):
            return product
    return None


def product_to_start_early(features: Iterable, config, product_of) -> object | None:
    """The product whose databases and app start with the run's services: the first running
    feature's, unless it runs on an emulator of its own (@spanner.fault_injection)."""
    feature = first_feature_to_run(features, config)
    if feature is None or wants_faults(feature.tags):
        return None
    return product_of(feature.tags, feature.filename)
