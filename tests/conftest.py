"""What every test folder shares: one real Cloud Spanner emulator per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spanner.emulator import Backend, find_emulator_binary, start_binary


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    binary = find_emulator_binary(None)
    if binary is None:
        pytest.skip("no Cloud Spanner emulator (emulator_main) installed")
    backend = start_binary(binary, tmp_path_factory.mktemp("emulator-logs"))
    yield backend
    backend.stop()
