"""The run's Spanner: reach a backend once, then hand out databases as products need them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from google.cloud import spanner as spanner_client
from google.cloud.spanner_v1.instance import Instance

from base.timing import Timings
from spanner.databases import (
    Databases,
    connect,
    create_databases,
    ensure_instance,
    in_parallel,
    open_databases,
)
from spanner.emulator import Backend, open_backend
from spanner.guard import check_destructive_allowed
from spanner.live_schema import read_tables
from spanner.reachability import check_reachable
from spanner.read_only import ReadOnlyDatabase, refuse
from spanner.schema import SCHEMA_ROOT
from spanner.settings import SpannerSettings


@dataclass
class SpannerService:
    settings: SpannerSettings
    timings: Timings = field(default_factory=Timings)
    backend: Backend | None = None
    client: spanner_client.Client | None = None
    instance: Instance | None = None
    # smoke mode: no database is created, seeded or restored; handles refuse every write
    read_only: bool = False

    def start(self) -> SpannerService:
        with self.timings.measure("emulator start"):
            self.backend = open_backend(self.settings)
        with self.timings.measure("spanner connect"):
            self.client = connect(self.settings.project, self.backend.emulator_host)
            check_reachable(
                self.client, self.settings.instance, self.backend.name, self.backend.emulator_host
            )
            self.instance = ensure_instance(
                self.client, self.settings.instance, self.backend.is_emulator
            )
        return self

    @property
    def on_emulator(self) -> bool:
        return bool(self.backend and self.backend.is_emulator)

    @property
    def writable(self) -> bool:
        """Whether the suite may write rows: never in a read-only run, always on the emulator,
        on Cloud when allowed."""
        if self.read_only:
            return False
        return self.on_emulator or self.settings.allow_destructive

    def check_destructive(self, action: str) -> None:
        if self.read_only:
            raise refuse(action, f"Spanner instance {self.settings.instance!r}")
        check_destructive_allowed(self.settings, self.on_emulator, action)

    def databases(
        self,
        names: Iterable[str],
        aliases: Mapping[str, str] | None = None,
        schema_root: Path = SCHEMA_ROOT,
        create: bool = True,
    ) -> Databases:
        """Handles on the named databases with their live schemas.

        With `create`, each is (re)created from schema_root/<name>/ (refused on Cloud Spanner
        unless allowed); without, they must already exist, as under a deployed app. In a
        read-only run the handles refuse every write (spanner/read_only.py).
        """
        names = tuple(names)
        with self.timings.measure("database creation"):
            if create:
                self.check_destructive("create databases")
                handles = create_databases(
                    self.instance, names, self.settings.database_id, schema_root
                )
            else:
                handles = open_databases(self.instance, names, self.settings.database_id)
            schemas = in_parallel(lambda name: read_tables(handles[name]), handles)
        if self.read_only:
            handles = {name: ReadOnlyDatabase(database) for name, database in handles.items()}
        return Databases(handles, schemas, dict(aliases or {}))

    def stop(self) -> None:
        self.client = None
        self.instance = None
        if self.backend is not None:
            self.backend.stop()
            self.backend = None
