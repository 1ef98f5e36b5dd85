"""Connect to Spanner and create the instance and the named databases with their schemas."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from google.api_core import exceptions as api_exceptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.instance import Instance

from spanner.live_schema import Table, lookup_table
from spanner.schema import SCHEMA_ROOT, SchemaError, Statement, schema_statements
from spanner.side_by_side import side_by_side

T = TypeVar("T")

EMULATOR_CONFIG = "emulator-config"
OPERATION_TIMEOUT = 120


def connect(project: str, emulator_host: str | None) -> spanner.Client:
    if emulator_host:
        return spanner.Client(
            project=project,
            credentials=AnonymousCredentials(),
            client_options={"api_endpoint": emulator_host},
            disable_builtin_metrics=True,
        )
    return spanner.Client(project=project)


def ensure_instance(client: spanner.Client, instance_id: str, emulator: bool) -> Instance:
    instance = client.instance(instance_id)
    if instance.exists():
        return instance
    if not emulator:
        raise RuntimeError(
            f"Spanner instance {instance_id!r} does not exist in project {client.project!r} "
            "(setting spanner.instance); the suite creates instances only on the emulator"
        )
    instance = client.instance(
        instance_id,
        configuration_name=f"projects/{client.project}/instanceConfigs/{EMULATOR_CONFIG}",
        display_name=instance_id,
        node_count=1,
    )
    try:
        instance.create().result(OPERATION_TIMEOUT)
    except api_exceptions.AlreadyExists:
        pass  # another process (a second `serve`, a parallel worker) created it first
    return instance


@dataclass
class Databases:
    """Named database handles with their live schemas: `dbs.orders`, `dbs["orders"]`.

    `aliases` gives databases other names (main -> orders), for scenarios written elsewhere.
    """

    handles: Mapping[str, Database]
    schemas: Mapping[str, Mapping[str, Table]] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)

    def name_of(self, name: str) -> str:
        """The database's own name, for its name or one of its aliases."""
        name = self.aliases.get(name, name)
        if name not in self.handles:
            known = [*self.handles, *(f"{a} (= {t})" for a, t in self.aliases.items())]
            raise KeyError(f"no database named {name!r}; this product has: {', '.join(known)}")
        return name

    def __getattr__(self, name: str) -> Database:
        if name.startswith("__") or "handles" not in self.__dict__:
            raise AttributeError(name)
        try:
            return self.handles[self.name_of(name)]
        except KeyError as error:
            raise AttributeError(error.args[0]) from None

    def __getitem__(self, name: str) -> Database:
        return self.handles[self.name_of(name)]

    def __iter__(self) -> Iterator[str]:
        return iter(self.handles)

    def items(self) -> Iterator[tuple[str, Database]]:
        return iter(self.handles.items())

    def tables(self, database: str) -> Mapping[str, Table]:
        return self.schemas[self.name_of(database)]

    def table(self, database: str, name: str) -> Table:
        return lookup_table(self.tables(database), name, database)


def create_database(instance: Instance, database_id: str, statements: list[Statement]) -> Database:
    """(Re)create a database with its schema; a refused statement is named with its file."""
    database = instance.database(database_id)
    if database.exists():
        database.drop()
    database = instance.database(database_id, ddl_statements=[s.sql for s in statements])
    try:
        database.create().result(OPERATION_TIMEOUT)
    except api_exceptions.GoogleAPICallError as error:
        culprit = _find_refused_statement(instance, database_id, statements)
        if culprit is None:
            raise SchemaError(f"creating database {database_id!r} failed: {error}") from error
        statement, reason = culprit
        raise SchemaError(
            f"schema error in {statement.where()}: {reason}\n  {statement.sql}"
        ) from error
    return database


def _find_refused_statement(
    instance: Instance, database_id: str, statements: list[Statement]
) -> tuple[Statement, str] | None:
    """Replay the DDL one statement at a time on a scratch database to name the bad one."""
    scratch = instance.database(f"{database_id[:20]}-probe")
    if scratch.exists():
        scratch.drop()
    scratch.create().result(OPERATION_TIMEOUT)
    try:
        for statement in statements:
            try:
                scratch.update_ddl([statement.sql]).result(OPERATION_TIMEOUT)
            except api_exceptions.GoogleAPICallError as error:
                return statement, getattr(error, "message", str(error))
        return None
    finally:
        scratch.drop()


def in_parallel(work: Callable[[str], T], names: Iterable[str]) -> dict[str, T]:
    """`work(name)` for every name, side by side (each waits on the server); the first error
    in the names' order is raised once all have ended."""
    return side_by_side({name: partial(work, name) for name in names})


def create_databases(
    instance: Instance,
    names: Iterable[str],
    database_id: Callable[[str], str],
    schema_root: Path = SCHEMA_ROOT,
) -> dict[str, Database]:
    """Each database (re)created with its schema, all at once."""
    statements = {name: schema_statements(name, schema_root) for name in names}
    return in_parallel(
        lambda name: create_database(instance, database_id(name), statements[name]), statements
    )


def open_databases(
    instance: Instance, names: Iterable[str], database_id: Callable[[str], str]
) -> dict[str, Database]:
    """Handles on databases that already exist (a deployed app, or Cloud Spanner)."""
    handles = {}
    for name in names:
        database = instance.database(database_id(name))
        if not database.exists():
            raise RuntimeError(f"database {database_id(name)!r} (logical name {name!r}) not found")
        handles[name] = database
    return handles
