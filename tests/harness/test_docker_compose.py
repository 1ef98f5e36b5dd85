"""docker-compose.yml is a valid Compose file (where a Compose client is available)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from spanner.emulator import COMPOSE_FILE, COMPOSE_SERVICE


def compose_client() -> list[str]:
    if shutil.which("docker") is None:
        pytest.skip("no docker client on PATH, cannot validate docker-compose.yml")
    version = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
    if version.returncode != 0:
        pytest.skip("`docker compose version` fails: the Compose plugin is not installed")
    return ["docker", "compose"]


def test_compose_file_is_valid() -> None:
    command = compose_client()
    assert COMPOSE_FILE.is_file(), f"{COMPOSE_FILE} is missing"
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_compose_file_has_the_emulator_service_on_port_9010() -> None:
    command = compose_client()
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "config", "--services"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert COMPOSE_SERVICE in result.stdout.split()
