"""The run's Spanner: reach a backend, create databases, seed features, restore scenarios."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from google.cloud import spanner as spanner_client

from harness.config import Settings
from harness.timing import Timings
from spanner.databases import (
    Databases,
    connect,
    create_databases,
    ensure_instance,
    open_databases,
)
from spanner.emulator import Backend, open_backend
from spanner.fixtures import COMMON_SET, FIXTURES_ROOT, FixtureError, Seed, load_seed, set_exists
from spanner.guard import check_destructive_allowed
from spanner.live_schema import Table, read_tables
from spanner.seeding import apply_seed


@dataclass
class SpannerSuite:
    settings: Settings
    timings: Timings
    fixtures_root: Path = FIXTURES_ROOT
    backend: Backend | None = None
    client: spanner_client.Client | None = None
    databases: Databases | None = None
    schemas: dict[str, dict[str, Table]] = field(default_factory=dict)
    baseline: Seed | None = None
    baseline_sets: tuple[str, ...] = ()

    def start(self) -> SpannerSuite:
        with self.timings.measure("emulator start"):
            self.backend = open_backend(self.settings)
        emulator = self.backend.is_emulator
        self.client = connect(self.settings.spanner_project, self.backend.emulator_host)
        with self.timings.measure("database creation"):
            instance = ensure_instance(self.client, self.settings.spanner_instance, emulator)
            if emulator or self.settings.spanner_allow_destructive:
                check_destructive_allowed(self.settings, emulator, "create databases")
                self.databases = create_databases(
                    instance, self.settings.spanner_databases, self.settings.database_id
                )
            else:
                self.databases = open_databases(
                    instance, self.settings.spanner_databases, self.settings.database_id
                )
            self.schemas = {name: read_tables(db) for name, db in self.databases.items()}
        return self

    @property
    def writable(self) -> bool:
        return bool(self.backend and self.backend.is_emulator) or (
            self.settings.spanner_allow_destructive
        )

    def fixture_sets_for(self, feature_stem: str) -> tuple[str, ...]:
        return tuple(
            name for name in (COMMON_SET, feature_stem) if set_exists(self.fixtures_root, name)
        )

    def load(self, sets: Iterable[str]) -> Seed:
        return load_seed(self.fixtures_root, sets, self.schemas)

    def seed_feature(self, feature_stem: str, scenario_sets: Iterable[str] = ()) -> None:
        """Load and check the feature's fixtures; they become the baseline for its scenarios.

        The extra sets its scenarios ask for are checked now too, so a bad fixture stops the
        feature before any scenario runs.
        """
        sets = self.fixture_sets_for(feature_stem)
        extra = tuple(dict.fromkeys(scenario_sets))
        self._require_sets(extra)
        if not self.writable:
            print(
                "read-only run against Cloud Spanner: fixtures are not loaded "
                "(-D spanner.allow_destructive=true loads them into test databases)"
            )
            return
        with self.timings.measure("feature seeding"):
            self.baseline = self.load(sets)
            self.baseline_sets = sets
            if extra:
                self.load((*sets, *extra))
            self._write(self.baseline, f"seed fixtures for {feature_stem}")

    def _require_sets(self, names: tuple[str, ...]) -> None:
        missing = [name for name in names if not set_exists(self.fixtures_root, name)]
        if missing:
            raise FixtureError(
                f"no fixture set {', '.join(missing)} in {self.fixtures_root} "
                "(a @fixture.<name> tag loads fixtures/<name>/)"
            )

    def restore(self, extra_sets: Iterable[str] = ()) -> None:
        """Put the baseline back (plus extra fixture sets for one scenario)."""
        if not self.writable:
            return
        extra = tuple(extra_sets)
        self._require_sets(extra)
        seed = self.load((*self.baseline_sets, *extra)) if extra else self.baseline
        with self.timings.measure("scenario reset"):
            self._write(seed or Seed(), "reset databases")

    def _write(self, seed: Seed, action: str) -> None:
        check_destructive_allowed(self.settings, bool(self.backend.is_emulator), action)
        apply_seed(self.databases, self.schemas, seed)

    def stop(self) -> None:
        self.client = None
        if self.backend is not None:
            self.backend.stop()
            self.backend = None
