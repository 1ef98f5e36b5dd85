"""harness/run_suite.py --workers N: every selected scenario runs once, in one of N behave processes
side by side, into one results folder; one summary, retries over the workers, a failure's
non-zero exit, and a Ctrl-C that leaves nothing running.

The runs use a copy of the retry project (data/retry_project: no browser, no Spanner) with three
more features, whose checks count their attempts in a marks folder.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_run_suite import (
    CTRL_C_AS_AT_A_TERMINAL,
    FAILS_TWICE,
    FLAKY,
    RETRY_PROJECT,
    RUNNER,
    SHAKY_ROW,
    read_until,
    results_by_name,
)

from base.proc import command_line, descendants, is_running
from harness.progress import Progress
from harness.report_summary import summarize
from harness.run_suite import drop_jobs
from harness.workers import worker_environment

REPO = Path(__file__).resolve().parents[2]
MORE = ("alpha", "beta", "gamma")


def more_feature(name: str) -> str:
    return (
        f"Feature: More {name}\n"
        f'  Scenario: {name} one\n    Then the check "{name} one" holds from attempt 1 on\n'
        f'  Scenario: {name} two\n    Then the check "{name} two" holds from attempt 1 on\n'
    )


WAITS = (
    "Feature: Waiting too\n  @waits\n  Scenario: Another step that waits\n"
    "    Then a word comes through a pipe within 120 seconds\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(RETRY_PROJECT, copy)
    for name in MORE:
        (copy / "features" / f"more_{name}.feature").write_text(more_feature(name))
    (copy / "features" / "waiting.feature").write_text(WAITS)
    return copy


def run_workers(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*RUNNER, "--workers", "2", "--results", "allure", "--log", "behave.log", *args,
         "--", "-D", f"marks={project.parent / 'marks'}"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip


def attempts(project: Path) -> dict[str, int]:
    marks = project.parent / "marks"
    return {p.stem: len(p.read_text().splitlines()) for p in marks.glob("*.attempts")}


def test_two_workers_run_every_scenario_once_into_one_folder_and_retry_what_failed(
    project: Path,
) -> None:
    result = run_workers(project, "--retries", "1")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output  # one check never holds
    assert "11 scenarios over 2 workers" in output
    log = (project / "behave.log").read_text()
    assert "w1| " in log and "w2| " in log, "both workers ran"
    # every check ran exactly once, but those that failed: once more, on the retry
    once = {f"{name} {n}": 1 for name in MORE for n in ("one", "two")}
    assert attempts(project) == {
        **once, "steady": 1, "steady row": 1, "first try": 2, "shaky row": 2, "never": 2,
    }  # fmt: skip
    found = results_by_name(project / "allure")
    assert len(found) == 11
    assert [r["status"] for r in found[FLAKY]] == ["failed", "passed"]
    assert [r["status"] for r in found[SHAKY_ROW]] == ["failed", "passed"]
    assert [r["status"] for r in found[FAILS_TWICE]] == ["failed", "failed"]
    assert all(len(runs) == 1 for name, runs in found.items() if name.startswith(MORE))
    summary = summarize([project / "allure"])
    assert summary.counts == {"passed": 8, "flaky": 2, "failed": 1, "broken": 0, "skipped": 0}
    # the progress lines, plain in a pipe, and the runner's one summary
    assert "4/4 features, 11/11 scenarios: 8 passed, 3 failed" in result.stdout
    assert "retry 1 of 1: 3 failed scenarios" in result.stdout
    assert "retry 1: 1/1 features, 3/3 scenarios: 2 passed, 1 failed" in result.stdout
    assert re.search(r"passed +8 .*\n +flaky +2 .*\n +failed +1 ", result.stdout), result.stdout
    assert result.stdout.count("scenarios: 11 in allure") == 1


def test_a_run_whose_failures_pass_on_the_retry_passes(project: Path) -> None:
    result = subprocess.run(
        [*RUNNER, "--workers", "2", "--retries", "1", "--results", "allure", "--log", "b.log",
         "--", "--tags=not @fails_twice and not @waits", "-D", f"marks={project.parent / 'm'}"],
        cwd=project, env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert summarize([project / "allure"]).counts["flaky"] == 2


def test_without_retries_a_failure_gives_a_non_zero_exit(project: Path) -> None:
    result = run_workers(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "run_suite: retry" not in result.stdout
    assert summarize([project / "allure"]).counts["failed"] == 3


def test_a_worker_that_fails_before_its_scenarios_is_named_with_its_output(
    project: Path,
) -> None:
    (project / "environment.py").write_text(
        "def before_all(context):\n    raise RuntimeError('the emulator would not start')\n"
    )
    result = run_workers(project, "--retries", "1")
    assert result.returncode != 0
    assert "ended with exit code" in result.stdout and "before any scenario ended" in result.stdout
    assert "the emulator would not start" in result.stdout
    assert "run_suite: retry" not in result.stdout  # nothing to retry: the run failed as a whole


def test_a_retry_that_passes_does_not_hide_a_feature_whose_hook_failed(project: Path) -> None:
    # the worker that runs "More beta" (its hook fails) also runs a flaky scenario of alpha
    with (project / "environment.py").open("a") as environment:
        environment.write(
            "\n\ndef before_feature(context, feature):\n"
            "    if feature.name == 'More beta':\n"
            "        raise RuntimeError('the clinic app did not start')\n"
        )
    alpha = project / "features" / "more_alpha.feature"
    alpha.write_text(alpha.read_text().replace("attempt 1 on", "attempt 2 on", 1))
    result = subprocess.run(
        [*RUNNER, "--workers", "2", "--retries", "1", "--results", "allure", "--log", "b.log",
         "--", "--tags=not @fails_twice and not @waits", "-D", f"marks={project.parent / 'm'}"],
        cwd=project, env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert "retry 1 of 1: 3 failed scenarios" in output, output  # flaky, shaky row, alpha one
    summary = summarize([project / "allure"])
    assert summary.counts["flaky"] == 3 and summary.counts["failed"] == 0, output
    assert result.returncode != 0, output  # beta's scenarios never ran
    assert "HOOK-ERROR in before_feature: RuntimeError: the clinic app did not start" in output


@pytest.mark.parametrize(
    ("signum", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["Ctrl-C", "TERM"]
)
def test_an_interrupted_run_stops_every_worker_and_leaves_nothing_running(
    project: Path, signum: signal.Signals, exit_code: int
) -> None:
    # the log goes to the runner's own output, where the test can wait for both workers' lines
    run = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_AS_AT_A_TERMINAL, *RUNNER, "--workers", "2",
         "--retries", "1", "--results", "allure", "--log", "/dev/stdout",
         "--", "--tags=@waits", "-D", f"marks={project.parent / 'marks'}"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        before = read_until(run, "Scenario: A step that waits", 30)
        if "Scenario: Another step that waits" not in before:
            before += read_until(run, "Scenario: Another step that waits", 30)
        family = [pid for pid in descendants(run.pid) if "behave" in command_line(pid)]
        assert len(family) >= 2, f"two behave workers are not running: {family}"
        run.send_signal(signum)
        rest = run.communicate(timeout=60)[0].decode()
    finally:
        run.kill()
    output = before + rest
    assert run.returncode == exit_code, output
    for worker in ("w1", "w2"):  # both unwound, neither was killed
        assert f"{worker}| ABORTED: By user" in output, output
    assert "run_suite: retry" not in rest
    left = [f"{pid} {command_line(pid)}" for pid in family if is_running(pid)]
    assert not left, f"left running: {left}"


def test_each_worker_has_its_own_databases_and_artifacts() -> None:
    first = worker_environment(1, {}, {"SPANNER_EMULATOR_HOST": "localhost:9010"})
    second = worker_environment(2, {}, {"SPANNER_EMULATOR_HOST": "localhost:9010"})
    assert first["SPANNER_DATABASE_PREFIX"] == "test-w1-"
    assert second["SPANNER_DATABASE_PREFIX"] == "test-w2-"
    assert first["TEST_OUTPUT"] != second["TEST_OUTPUT"]
    assert first["SPANNER_EMULATOR_HOST"] == "localhost:9010"  # the shared emulator, kept
    # the prefix and folder asked for are kept, with the worker's mark; the environment wins
    asked = worker_environment(2, {"spanner.database_prefix": "acc-", "output": "out"}, {})
    assert asked["SPANNER_DATABASE_PREFIX"] == "acc-w2-"
    assert asked["TEST_OUTPUT"] == str(Path("out") / "worker-2")
    env = worker_environment(
        1, {"spanner.database_prefix": "acc-"}, {"SPANNER_DATABASE_PREFIX": "e2e-"}
    )
    assert env["SPANNER_DATABASE_PREFIX"] == "e2e-w1-"
    with pytest.raises(ValueError, match="mail.smtp_port is 2525"):
        worker_environment(1, {"mail.smtp_port": "2525"}, {})
    # smoke mode reads the deployed apps' databases: their names are not changed
    smoke = worker_environment(1, {"run.mode": "smoke"}, {})
    assert "SPANNER_DATABASE_PREFIX" not in smoke


def test_behave_jobs_options_are_dropped() -> None:
    for given in (["--jobs", "4"], ["--jobs=4"], ["-j", "4"], ["-j4"], ["--parallel", "2"]):
        kept, dropped = drop_jobs(["-D", "x=1", *given, "features/a.feature"])
        assert kept == ["-D", "x=1", "features/a.feature"], given
        assert dropped == given
    assert drop_jobs(["--junit", "a.feature"]) == (["--junit", "a.feature"], [])


def test_the_progress_line_counts_features_done_only_when_every_worker_has_ended_its_part() -> None:
    written: list[str] = []
    progress = Progress({"a.feature": 2, "b.feature": 1}, 4, written.append, tty=False)
    progress.event(1, "scenario passed a.feature:3\n")
    progress.event(1, "feature a.feature\n")
    assert progress.line().startswith("0/2 features, 1/4 scenarios: 1 passed, 0 failed")
    progress.event(2, "scenario error a.feature:5\n")
    progress.event(2, "feature a.feature\n")
    progress.event(2, "scenario untested b.feature:2\n")
    assert "worker 2: error: a.feature:5\n" in written
    assert progress.line().startswith("1/2 features, 3/4 scenarios: 1 passed, 1 failed")
    # on a terminal the line is redrawn in place, and a failure's line clears it first
    terminal: list[str] = []
    live = Progress({"a.feature": 1}, 1, terminal.append, tty=True)
    live.event(1, "scenario failed a.feature:3\n")
    assert terminal[0] == "\r\x1b[Kworker 1: failed: a.feature:3\n"
    assert terminal[1].startswith("\r\x1b[K0/1 features, 1/1 scenarios: 0 passed, 1 failed")
