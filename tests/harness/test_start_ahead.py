"""The next product a run needs starts while the feature before it runs
(harness.startup.next_product_to_start, harness.runtime.ProductRuntimes.start_ahead)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest

from harness.runtime import ProductRuntimes
from harness.startup import next_product_to_start


@dataclass
class Scenario:
    selected: bool = True

    def should_run(self, config) -> bool:
        return self.selected


@dataclass
class Feature:
    filename: str
    product: str
    tags: list[str] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=lambda: [Scenario()])

    def walk_scenarios(self) -> list[Scenario]:
        return self.scenarios


@dataclass(frozen=True)
class Product:
    name: str


def product_of(tags, filename: str) -> Product:
    return Product(filename.split("-")[0])


def feature(name: str, **kwargs) -> Feature:
    return Feature(name, name.split("-")[0], **kwargs)


def test_the_next_product_is_the_first_later_feature_s_that_has_not_started() -> None:
    features = [feature("saas-1"), feature("academy-1"), feature("saas-2"), feature("clinic-1")]
    found = next_product_to_start(features, features[0], None, product_of, ["saas"])
    assert found == Product("academy")
    found = next_product_to_start(features, features[2], None, product_of, ["saas", "academy"])
    assert found == Product("clinic")
    assert next_product_to_start(features, features[3], None, product_of, ["clinic"]) is None


def test_features_before_the_current_one_are_not_looked_at() -> None:
    features = [feature("academy-1"), feature("saas-1"), feature("saas-2")]
    assert next_product_to_start(features, features[1], None, product_of, ["saas"]) is None


def test_features_the_run_leaves_out_or_that_bring_their_own_emulator_are_passed_over() -> None:
    features = [
        feature("saas-1"),
        feature("academy-1", scenarios=[Scenario(selected=False)]),
        feature("clinic-1", tags=["spanner.fault_injection"]),
        feature("clinic-2"),
    ]
    found = next_product_to_start(features, features[0], None, product_of, ["saas"])
    assert found == Product("clinic")
    assert found is not None and features[3].product == found.name


@dataclass
class App:
    stopped: int = 0

    def stop(self) -> None:
        self.stopped += 1


@dataclass
class Runtime:
    app: App


class CountedStarts(ProductRuntimes):
    """ProductRuntimes whose start makes a stand-in runtime, counted, on the thread it runs on."""

    def __init__(self, failing: str | None = None) -> None:
        super().__init__(settings=None, spanner=None, mail=None, timings=None)  # type: ignore[arg-type]
        self.failing = failing
        self.starts: list[tuple[str, str]] = []

    def _start(self, product, prestarted):  # type: ignore[override]
        self.starts.append((product.name, threading.current_thread().name))
        if product.name == self.failing:
            raise RuntimeError(f"{product.name}'s app did not start")
        return Runtime(App())


def test_a_product_started_ahead_is_the_one_its_feature_gets_and_is_started_once() -> None:
    runtimes = CountedStarts()
    runtimes.start_ahead(Product("academy"))
    runtimes.start_ahead(Product("academy"))  # already on its way: nothing more
    runtime = runtimes.get(Product("academy"))
    assert runtimes.get(Product("academy")) is runtime
    assert runtimes.starts == [("academy", "start academy ahead")]
    runtimes.start_ahead(Product("academy"))  # started: nothing more
    assert len(runtimes.starts) == 1
    runtimes.stop()
    assert runtime.app.stopped == 1


def test_a_start_ahead_that_failed_fails_the_feature_that_needs_it() -> None:
    runtimes = CountedStarts(failing="clinic")
    runtimes.start_ahead(Product("clinic"))
    with pytest.raises(RuntimeError, match="clinic's app did not start"):
        runtimes.get(Product("clinic"))
    runtimes.stop()


def test_a_product_started_ahead_for_a_feature_that_never_came_is_stopped_with_the_run() -> None:
    runtimes = CountedStarts()
    runtimes.start_ahead(Product("clinic"))
    pending = runtimes.ahead["clinic"]
    runtime = pending.result()
    runtimes.stop()
    assert runtime.app.stopped == 1
    assert runtimes.ahead == {} and runtimes.starters == []
    pending._thread.join(timeout=5)
    assert not pending._thread.is_alive(), "its thread is let go once its app is stopped"
