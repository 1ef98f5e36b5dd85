"""spanner.fault_injection: the flag reaches emulator_main, the backends that cannot take it are
refused by name, a feature's own fault-injected emulator, the probe, and the retries counted."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from harness_testkit import INSTANCE, unique_database_id

from harness.config import SettingsError, load_settings
from harness.fault_injection import FAULT_TAG, refusal, settings_with_faults
from harness.retried_aborts import retried_aborts
from spanner.databases import connect, create_database, ensure_instance
from spanner.emulator import (
    COMPOSE_FAULT_INJECTION_VARIABLE,
    COMPOSE_FILE,
    COMPOSE_SERVICE,
    FAULT_INJECTION_FLAG,
    Backend,
    BackendError,
    compose_environment,
    emulator_command,
    find_emulator_binary,
    open_backend,
    start_binary,
)
from spanner.fault_injection import commits_until_injected_abort
from spanner.schema import Statement
from spanner.settings import SpannerSettings

PROBE_TABLE = Statement("CREATE TABLE Probe (K STRING(36)) PRIMARY KEY (K)", Path("probe.sql"), 1)


def _cmdline(backend: Backend) -> list[str]:
    assert backend._child is not None
    raw = Path(f"/proc/{backend._child.pid}/cmdline").read_bytes()
    return [part.decode() for part in raw.split(b"\0") if part]


def _probe_database(backend: Backend):
    client = connect("fault-tests", backend.emulator_host)
    instance = ensure_instance(client, INSTANCE, emulator=True)
    return create_database(instance, unique_database_id(), [PROBE_TABLE])


# --- the setting


def test_setting_is_off_by_default_and_reaches_the_spanner_settings() -> None:
    assert load_settings({}, environ={}).spanner.fault_injection is False
    assert load_settings({"spanner.fault_injection": "true"}, environ={}).spanner.fault_injection


def test_environment_variable_turns_faults_on() -> None:
    settings = load_settings({}, environ={"SPANNER_FAULT_INJECTION": "yes"})
    assert settings.spanner.fault_injection is True


def test_malformed_setting_is_named() -> None:
    with pytest.raises(SettingsError, match=r"spanner\.fault_injection from -D .*'sometimes'"):
        load_settings({"spanner.fault_injection": "sometimes"}, environ={})


# --- the emulator's command line


def test_flag_is_on_the_command_line_only_when_asked() -> None:
    binary = Path("/opt/emulator_main")
    assert FAULT_INJECTION_FLAG in emulator_command(binary, 9999, fault_injection=True)
    assert FAULT_INJECTION_FLAG not in emulator_command(binary, 9999)
    assert emulator_command(binary, 9999)[:3] == [str(binary), "--host_port", "127.0.0.1:9999"]


def test_started_emulator_runs_with_the_flag_and_aborts_commits(tmp_path: Path) -> None:
    binary = find_emulator_binary(None)
    if binary is None:
        pytest.skip("no Cloud Spanner emulator (emulator_main) installed")
    backend = start_binary(binary, tmp_path, fault_injection=True)
    try:
        assert backend.fault_injection
        assert FAULT_INJECTION_FLAG in _cmdline(backend)
        assert commits_until_injected_abort(_probe_database(backend)) is not None
    finally:
        backend.stop()


def test_open_backend_passes_the_setting_to_the_binary(tmp_path: Path) -> None:
    if find_emulator_binary(None) is None:
        pytest.skip("no Cloud Spanner emulator (emulator_main) installed")
    settings = SpannerSettings(backend="binary", fault_injection=True, log_dir=tmp_path)
    backend = open_backend(settings)
    try:
        assert FAULT_INJECTION_FLAG in _cmdline(backend)
    finally:
        backend.stop()


def test_emulator_without_the_flag_aborts_none_of_its_own_accord(emulator: Backend) -> None:
    assert FAULT_INJECTION_FLAG not in _cmdline(emulator)
    assert commits_until_injected_abort(_probe_database(emulator), limit=100) is None


@pytest.mark.parametrize(
    ("backend", "host", "why"),
    [
        ("external", "localhost:9010", "an emulator someone else started"),
        ("cloud", None, "Cloud Spanner"),
    ],
)
def test_backends_the_suite_does_not_start_are_refused_by_name(
    backend: str, host: str | None, why: str, tmp_path: Path
) -> None:
    settings = SpannerSettings(
        backend=backend, emulator_host=host, fault_injection=True, log_dir=tmp_path
    )
    with pytest.raises(BackendError) as refused:
        open_backend(settings)
    assert "spanner.fault_injection=true" in str(refused.value)
    assert why in str(refused.value)


def test_docker_compose_passes_the_flag_from_the_environment() -> None:
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    command = compose["services"][COMPOSE_SERVICE]["command"]
    expected = f"{FAULT_INJECTION_FLAG}=${{{COMPOSE_FAULT_INJECTION_VARIABLE}:-false}}"
    assert expected in command
    assert compose_environment(True)[COMPOSE_FAULT_INJECTION_VARIABLE] == "true"
    assert compose_environment(False)[COMPOSE_FAULT_INJECTION_VARIABLE] == "false"


# --- a feature's own emulator with faults (@spanner.fault_injection)

PRODUCT = SimpleNamespace(base_url_setting="shop.base_url", title="the Shop")


@pytest.mark.parametrize(
    ("backend", "says"),
    [
        ("external", "spanner.backend=binary"),
        ("docker", "-D spanner.fault_injection=true"),
        ("cloud", "Cloud Spanner"),
    ],
)
def test_feature_with_the_tag_is_refused_where_no_emulator_can_be_started(
    backend: str, says: str
) -> None:
    why = refusal("features/x.feature", backend, PRODUCT, None)
    assert why is not None
    assert f"features/x.feature is tagged @{FAULT_TAG}" in why
    assert says in why


def test_feature_with_the_tag_is_refused_under_a_deployed_app() -> None:
    why = refusal("features/x.feature", "binary", PRODUCT, "https://shop.example.com")
    assert why is not None and "shop.base_url" in why


def test_feature_with_the_tag_gets_an_emulator_program_with_faults_logging_apart() -> None:
    assert refusal("features/x.feature", "binary", PRODUCT, None) is None
    settings = load_settings({"spanner.backend": "auto"}, environ={})
    faulty = settings_with_faults(settings)
    assert faulty.spanner.backend == "binary" and faulty.spanner.fault_injection
    assert faulty.log_dir == settings.log_dir / "fault-injection"


# --- the retries an app logged

LOG = """\
2026-12-06 07:38:57,165 INFO app.platform.db spanner write record_usage.<locals>.work aborted \
(FailedPrecondition, attempt 1 of 20); retrying in 0.031s: 400 Invalid transaction ID. Transaction \
ID must be >= 154
2026-12-06 07:38:57,166 INFO uvicorn.access "POST /api/v1/tenants/t/usage HTTP/1.1" 201
2026-12-06 07:38:58,001 INFO app.platform.db spanner write record_usage.<locals>.work aborted \
(Aborted, attempt 3 of 20); retrying in 0.2s: 409 Transaction: 19 was aborted in the emulator to \
mimic production behavior that can ABORT transactions
2026-12-06 07:38:58,101 INFO app.platform.db spanner write sign_up.<locals>.work aborted \
(NotFound, attempt 1 of 20); retrying in 0.02s: 404 Transaction not found: 3
"""


def test_retries_are_counted_by_kind_and_work_and_injected_ones_told_apart() -> None:
    retried = retried_aborts(LOG)
    assert retried.total == 3
    assert retried.by_kind == {"FailedPrecondition": 1, "Aborted": 1, "NotFound": 1}
    assert retried.by_work == {"record_usage.<locals>.work": 2, "sign_up.<locals>.work": 1}
    assert retried.injected == 1
    assert retried.most_attempts == 4
    assert "3 aborted writes retried" in str(retried) and "1 of them aborted by fault" in str(
        retried
    )


def test_a_log_without_retries_says_so() -> None:
    retried = retried_aborts("2026-12-06 INFO uvicorn.access GET /healthz 200\n")
    assert retried.total == 0 and str(retried) == "no aborted write retried"
