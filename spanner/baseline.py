"""A feature's baseline in a product's databases: seed it once, restore it before each scenario.

Seeding writes every table whole; a restore writes only what changed since (spanner/restore.py),
and falls back to writing every table whole should that fail. A feature's fixtures are read once
per run; seeding the feature whose baseline is already written (its next part on the same
worker, or a mutation run's next mutant: harness/mutant_runner.py) is a restore.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from base.timing import Timings
from spanner.clock import utc_now
from spanner.databases import Databases
from spanner.fixture_layout import FixtureLayout
from spanner.fixtures import FixtureError, Seed, load_seed
from spanner.restore import DatabaseState, RestoreReport, record
from spanner.restore import restore as restore_database
from spanner.seeding import apply_seed
from spanner.service import SpannerService
from spanner.side_by_side import side_by_side


@dataclass
class Baseline:
    service: SpannerService
    databases: Databases
    layout: FixtureLayout
    timings: Timings = field(default_factory=Timings)
    seed: Seed | None = None
    feature_stem: str | None = None
    # each database's rows and digests after the last write; None: not known
    states: dict[str, DatabaseState] | None = None
    # what the last restore did, per database (empty after a full write)
    last_restore: dict[str, RestoreReport] = field(default_factory=dict)
    # the seeds read, by feature and extra sets (values known only at writing stay unknown)
    _read: dict[tuple[str, tuple[str, ...]], Seed] = field(default_factory=dict, repr=False)
    _written: tuple[str, tuple[str, ...]] | None = field(default=None, repr=False)

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
        key = (feature_stem, extra)
        with self.timings.measure("feature seeding"):
            seed = self._read.get(key)
            if seed is None:
                seed = self.load(feature_stem)
                if extra:
                    self.load(feature_stem, extra)
                self._read[key] = seed
            if key == self._written and self.states is not None:
                self._restore(seed)  # this baseline is written: only what changed since
            else:
                self._write(seed, f"seed fixtures for {feature_stem}")
                self._written = key
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
            self._restore(seed)

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
        self.states, self.last_restore, self._written = None, {}, None
        apply_seed(self.databases.handles, self.databases.schemas, seed)
        self.states = {
            name: record(database, self.databases.schemas[name], seed.tables(name))
            for name, database in self.databases.items()
        }

    def _restore(self, seed: Seed) -> None:
        if self.states is None:
            self._write(seed, "reset databases")
            return
        self.service.check_destructive("reset databases")
        moment = utc_now()  # one moment for every database's RAW=NOW()
        states, schemas = self.states, self.databases.schemas
        try:
            # each database on its own thread: the emulator answers them side by side
            self.last_restore = side_by_side({
                name: partial(restore_database, database, schemas[name], seed.tables(name),
                              states[name], moment)
                for name, database in self.databases.items()
            })  # fmt: skip
        except Exception as error:  # noqa: BLE001 - writing everything whole is exact
            backend = self.service.backend
            if backend is not None and not backend.alive():
                raise  # the emulator is gone: writing everything whole would only wait on it
            print(f"restoring only the changed rows failed ({error}); every table is written whole")
            self._write(seed, "reset databases")
