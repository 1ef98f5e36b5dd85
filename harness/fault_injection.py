"""A feature tagged @spanner.fault_injection runs on a Spanner that aborts commits at random.

When the run's emulator already has faults on (setting spanner.fault_injection), the feature
uses it like any other. Otherwise the feature gets an emulator of its own, started with
--enable_fault_injection, with its product's databases and app on it, for the feature's length:
the other features of the run keep the run's emulator and stay as deterministic as they were,
and `behave features/<it>.feature` needs no flag. Only an emulator program the suite starts
itself can be given the flag: under an external emulator, Docker's single emulator port, Cloud
Spanner or a deployed app, the feature is refused with the reason and what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from behave import fixture, use_fixture

from harness.config import Settings
from harness.products import Product
from harness.runtime import ProductRuntime, ProductRuntimes
from spanner.service import SpannerService

FAULT_TAG = "spanner.fault_injection"
EMULATOR_WATCH = "fault-injected emulator"


class FaultInjectionRefused(RuntimeError):  # noqa: N818 - the name says what happened
    """The feature needs a Spanner that aborts commits at random, and this run cannot give one."""


def wants_faults(tags: Iterable[str]) -> bool:
    return FAULT_TAG in tags


def settings_with_faults(settings: Settings) -> Settings:
    """The run's settings for an emulator program of its own with the flag, logging apart."""
    return replace(
        settings,
        spanner_backend="binary",
        spanner_fault_injection=True,
        run_id=f"{settings.run_id}/fault-injection",
    )


BACKEND_REFUSALS = {
    "external": "the run's Spanner is an emulator someone else started (spanner.backend="
    "external), which the suite cannot give the flag; run with spanner.backend=binary",
    "docker": "the run's Spanner is Docker's emulator on port 9010, and no second one can start "
    "beside it; run with -D spanner.fault_injection=true (the whole run's emulator then aborts "
    "commits at random) or with spanner.backend=binary",
    "cloud": "the run's Spanner is Cloud Spanner, which cannot be told to abort commits; run "
    "with spanner.backend=binary",
}


def refusal(feature_file: str, backend: str, product: Product, base_url: str | None) -> str | None:
    """Why this run cannot give the feature an emulator of its own with faults; None if it can."""
    if base_url:
        why = (
            f"{product.base_url_setting} points at a deployed {product.title}, whose Spanner "
            "the suite does not start; unset it"
        )
    elif backend != "binary":
        why = BACKEND_REFUSALS.get(backend, f"the run's Spanner backend is {backend}")
    else:
        return None
    return (
        f"{feature_file} is tagged @{FAULT_TAG}: it needs a Spanner emulator that aborts commits "
        f"at random (--enable_fault_injection), and {why}"
    )


@fixture
def fault_injected_products(context) -> Iterator[ProductRuntimes]:
    """An emulator with the flag and the products started on it, until the feature ends."""
    settings = settings_with_faults(context.settings)
    service = SpannerService(settings.spanner, context.timings)
    runtimes = ProductRuntimes(settings, service, context.mail, context.timings)
    try:
        service.start()
        backend = service.backend
        context.watchdog.watch(EMULATOR_WATCH, backend.alive, backend.death)
        yield runtimes
    finally:
        context.watchdog.forget(EMULATOR_WATCH)
        for name in list(runtimes.started):
            context.watchdog.forget(f"fault-injected app {name}")
        runtimes.stop()
        service.stop()


def runtime_with_faults(context, feature, product: Product) -> ProductRuntime | None:
    """The product on an emulator of the feature's own with faults on, started and watched; None
    when the feature is not tagged or the run's emulator already has faults on."""
    if not wants_faults(feature.tags):
        return None
    settings = context.settings
    base_url = settings.base_url(product.name)
    if settings.spanner_fault_injection and base_url is None:
        return None
    backend = context.spanner.backend.name
    why = refusal(feature.filename, backend, product, base_url)
    if why is not None:
        raise FaultInjectionRefused(why)
    runtimes = use_fixture(fault_injected_products, context)
    runtime = runtimes.get(product)
    if runtime.app.runs_a_child:
        what = (
            f"the {product.title}'s app ({product.app_description}) on the fault-injected emulator"
        )
        context.watchdog.watch(
            f"fault-injected app {product.name}",
            runtime.app.alive,
            lambda: runtime.app.death(what),
        )
    return runtime
