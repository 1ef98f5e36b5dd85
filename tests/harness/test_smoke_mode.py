"""Smoke mode (run.mode=smoke) pointed at the emulator standing in for production.

The three products are deployed by `python -m harness.serve` (each seeded with its smoke
feature's fixtures) on the shared emulator; behave then runs in smoke mode as production's
pipeline would: the `cloud` backend (the Spanner client reaches the emulator through
SPANNER_EMULATOR_HOST, so the suite's Cloud guards hold), the apps' base URLs, the settings'
accounts with their secrets in the environment, and `features/` as a whole, of which only the
@smoke scenarios run. Every table of every database is read before and after.

What may change is what the apps themselves write when someone signs in, and only for the
smoke accounts: a session row, the time of the last sign-in, the password's hash brought to the
current cost (the fixtures' hashes are cheap ones), the step of the second factor's code, and
the clinic's audit lines about its provider. Every other difference, in any table, fails.
The harness itself writes nothing: it creates, seeds and restores nothing, and its database
handles refuse writes (tested below too).
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from behave.parser import parse_file

from harness.accounts import Accounts
from harness.config import SettingsError, load_settings
from harness.serve import READY_LINE
from harness.smoke import smoke_account
from products import PRODUCTS
from spanner.databases import OPERATION_TIMEOUT, connect
from spanner.live_schema import read_tables
from spanner.query import query
from spanner.read_only import ReadOnlyDatabase, WriteRefused
from spanner.service import SpannerService
from spanner.settings import SpannerSettings

REPO = Path(__file__).resolve().parents[2]
SMOKE_FEATURES = {"saas": "saas_smoke", "academy": "academy_smoke", "clinic": "clinic_smoke"}
DATABASES = {"saas": ("users", "billing"), "academy": ("academy",), "clinic": ("clinic", "audit")}
SMOKE_SCENARIOS = 9  # three per product: the @smoke scenarios of features/
START_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0
BEHAVE_TIMEOUT = 300.0
PRODUCTS_BY_NAME = {product.name: product for product in PRODUCTS}
APP_LINE = re.compile(r"^\s+app\s+(http://\S+)$")


@dataclass
class Served:
    process: subprocess.Popen[str]
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    output: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        def read() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.lines.put(line.rstrip("\n"))
            self.lines.put(None)

        threading.Thread(target=read, daemon=True).start()

    def base_url(self, timeout: float = START_TIMEOUT) -> str:
        """The app's URL from serve's printout, once it says it is ready."""
        deadline = time.monotonic() + timeout
        url = None
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                pytest.fail(f"serve was not ready within {timeout:g}s:\n" + "\n".join(self.output))
            if line is None:
                pytest.fail("serve ended before it was ready:\n" + "\n".join(self.output))
            self.output.append(line)
            if match := APP_LINE.match(line):
                url = match.group(1)
            if line == READY_LINE:
                assert url, "serve printed no app URL:\n" + "\n".join(self.output)
                return url

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)


@dataclass(frozen=True)
class Deployment:
    env: dict[str, str]
    base_urls: dict[str, str]
    accounts: dict[str, dict[str, str]]


def clean_environment(tmp_path: Path, emulator_host: str) -> dict[str, str]:
    """The test's environment without any setting a developer's shell may carry."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith(("_BASE_URL", "_SMOKE_ACCOUNT", "_SMOKE_PASSWORD"))
        and not key.startswith(("SPANNER_", "MAIL_", "SUITE_"))
    }
    env.update(
        SPANNER_EMULATOR_HOST=emulator_host,
        SPANNER_PROJECT="smoke-tests",
        SPANNER_INSTANCE=f"smoke-{uuid.uuid4().hex[:10]}",
        TEST_OUTPUT=str(tmp_path / "output"),
        PYTHONUNBUFFERED="1",
    )
    return env


def smoke_accounts() -> dict[str, dict[str, str]]:
    """The `smoke:` account of each smoke feature's fixtures: what production's settings and
    secrets would name."""
    accounts = {}
    for product, stem in SMOKE_FEATURES.items():
        file = REPO / "fixtures" / stem / "accounts.yaml"
        accounts[product] = yaml.safe_load(file.read_text(encoding="utf-8"))["smoke"]
    return accounts


