"""Create the products' databases with their schemas and seed their common fixtures, once.

    python -m harness.prepare_databases [--product NAME ...] [--reset] [--wait SECONDS]
                                        [-D key=value ...] [--products-module products]

For deployed copies of the reference apps (docker-compose.yml's `databases` job, or by hand).
Spanner is reached as the suite reaches it: settings from -D or the environment, e.g.
SPANNER_BACKEND=external SPANNER_EMULATOR_HOST=spanner-emulator:9010, waiting up to --wait
seconds for it to answer (a container started at the same time as the emulator).

Safe to run again: a product whose databases all exist is left as it is, rows and all, so what
people did in the apps survives another `docker compose up`. A product missing any of its
databases gets all of them created afresh from spanner/schema/ and seeded with
fixtures/common/<product>/. --reset drops, recreates and seeds them all. Every product is
prepared when none is named.

Exit codes: 0 done; 1 Spanner did not answer or refused; 2 a wrong product or setting (also an
emulator this program would start itself: its databases would not outlive it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tenacity

from harness.command_line import add_suite_options, userdata_of
from harness.command_line import load_registry as load_products_module
from harness.config import SettingsError, load_settings
from harness.products import REPO_ROOT, Product, ProductError, Registry
from spanner.emulator import BackendError, choose_backend
from spanner.fixture_layout import FixtureLayout
from spanner.fixtures import load_seed
from spanner.reachability import SpannerUnreachable
from spanner.seeding import apply_seed
from spanner.service import SpannerService
from spanner.settings import SpannerSettings

DEFAULT_WAIT = 60.0  # seconds for a just-started emulator to answer


class PrepareError(RuntimeError):
    """What was asked cannot be prepared; the message says why."""


@dataclass(frozen=True)
class Prepared:
    """What was done to one product's databases."""

    product: Product
    database_ids: tuple[str, ...]
    created: bool
    seeded_from: str | None = None  # the fixture folder, relative to the repository
    rows: int = 0
    missing: tuple[str, ...] = ()  # ids of the databases that did not exist before

    def describe(self) -> str:
        ids = ", ".join(self.database_ids)
        if not self.created:
            return (
                f"{self.product.name}: {ids} exist; left as they are "
                "(--reset recreates and re-seeds them)"
            )
        source = self.seeded_from or "no common fixture folder"
        done = f"{self.product.name}: created {ids} and seeded {source} ({self.rows} rows)"
        if self.missing and len(self.missing) < len(self.database_ids):
            done += f"; {', '.join(self.missing)} had been missing"
        return done


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m harness.prepare_databases",
        description="Create the products' databases with their schemas and seed their "
        "common fixtures; databases that exist are left as they are unless --reset.",
    )
    parser.add_argument(
        "--product",
        action="append",
        default=[],
        metavar="NAME",
        help="a product to prepare (repeat for several; default: every declared product)",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="drop and recreate the databases that exist, and seed them again",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"how long Spanner may take to answer (default {DEFAULT_WAIT:g})",
    )
    add_suite_options(parser)
    return parser.parse_args(argv)


def load_registry(module_name: str) -> Registry:
    return load_products_module(module_name, PrepareError)


def choose_products(registry: Registry, names: Sequence[str]) -> list[Product]:
    unknown = [name for name in names if name not in registry.products]
    if unknown:
        raise PrepareError(
            f"--product {', '.join(unknown)}: unknown; declared: {registry.listing()}"
        )
    return [registry.products[name] for name in dict.fromkeys(names)] or list(registry)


def check_backend(settings: SpannerSettings) -> str:
    """The backend, when it is one that outlives this program: an emulator this program
    started (binary, docker) would take the databases with it when it stops."""
    try:
        backend = choose_backend(settings)
    except BackendError as error:
        raise PrepareError(str(error)) from None
    if backend in ("binary", "docker"):
        raise PrepareError(
            f"spanner.backend={backend}: the databases would go with the emulator this program "
            "starts and stops; point it at a running one (SPANNER_BACKEND=external "
            "SPANNER_EMULATOR_HOST=host:port) or at Cloud Spanner (SPANNER_BACKEND=cloud)"
        )
    return backend


def start_spanner(settings: SpannerSettings, wait: float) -> SpannerService:
    """Reach Spanner, asking again until it answers or `wait` seconds have passed."""
    service = SpannerService(settings)
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(SpannerUnreachable),
        wait=tenacity.wait_exponential(multiplier=0.2, max=2),
        stop=tenacity.stop_after_delay(wait),
        reraise=True,
    )
    try:
        retrying(service.start)
    except SpannerUnreachable as error:
        service.stop()
        raise PrepareError(f"{error} (waited {wait:g}s, --wait)") from None
    return service


def missing_databases(service: SpannerService, product: Product) -> tuple[str, ...]:
    """Ids of the product's databases that do not exist."""
    assert service.instance is not None, "start_spanner() first"
    ids = (service.settings.database_id(name) for name in product.databases)
    return tuple(id_ for id_ in ids if not service.instance.database(id_).exists())


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def prepare_product(service: SpannerService, product: Product, reset: bool) -> Prepared:
    """Create and seed the product's databases unless all of them exist (and no --reset)."""
    ids = tuple(service.settings.database_id(name) for name in product.databases)
    missing = missing_databases(service, product)
    if not missing and not reset:
        return Prepared(product, ids, created=False)
    databases = service.databases(
        product.databases, product.aliases, product.schema_root, create=True
    )
    common = FixtureLayout(product.fixtures_root, product.name).common()
    sets = (common,) if common.is_dir() else ()
    seed = load_seed(sets, databases.schemas, databases.aliases)
    service.check_destructive(f"seed the databases of {product.title}")
    apply_seed(databases.handles, databases.schemas, seed)
    shown = _shown(common) if sets else None
    return Prepared(product, ids, True, shown, seed.count(), missing)


def prepare(
    settings: SpannerSettings, products: Iterable[Product], reset: bool, wait: float
) -> list[Prepared]:
    service = start_spanner(settings, wait)
    try:
        done = []
        for product in products:
            prepared = prepare_product(service, product, reset)
            _say(prepared.describe())
            done.append(prepared)
        return done
    finally:
        service.stop()


def _say(message: str) -> None:
    print(f"prepare_databases: {message}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        registry = load_registry(args.products_module)
        products = choose_products(registry, args.product)
        settings = load_settings(
            userdata_of(args.userdata), products=[(p.name, p.title) for p in registry]
        )
        backend = check_backend(settings.spanner)
    except (PrepareError, SettingsError, ProductError) as error:
        print(f"prepare_databases: {error}", file=sys.stderr)
        return 2
    spanner = settings.spanner
    where = spanner.emulator_host or f"the {backend} backend"
    _say(f"Spanner at {where}, project {spanner.project}, instance {spanner.instance}")
    try:
        prepare(spanner, products, args.reset, args.wait)
    except Exception as error:
        print(f"prepare_databases: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
