"""An app started by a command: its command line, and the refusals before anything starts."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from harness.app_server import AppLaunch, AppStartError, app_argv, listening_environment, start_app


def launch(tmp_path: Path, command: tuple[str, ...], port: int | None = None) -> AppLaunch:
    return AppLaunch(
        name="shelf",
        module=None,
        cwd=tmp_path,
        database_ids={"shelf": "test-shelf"},
        spanner_project="p",
        spanner_instance="i",
        emulator_host="127.0.0.1:1",
        smtp_host="127.0.0.1",
        smtp_port=1,
        log_dir=tmp_path / "logs",
        timeout=1,
        command=command,
        port=port,
    )


def test_host_and_port_are_filled_in_and_the_program_found_on_path(tmp_path: Path) -> None:
    program = tmp_path / "bin" / "shelf-server"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    argv = app_argv(
        launch(tmp_path, ("shelf-server", "--listen", "{host}:{port}")),
        4321,
        {"PATH": str(program.parent)},
    )
    assert argv == [str(program), "--listen", "127.0.0.1:4321"]
    assert listening_environment(4321) == {
        "APP_HOST": "127.0.0.1",
        "APP_PORT": "4321",
        "PORT": "4321",
    }


def test_a_relative_program_is_found_in_the_apps_folder(tmp_path: Path) -> None:
    (tmp_path / "run").write_text("#!/bin/sh\n")
    (tmp_path / "run").chmod(0o755)
    assert app_argv(launch(tmp_path, ("./run",)), 1, {"PATH": ""}) == [str(tmp_path / "./run")]


@pytest.mark.parametrize("program", ["no-such-server", "./missing"])
def test_a_program_that_is_not_there_is_named(tmp_path: Path, program: str) -> None:
    with pytest.raises(AppStartError) as raised:
        app_argv(launch(tmp_path, (program, "app.js")), 1, {"PATH": str(tmp_path)})
    assert str(raised.value) == (
        f"the app command '{program} app.js' (in {tmp_path}): cannot start it, {program!r} is "
        f"not an executable program (looked for it on PATH, or in {tmp_path} for a relative path)"
    )


def test_a_fixed_port_already_taken_is_refused(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(AppStartError, match=f"its port {port} is already taken"):
            start_app(launch(tmp_path, ("true",), port=port))
    assert not (tmp_path / "logs").exists(), "nothing may start"