def smoke_environment(deployment: Deployment, tmp_path: Path) -> dict[str, str]:
    """What the production-smoke workflow passes: mode, backend, URLs, accounts, secrets."""
    env = dict(deployment.env, SUITE_MODE="smoke", SPANNER_BACKEND="cloud")
    env["TEST_OUTPUT"] = str(tmp_path / "smoke-output")
    for product, account in deployment.accounts.items():
        env[f"{product.upper()}_BASE_URL"] = deployment.base_urls[product]
        env[f"{product.upper()}_SMOKE_ACCOUNT"] = account["account"]
        for secret, value in account.items():
            if secret != "account":
                env[f"{product.upper()}_SMOKE_{secret.upper()}"] = str(value)
    return env


def run_behave(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    allure = tmp_path / f"allure-{uuid.uuid4().hex[:6]}"
    command = [
        sys.executable,
        "-m",
        "behave",
        *args,
        "-f",
        "allure_behave.formatter:AllureFormatter",
    ]
    return subprocess.run(
        [*command, "-o", str(allure)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=BEHAVE_TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.fixture(scope="module")
def deployment(emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """The three products served on the emulator, as deployed copies with their data."""
    env = clean_environment(tmp_path_factory.mktemp("serve"), emulator.emulator_host)
    served: dict[str, Served] = {}
    try:
        for product, stem in SMOKE_FEATURES.items():
            served[product] = Served(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "harness.serve",
                        "--product",
                        product,
                        "--feature",
                        stem,
                        "--smtp-port",
                        "0",
                        "--http-port",
                        "0",
                    ],
                    cwd=REPO,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    text=True,
                    start_new_session=True,
                )  # fmt: skip
            )
        base_urls = {product: serve.base_url() for product, serve in served.items()}
        yield Deployment(env, base_urls, smoke_accounts())
    finally:
        for serve in served.values():
            serve.stop()


Key = tuple[Any, ...]
Everything = dict[str, dict[Key, dict[str, Any]]]  # "database.Table" -> primary key -> row


def read_everything(env: dict[str, str]) -> Everything:
    """Every row of every table of the five databases, keyed by primary key."""
    client = connect(env["SPANNER_PROJECT"], env["SPANNER_EMULATOR_HOST"])
    instance = client.instance(env["SPANNER_INSTANCE"])
    everything: Everything = {}
    for names in DATABASES.values():
        for name in names:
            database = instance.database(f"test-{name}")
            for table in read_tables(database).values():
                columns = ", ".join(f"`{c}`" for c in table.columns)
                sql = f"SELECT {columns} FROM `{table.name}`"  # noqa: S608 - names from the schema
                rows = query(database, sql, attach=False)
                everything[f"{name}.{table.name}"] = {
                    tuple(row[c] for c in table.primary_key): row for row in rows
                }
    return everything


@dataclass(frozen=True)
class Change:
    table: str
    kind: str  # added, removed, changed
    key: Key
    columns: frozenset[str]  # the changed columns (all of them for added or removed rows)
    row: dict[str, Any]


def changes_between(before: Everything, after: Everything) -> list[Change]:
    found = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, {}), after.get(table, {})
        for key in new.keys() - old.keys():
            found.append(Change(table, "added", key, frozenset(new[key]), new[key]))
        for key in old.keys() - new.keys():
            found.append(Change(table, "removed", key, frozenset(old[key]), old[key]))
        for key in old.keys() & new.keys():
            changed = frozenset(c for c in new[key] if old[key].get(c) != new[key][c])
            if changed:
                found.append(Change(table, "changed", key, changed, new[key]))
    return found


def smoke_people(before: Everything, accounts: dict[str, dict[str, str]]) -> dict[str, str]:
    """The smoke accounts' ids: "UserID" / "StudentID" / "ProviderID" -> id."""
    emails = {account["account"] for account in accounts.values()}
    ids = {}
    for table, column in (("users.Users", "UserID"), ("academy.Students", "StudentID"),
                          ("clinic.Providers", "ProviderID")):  # fmt: skip
        found = [row[column] for row in before[table].values() if row["Email"] in emails]
        assert len(found) == 1, f"{table} should hold one smoke account, holds {found}"
        ids[column] = found[0]
    return ids


# What each app writes when someone signs in, for the person who signs in: table -> (kind,
# the columns that may change, the column naming the person).
SIGN_IN_WRITES: dict[str, tuple[str, frozenset[str] | None, str]] = {
    "users.UserSessions": ("added", None, "UserID"),
    "users.Users": ("changed", frozenset({"LastLoginAt"}), "UserID"),
    "users.UserCredentials": ("changed", frozenset({"PasswordHash", "UpdatedAt"}), "UserID"),
    "academy.StudentSessions": ("added", None, "StudentID"),
    "academy.StudentCredentials": (
        "changed",
        frozenset({"PasswordHash", "UpdatedAt"}),
        "StudentID",
    ),  # fmt: skip
    "clinic.ProviderSessions": ("added", None, "ProviderID"),
    "clinic.Providers": ("changed", frozenset({"PasswordHash"}), "ProviderID"),
    "clinic.ProviderMfa": ("changed", frozenset({"LastUsedStep", "FailedAttempts"}), "ProviderID"),
    "audit.AuditLog": ("added", None, "ProviderID"),
}


# the platform's record of when each session was last used (the idle timeout): a row per
# session, named by its SessionID only, so it is matched to a sign-in session added above
SESSION_ACTIVITY = ("users.SessionActivity", "academy.SessionActivity", "clinic.SessionActivity")


def sessions_signed_in(changes: list[Change], people: dict[str, str]) -> set[str]:
    """The SessionIDs of the sessions the smoke accounts' sign-ins added."""
    return {
        change.row["SessionID"]
        for change in changes
        if change.table.endswith("Sessions") and is_sign_in_write(change, people)
    }


def is_app_write(change: Change, people: dict[str, str], sessions: set[str]) -> bool:
    """A row the apps write for a smoke account's sign-in (or its session's last use)."""
    if change.table in SESSION_ACTIVITY:
        return change.kind in ("added", "changed") and change.row.get("SessionID") in sessions
    return is_sign_in_write(change, people)


def is_sign_in_write(change: Change, people: dict[str, str]) -> bool:
    if change.table not in SIGN_IN_WRITES:
        return False
    kind, columns, person = SIGN_IN_WRITES[change.table]
    return (
        change.kind == kind
        and (columns is None or change.columns <= columns)
        and change.row.get(person) == people[person]
    )


def test_smoke_mode_runs_the_smoke_scenarios_and_writes_nothing(deployment, tmp_path) -> None:
    before = read_everything(deployment.env)
    people = smoke_people(before, deployment.accounts)

    result = run_behave(smoke_environment(deployment, tmp_path), tmp_path, "features")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"{SMOKE_SCENARIOS} scenarios passed, 0 failed" in output, output
    after = read_everything(deployment.env)
    changes = changes_between(before, after)
    sessions = sessions_signed_in(changes, people)
    not_sign_in = [change for change in changes if not is_app_write(change, people, sessions)]
    assert not_sign_in == [], "the smoke run changed more than the apps' sign-in rows:\n" + (
        "\n".join(f"{c.table} {c.kind} {c.key}: {sorted(c.columns)}" for c in not_sign_in)
    )
    # the sign-ins did happen, so the comparison above saw the run's traces
    assert {c.table for c in changes} >= {"users.UserSessions", "academy.StudentSessions"}


def test_the_drift_scenario_names_an_added_column_and_a_changed_type(deployment, tmp_path) -> None:
    """The academy's deployed database changed behind the suite's back: the smoke run's drift
    scenario fails and says what changed, table by table; its other scenarios still pass."""
    client = connect(deployment.env["SPANNER_PROJECT"], deployment.env["SPANNER_EMULATOR_HOST"])
    academy = client.instance(deployment.env["SPANNER_INSTANCE"]).database("test-academy")
    academy.update_ddl(
        [
            "ALTER TABLE Courses ADD COLUMN Subtitle STRING(120)",
            "ALTER TABLE Courses ALTER COLUMN Title STRING(400) NOT NULL",
        ]
    ).result(OPERATION_TIMEOUT)
    try:
        result = run_behave(
            smoke_environment(deployment, tmp_path), tmp_path, "features/academy_smoke.feature"
        )
    finally:
        academy.update_ddl(
            [
                "ALTER TABLE Courses DROP COLUMN Subtitle",
                "ALTER TABLE Courses ALTER COLUMN Title STRING(200) NOT NULL",
            ]
        ).result(OPERATION_TIMEOUT)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "2 scenarios passed, 1 failed" in output, output
    assert "the live databases of the E-learning academy are not the shape it was built for" in (
        output
    )
    assert "database test-academy differs from spanner/schema/academy/:" in output, output
    assert "  table Courses:" in output, output
    assert "column Subtitle added: STRING(120) nullable, not in the schema" in output, output
    assert "column Title changed type: STRING(200) in the schema, STRING(400) live" in output


def first_scenario_without_smoke(feature_file: str) -> tuple[int, str]:
    """The line and name of the feature's first scenario not tagged @smoke."""
    feature = parse_file(feature_file)
    for scenario in feature.walk_scenarios():
        if "smoke" not in scenario.effective_tags:
            return scenario.line, scenario.name
    raise AssertionError(f"{feature_file} has no scenario without @smoke")


def test_a_scenario_without_the_smoke_tag_named_in_smoke_mode_is_refused(tmp_path) -> None:
    env = clean_environment(tmp_path, "127.0.0.1:1")  # nothing starts: refused before
    env["SUITE_MODE"] = "smoke"
    line, name = first_scenario_without_smoke("features/tenant_lifecycle.feature")

    result = run_behave(
        env, tmp_path, f"features/tenant_lifecycle.feature:{line}", "features/saas_smoke.feature:11"
    )

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "runs only scenarios tagged @smoke" in output, output
    assert f"features/tenant_lifecycle.feature:{line}  {name}" in output, output
    assert "saas_smoke.feature:11" not in output.split("not tagged @smoke:")[1], output


def test_smoke_mode_names_every_missing_setting_and_secret(tmp_path) -> None:
    env = clean_environment(tmp_path, "127.0.0.1:1")
    env.update(SUITE_MODE="smoke", CLINIC_BASE_URL="http://clinic.example.com")

    result = run_behave(
        env, tmp_path, "features/saas_smoke.feature", "features/clinic_smoke.feature"
    )

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for missing in (
        "saas.base_url (or SAAS_BASE_URL)",
        "saas.smoke_account (or SAAS_SMOKE_ACCOUNT)",
        "environment variable SAAS_SMOKE_PASSWORD",
        "clinic.smoke_account (or CLINIC_SMOKE_ACCOUNT)",
        "environment variable CLINIC_SMOKE_PASSWORD",
    ):
        assert missing in output, f"{missing!r} not named:\n{output}"
    assert "clinic.base_url" not in output, "the clinic's base URL is set"
    assert "academy" not in output.split("run.mode=smoke needs:")[1].split("ABORTED")[0], (
        "no academy feature runs, so nothing of the academy is needed"
    )


def test_a_read_only_service_refuses_to_create_and_its_databases_refuse_writes(
    emulator, tmp_path
) -> None:
    settings = SpannerSettings(
        backend="external",
        emulator_host=emulator.emulator_host,
        project="smoke-tests",
        instance=f"ro-{uuid.uuid4().hex[:10]}",
        log_dir=tmp_path,
    )
    writable = SpannerService(settings).start()
    writable.databases(["academy"])  # made by a writable service, as a deployment's would be
    service = SpannerService(settings, read_only=True).start()
    try:
        with pytest.raises(WriteRefused, match="refusing to create databases .* read only"):
            service.databases(["academy"])
        databases = service.databases(["academy"], create=False)
        handle = databases.academy
        assert isinstance(handle, ReadOnlyDatabase)
        assert query(handle, "SELECT COUNT(*) AS n FROM Courses", attach=False) == [{"n": 0}]
        with pytest.raises(WriteRefused, match="refusing to call run_in_transaction"):
            handle.run_in_transaction(lambda transaction: None)
        with pytest.raises(WriteRefused, match="refusing to call batch"):
            handle.batch()
        with pytest.raises(WriteRefused, match="refusing to reset databases"):
            service.check_destructive("reset databases")
        assert not service.writable
    finally:
        service.stop()
        writable.stop()


def test_the_run_mode_and_smoke_accounts_are_settings_and_secrets_come_from_the_environment(
    tmp_path,
) -> None:
    products = [("clinic", "Healthcare clinic")]
    with pytest.raises(SettingsError, match="setting run.mode from -D run.mode: 'prod'"):
        load_settings({"run.mode": "prod"}, environ={}, products=products)
    settings = load_settings(
        {"run.mode": "smoke", "clinic.smoke_account": "dr.smoke@clinic.example"},
        environ={"CLINIC_SMOKE_PASSWORD": "pw", "CLINIC_SMOKE_TOTP_SECRET": "ABC"},
        products=products,
    )
    assert settings.smoke and settings.smoke_account("clinic") == "dr.smoke@clinic.example"
    clinic = PRODUCTS_BY_NAME["clinic"]
    account = smoke_account(
        settings,
        clinic,
        Accounts(tmp_path / "accounts.yaml"),
        environ={"CLINIC_SMOKE_PASSWORD": "pw", "CLINIC_SMOKE_TOTP_SECRET": "ABC"},
    )
    assert (account.email, account.password, account.secret("totp_secret")) == (
        "dr.smoke@clinic.example",
        "pw",
        "ABC",
    )
    assert "pw" not in repr(account), "secrets stay out of reprs and logs"
    with pytest.raises(KeyError, match="environment variable CLINIC_SMOKE_RECOVERY_CODE"):
        account.secret("recovery_code")
