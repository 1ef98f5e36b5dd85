"""Which Spanner backend a run gets, how settings are read, and the Cloud guard."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.config import SettingsError, load_settings
from spanner import emulator
from spanner.emulator import BackendError, choose_backend, find_emulator_binary
from spanner.guard import DestructiveActionRefused, check_destructive_allowed


def test_external_when_emulator_host_is_set() -> None:
    settings = load_settings({}, environ={"SPANNER_EMULATOR_HOST": "localhost:9010"})
    assert choose_backend(settings.spanner) == "external"


def test_binary_when_the_emulator_is_installed() -> None:
    assert find_emulator_binary(None) is not None
    assert choose_backend(load_settings({}, environ={}).spanner) == "binary"


@pytest.mark.parametrize("name", ["binary", "external", "docker", "cloud"])
def test_explicit_backend_name_is_used(name: str) -> None:
    settings = load_settings(
        {"spanner.backend": name}, environ={"SPANNER_EMULATOR_HOST": "localhost:9010"}
    )
    assert choose_backend(settings.spanner) == name


def test_missing_emulator_binary_names_the_setting(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-emulator"
    settings = load_settings({}, environ={"SPANNER_EMULATOR_BINARY": str(missing)})
    with pytest.raises(BackendError, match="spanner.emulator_binary") as error:
        choose_backend(settings.spanner)
    assert str(missing) in str(error.value)


def test_auto_without_any_emulator_explains_the_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emulator, "find_emulator_binary", lambda explicit: None)
    monkeypatch.setattr(emulator, "docker_engine_answers", lambda: False)
    with pytest.raises(BackendError) as error:
        choose_backend(load_settings({}, environ={}).spanner)
    message = str(error.value)
    for way in ("apt-get install", "SPANNER_EMULATOR_BINARY", "SPANNER_EMULATOR_HOST", "Docker"):
        assert way in message
    assert "spanner.backend=cloud" in message


def test_unknown_userdata_key_is_named() -> None:
    with pytest.raises(SettingsError, match="unknown setting spanner.colour"):
        load_settings({"spanner.colour": "blue"}, environ={})


def test_foreign_formatter_keys_are_ignored() -> None:
    settings = load_settings({"AllureFormatter.issue_pattern": "x"}, environ={})
    assert settings.spanner_backend == "auto"


@pytest.mark.parametrize(
    ("userdata", "environ", "fragments"),
    [
        ({"headed": "maybe"}, {}, ["headed", "-D headed", "'maybe'", "true or false"]),
        ({}, {"TRACING": "sometimes"}, ["tracing", "environment variable TRACING", "sometimes"]),
        ({"db.poll_timeout": "-1"}, {}, ["db.poll_timeout", "-D db.poll_timeout", "negative"]),
    ],
)
def test_malformed_value_names_key_and_source(
    userdata: dict[str, str], environ: dict[str, str], fragments: list[str]
) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(userdata, environ=environ)
    for fragment in fragments:
        assert fragment in str(error.value)


def test_environment_overrides_userdata() -> None:
    settings = load_settings(
        {"headed": "false", "spanner.instance": "from-userdata"},
        environ={"HEADED": "true", "SPANNER_INSTANCE": "from-env"},
    )
    assert settings.headed is True
    assert settings.spanner_instance == "from-env"
    assert settings.sources["headed"] == "environment variable HEADED"


def test_guard_refuses_cloud_without_allow_destructive() -> None:
    settings = load_settings({}, environ={})
    with pytest.raises(DestructiveActionRefused, match="allow_destructive"):
        check_destructive_allowed(settings.spanner, on_emulator=False, action="seed")


def test_guard_refuses_a_database_prefix_without_test_marker() -> None:
    settings = load_settings(
        {"spanner.allow_destructive": "true", "spanner.database_prefix": "prod-"}, environ={}
    )
    with pytest.raises(DestructiveActionRefused, match="'prod-'"):
        check_destructive_allowed(settings.spanner, on_emulator=False, action="seed")


def test_guard_allows_cloud_test_databases_when_asked() -> None:
    settings = load_settings({"spanner.allow_destructive": "true"}, environ={})
    check_destructive_allowed(settings.spanner, on_emulator=False, action="seed")


def test_guard_allows_anything_on_the_emulator() -> None:
    settings = load_settings({"spanner.database_prefix": "prod-"}, environ={})
    check_destructive_allowed(settings.spanner, on_emulator=True, action="seed")
