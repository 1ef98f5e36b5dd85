"""Connect to Spanner and create the instance and the named databases with their schemas."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from google.api_core import exceptions as api_exceptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.instance import Instance

from spanner.schema import SCHEMA_ROOT, SchemaError, Statement, schema_statements

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
    instance.create().result(OPERATION_TIMEOUT)
    return instance


@dataclass
class Databases:
    """Named database handles: `dbs.primary`, `dbs["secondary"]`, iteration over names."""

    handles: Mapping[str, Database]

    def __getattr__(self, name: str) -> Database:
        handles = self.__dict__.get("handles", {})
        if name in handles:
            return handles[name]
        raise AttributeError(f"no database named {name!r}; configured: {', '.join(handles)}")

    def __getitem__(self, name: str) -> Database:
        try:
            return self.handles[name]
        except KeyError:
            raise KeyError(
                f"no database named {name!r}; configured: {', '.join(self.handles)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.handles)

    def items(self) -> Iterator[tuple[str, Database]]:
        return iter(self.handles.items())


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


def create_databases(
    instance: Instance,
    names: tuple[str, ...],
    database_id: Callable[[str], str],
    schema_root: Path = SCHEMA_ROOT,
) -> Databases:
    handles = {}
    for name in names:
        handles[name] = create_database(
            instance, database_id(name), schema_statements(name, schema_root)
        )
    return Databases(handles)


def open_databases(
    instance: Instance, names: tuple[str, ...], database_id: Callable[[str], str]
) -> Databases:
    """Handles on databases that already exist (a read-only run against Cloud Spanner)."""
    handles = {}
    for name in names:
        database = instance.database(database_id(name))
        if not database.exists():
            raise RuntimeError(f"database {database_id(name)!r} (logical name {name!r}) not found")
        handles[name] = database
    return Databases(handles)
