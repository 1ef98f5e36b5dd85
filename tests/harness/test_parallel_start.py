"""The run's start, side by side (harness/startup.py): the emulator, the first product's
databases and app in a thread while the browser launches. A failure on one side still stops
everything both sides started, and the run names its cause."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from base.proc import command_line, descendants, is_running
from harness.app_server import AppLaunch, AppStartError, prestart_app, start_app

REPO = Path(__file__).resolve().parents[2]
BEHAVE = Path(sys.executable).with_name("behave")
FEATURE = "features/saas_smoke.feature"
RUN_TIMEOUT = 120


def run_watching_processes(tmp_path: Path, env: dict[str, str]) -> tuple[str, int, dict[int, str]]:
    """Run the suite on FEATURE; its output, exit code, and every process seen below it."""
    run = subprocess.Popen(
        # Allure's results to tmp_path: this -f/-o pair before any other -f (test_faults.py)
        [
            str(BEHAVE),
            FEATURE,
            "-f",
            "allure_behave.formatter:AllureFormatter",
            "-o",
            str(tmp_path / "allure"),
            "-f",
            "plain",
            "--no-capture",
        ],
        cwd=REPO,
        env={**os.environ, "TEST_OUTPUT": str(tmp_path / "out"), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: dict[int, str] = {}
    try:
        while True:
            for pid in descendants(run.pid):
                # the latest: a process seen between its fork and its exec shows its parent's
                seen[pid] = command_line(pid) or seen.get(pid, "")
            try:
                run.wait(timeout=0.05)  # the pause between looks: the run ending ends it
                break
            except subprocess.TimeoutExpired:
                continue
        output = run.stdout.read()
    finally:
        run.kill()
        run.wait(timeout=RUN_TIMEOUT)
    return output, run.returncode, seen


def still_running(seen: dict[int, str]) -> list[str]:
    return [
        f"{pid} {line}"
        for pid, line in seen.items()
        if line and is_running(pid) and command_line(pid) == line
    ]


def test_an_app_that_dies_at_start_stops_the_browser_and_the_emulator(tmp_path: Path) -> None:
    # the app reads this at start, after its imports, and refuses it
    output, code, seen = run_watching_processes(
        tmp_path, {"APP_PASSWORD_HASH_CONCURRENCY": "several"}
    )
    assert code != 0
    assert "the reference app app.saas did not become healthy" in output, output
    assert "it exited with code 2" in output, output
    assert "APP_PASSWORD_HASH_CONCURRENCY must be a whole number" in output, output
    started = " ".join(seen.values())
    assert "emulator_main" in started and "--remote-debugging-pipe" in started, started
    assert not still_running(seen), f"left running: {still_running(seen)}"


def test_a_missing_emulator_program_stops_the_browser_launched_beside_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-emulator_main"
    output, code, seen = run_watching_processes(
        tmp_path, {"SPANNER_BACKEND": "binary", "SPANNER_EMULATOR_BINARY": str(missing)}
    )
    assert code != 0
    assert f"setting spanner.emulator_binary: no file at {missing}" in output, output
    assert not still_running(seen), f"left running: {still_running(seen)}"


def gate_launch(tmp_path: Path, module: str) -> AppLaunch:
    return AppLaunch(
        name=module,
        module=module,
        cwd=tmp_path,
        database_ids={"main": "main-db"},
        spanner_project="test-project",
        spanner_instance="test-instance",
        emulator_host="127.0.0.1:1",
        smtp_host="127.0.0.1",
        smtp_port=1,
        log_dir=tmp_path / "logs",
        timeout=30,
    )


def test_an_app_that_fails_to_import_while_prestarted_is_named_with_its_log(
    tmp_path: Path,
) -> None:
    (tmp_path / "broken_app").mkdir()
    (tmp_path / "broken_app" / "__init__.py").write_text("")
    (tmp_path / "broken_app" / "__main__.py").write_text(
        "raise ImportError('the broken app lacks a module it needs')\n"
    )
    launch = gate_launch(tmp_path, "broken_app")
    prestarted = prestart_app(launch.name, "broken_app", tmp_path, launch.log_dir)
    with pytest.raises(AppStartError) as refused:
        start_app(launch, prestarted=prestarted)
    message = str(refused.value)
    assert "the reference app broken_app did not become healthy" in message
    assert "it exited with code 1" in message
    assert "the broken app lacks a module it needs" in message  # the end of its log
    assert prestarted.child.poll() is not None


def test_a_prestarted_app_runs_as_python_m_would_with_the_handed_environment(
    tmp_path: Path,
) -> None:
    """The app sees the launch's environment and command line, not those its process
    started with."""
    (tmp_path / "echo_app").mkdir()
    (tmp_path / "echo_app" / "__init__.py").write_text("")
    (tmp_path / "echo_app" / "__main__.py").write_text(
        "import os, sys\n"
        "print('argv', sys.argv[1:], 'db', os.environ.get('APP_DATABASE_MAIN'),\n"
        "      'harness-only', os.environ.get('ONLY_IN_THE_HARNESS'), flush=True)\n"
        "sys.exit(3)\n"
    )
    launch = gate_launch(tmp_path, "echo_app")
    os.environ["ONLY_IN_THE_HARNESS"] = "yes"
    try:
        prestarted = prestart_app(launch.name, "echo_app", tmp_path, launch.log_dir)
    finally:
        del os.environ["ONLY_IN_THE_HARNESS"]
    with pytest.raises(AppStartError) as refused:
        start_app(launch, prestarted=prestarted)
    message = str(refused.value)
    assert "it exited with code 3" in message
    assert "argv ['--host', '127.0.0.1', '--port'," in message
    # the process started with ONLY_IN_THE_HARNESS; the app runs in the launch's environment
    assert "db main-db harness-only None" in message
