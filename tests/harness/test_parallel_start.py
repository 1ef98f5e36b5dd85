"""The run's start, side by side (harness/startup.py): the emulator, the first product's
databases and app in a thread while the browser launches. A failure on one side still stops
everything both sides started, and the run names its cause."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from base.proc import command_line, descendants, is_running

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
                seen.setdefault(pid, command_line(pid))
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
