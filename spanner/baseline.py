"""A feature's baseline in a product's databases: seed it once, restore it before each scenario."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from base.timing import Timings
from spanner.databases import Databases
from spanner.fixture_layout import FixtureLayout
from spanner.fixtures import FixtureError, Seed, load_seed
from spanner.seeding import apply_seed
from spanner.service import SpannerService


@dataclass
class Baseline:
    service: SpannerService
    databases: Databases
    layout: FixtureLayout
    timings: Timings = field(default_factory=Timings)
    seed: Seed | None = None
    feature_stem: str | None = None

    def load(self, feature_stem: str, extra_sets: Iterable[str] = ()) -> Seed:
        sets = (*self.layout.baseline(feature_stem), *self._tagged(extra_sets))
        return load_seed(sets, self.databases.schemas, self.databases.aliases)

    def seed_feature(self, feature_stem: str, scenario_sets: Iterable[str] = ()) -> None:
        """Load and check the feature's fixtures; they become the baseline for its scenarios.

        The extra sets its scenarios ask for are checked now too, so a bad fixture stops the
        feature before any scenario runs.
        """
        extra = tuple(dict.fromkeys(scenario_sets))
        self._tagged(extra)
        if self.service.read_only:
            return  # smoke mode: the deployed databases are read as they are
        if not self.service.writable:
            print(
                "read-only run against Cloud Spanner: fixtures are not loaded "
                "(-D spanner.allow_destructive=true loads them into test databases)"
            )
            return
        with self.timings.measure("feature seeding"):
            seed = self.load(feature_stem)
            if extra:
                self.load(feature_stem, extra)
            self._write(seed, f"seed fixtures for {feature_stem}")
            self.seed, self.feature_stem = seed, feature_stem

    def restore(self, extra_sets: Iterable[str] = ()) -> None:
        """Put the feature's baseline back (plus extra fixture sets for one scenario)."""
        if not self.service.writable:
            return
        extra = tuple(extra_sets)
        if extra:
            seed = self.load(self.feature_stem or "", extra)
        else:
            seed = self.seed or Seed()
        with self.timings.measure("scenario reset"):
            self._write(seed, "reset databases")

    def _tagged(self, names: Iterable[str]) -> list[Path]:
        folders = {name: self.layout.tagged(name) for name in names}
        missing = [f"{name} ({folder} does not exist)" for name, folder in folders.items()
                   if not folder.is_dir()]  # fmt: skip
        if missing:
            raise FixtureError(
                f"no fixture set {', '.join(missing)}; a @fixture.<name> tag loads "
                f"{self.layout.tagged('<name>')}/"
            )
        return list(folders.values())

    def _write(self, seed: Seed, action: str) -> None:
        self.service.check_destructive(action)
        apply_seed(self.databases.handles, self.databases.schemas, seed)
