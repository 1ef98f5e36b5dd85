"""harness/run_suite.py: shards that cover the selected scenarios once, retries that stay visible,
and a Ctrl-C that leaves nothing running.

The retries run a tiny behave project of its own (data/retry_project: no browser, no Spanner);
the shards are checked on synthetic features, on the real features/, and once through behave's
--dry-run on the real suite.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from base.proc import command_line, descendants, is_running
from harness import shards
from harness.report_summary import summarize
from harness.run_suite import failed_locations, split_paths
from harness.scenario_selection import (
    SelectedScenario,
    behave_configuration,
    selected_scenarios,
)
from harness.shards import Shard, plan

REPO = Path(__file__).resolve().parents[2]
RETRY_PROJECT = Path(__file__).resolve().parent / "data" / "retry_project"
RUNNER = [sys.executable, "-m", "harness.run_suite"]


# -- synthetic features -------------------------------------------------------------------------

SYNTHETIC = {
    "big.feature": "@product.x\nFeature: Big\n"
    + "".join(f"  Scenario: big {n}\n    Given a step\n" for n in range(12)),
    "outline.feature": "Feature: Outline\n  Rule: A rule\n\n    Scenario Outline: row <n>\n"
    "      Given a step\n\n      Examples:\n        | n |\n"
    + "".join(f"        | {n} |\n" for n in range(5)),
    "small_a.feature": "Feature: Small A\n  Scenario: a 1\n    Given a step\n"
    "  @load\n  Scenario: a slow one\n    Given a step\n",
    "small_b.feature": "Feature: Small B\n  Scenario: b 1\n    Given a step\n"
    "  Scenario: b 2\n    Given a step\n",
    "slow.feature": "@load\nFeature: Slow\n  Scenario: slow 1\n    Given a step\n",
}


@pytest.fixture
def synthetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    features = tmp_path / "features"
    features.mkdir()
    for name, text in SYNTHETIC.items():
        (features / name).write_text(text)
    (tmp_path / "behave.ini").write_text("[behave]\npaths = features\ndefault_tags = not @load\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def assert_exactly_once(selected: list[SelectedScenario], count: int, timings=None) -> None:
    dealt = [s.location for shard in plan(selected, count, timings).shards for s in shard]
    assert sorted(dealt) == sorted(s.location for s in selected), f"{count} shards"
    assert len(dealt) == len(set(dealt)), f"{count} shards ran a scenario twice"


def test_the_selection_is_what_behave_ini_and_the_arguments_select(synthetic: Path) -> None:
    names = [s.key.split("::")[1] for s in selected_scenarios(behave_configuration([]))]
    assert names == [
        *(f"big {n}" for n in range(12)),
        *(f"row {n} -- @1.{n + 1} " for n in range(5)),
        "a 1",
        "b 1",
        "b 2",
    ]
    asked = selected_scenarios(behave_configuration(["--tags=@load"]))
    assert [s.key for s in asked] == [
        "features/slow.feature::slow 1",
        "features/small_a.feature::a slow one",
    ]
    # a feature file named on the command line runs whole (harness/lifecycle.py)
    named = selected_scenarios(behave_configuration(["features/slow.feature"]))
    assert [s.location for s in named] == ["features/slow.feature:3"]


def test_shards_cover_every_selected_scenario_once_and_the_same_way_each_time(
    synthetic: Path,
) -> None:
    selected = selected_scenarios(behave_configuration([]))
    timings = {s.key: 1.0 + (index % 7) for index, s in enumerate(selected)}
    for count in range(1, 8):
        assert_exactly_once(selected, count)
        assert_exactly_once(selected, count, timings)
        assert plan(selected, count, timings).shards == plan(list(selected), count, timings).shards


def test_whole_features_by_count_when_they_balance(synthetic: Path) -> None:
    selected = selected_scenarios(behave_configuration([]))  # 12 + 5 + 1 + 2 = 20 scenarios
    two = plan(selected, 2)
    assert not two.by_time
    # the 12-scenario feature is longer than a fair share of 10: split, the others whole
    assert two.split == ["features/big.feature"]
    assert two.loads == [10.0, 10.0]
    for filename in ("features/outline.feature", "features/small_b.feature"):
        holders = [
            i for i, shard in enumerate(two.shards) if any(s.filename == filename for s in shard)
        ]
        assert len(holders) == 1, f"{filename} was split: {holders}"


def test_balanced_by_timings_the_shards_take_near_equal_time(synthetic: Path) -> None:
    selected = selected_scenarios(behave_configuration([]))
    timings = {s.key: 1.0 for s in selected}
    timings["features/small_b.feature::b 1"] = 30.0  # one slow scenario
    timings.pop("features/small_a.feature::a 1")  # unmeasured: counted at the mean
    mean = (sum(timings.values())) / len(timings)
    for count in (2, 3):
        result = plan(selected, count, timings)
        assert result.by_time and result.unmeasured == 1
        fair = (sum(timings.values()) + mean) / count
        assert max(result.loads) <= fair * (1 + shards.TOLERANCE) or max(result.loads) == 30.0
        assert sum(result.loads) == pytest.approx(fair * count)
    two = plan(selected, 2, timings)
    # b 1's 30 s alone, the rest beside it; splitting more would not shorten the longest shard
    assert two.split == ["features/small_b.feature"]
    assert two.loads == pytest.approx([30.0, 12 + 5 + 1 + mean])
    assert [len(s) for s in two.shards] == [1, 19]


def test_shard_numbers_are_checked() -> None:
    assert Shard.parse("2/3") == Shard(2, 3)
    for bad in ("3/2", "0/2", "1/0", "half", "1-2"):
        with pytest.raises(ValueError, match="--shard"):
            Shard.parse(bad)


def test_the_real_features_fall_into_shards_once_each_without_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    selected = selected_scenarios(behave_configuration([]))
    assert len(selected) > 100
    assert not [s for s in selected if s.filename == "features/load.feature"]
    for count in (1, 2, 3, 4):
        assert_exactly_once(selected, count)


def test_behave_paths_are_told_apart_from_options() -> None:
    args = ["-t", "@smoke", "features/a.feature", "b.feature:3", "-D", "x=1", "--no-skipped"]
    args += ["--tags=not @load", "-n", "features", "--color", "--stop"]
    paths, options = split_paths(args)
    assert paths == ["features/a.feature", "b.feature:3"]
    assert options == ["-t", "@smoke", "-D", "x=1", "--no-skipped", "--tags=not @load"] + [
        "-n",
        "features",
        "--color",
        "--stop",
    ]


def test_failed_locations_are_grouped_by_file(tmp_path: Path) -> None:
    rerun = tmp_path / "rerun.txt"
    rerun.write_text("# -- RERUN: 3 failing scenarios\na.feature:3\nb.feature:5\na.feature:9\n\n")
    assert failed_locations(rerun) == ["a.feature:3", "a.feature:9", "b.feature:5"]
    assert failed_locations(tmp_path / "none.txt") == []


# -- the runner on the retry project ------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(RETRY_PROJECT, copy)
    return copy


def run_runner(project: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*RUNNER, *args],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def results_by_name(folder: Path) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for path in folder.glob("*-result.json"):
        result = json.loads(path.read_text())
        found.setdefault(result["name"].strip(), []).append(result)
    for attempts in found.values():
        attempts.sort(key=lambda r: r["stop"])
    return found


FLAKY = "A check that holds from its second attempt on"
FAILS_TWICE = "A check that never holds"
SHAKY_ROW = "A check of the shaky row that holds from attempt 2 on -- @1.2"


def test_a_scenario_that_fails_twice_fails_the_run_and_one_that_passes_on_retry_is_flaky(
    project: Path,
) -> None:
    allure = project / "allure"
    marks = project.parent / "marks"
    result = run_runner(
        project, "--retries", "1", "--results", str(allure), "--log", "behave.log",
        "--", "-D", f"marks={marks}",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "retry 1 of 1: 3 failed scenarios" in output
    assert "--no-skipped -D tracing=on features/retries.feature:7" in output
    assert (project / "behave.log").read_text().count("Feature: Retries that stay visible") == 2

    found = results_by_name(allure)
    flaky = found[FLAKY]
    assert [r["status"] for r in flaky] == ["failed", "passed"]
    assert len({r["historyId"] for r in flaky}) == 1
    assert [r["status"] for r in found[FAILS_TWICE]] == ["failed", "failed"]
    assert [r["status"] for r in found[SHAKY_ROW]] == ["failed", "passed"]
    # the scenarios not rerun keep their one result: no "skipped" second one
    assert [r["status"] for r in found["A check that always holds"]] == ["passed"]

    summary = summarize([allure])
    assert summary.counts == {"passed": 2, "flaky": 2, "failed": 1, "broken": 0, "skipped": 1}
    assert [a.name for a in summary.failing] == [FAILS_TWICE]
    assert "this is 2" in summary.failing[0].message
    assert "flaky       2" in result.stdout  # the runner's own summary


def test_a_run_whose_only_failure_passes_on_retry_passes(project: Path) -> None:
    allure = project / "allure"
    marks = project.parent / "marks"
    result = run_runner(
        project, "--retries", "1", "--results", str(allure), "--log", "behave.log",
        "--", "--tags=not @fails_twice and not @waits", "-D", f"marks={marks}",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    summary = summarize([allure])
    assert summary.counts["flaky"] == 2 and summary.counts["failed"] == 0
    assert sorted(last.name.strip() for _, last, _ in summary.flaky) == [SHAKY_ROW, FLAKY]


def test_without_retries_a_failure_fails_the_run_at_once(project: Path) -> None:
    marks = project.parent / "marks"
    result = run_runner(
        project, "--results", "allure", "--log", "behave.log",
        "--", "--tags=not @fails_twice and not @waits", "-D", f"marks={marks}",
    )  # fmt: skip
    assert result.returncode != 0
    assert "run_suite: retry" not in result.stdout
    assert summarize([project / "allure"]).counts["failed"] == 2


def test_two_shards_of_the_project_run_each_scenario_once_and_merge(project: Path) -> None:
    marks = project.parent / "marks"
    folders = []
    for index in (1, 2):
        folder = project / f"allure-{index}"
        folders.append(folder)
        result = run_runner(
            project, "--shard", f"{index}/2", "--retries", "1", "--results", str(folder),
            "--log", f"behave-{index}.log", "--", "-D", f"marks={marks}",
        )  # fmt: skip
        assert "2 shards" not in result.stderr, result.stderr
        assert f"{index}/2: " in result.stdout
    names = [set(results_by_name(folder)) for folder in folders]
    assert not names[0] & names[1]
    assert len(names[0] | names[1]) == 5  # every scenario but the @waits one, none skipped
    summary = summarize(folders)
    assert summary.counts == {"passed": 2, "flaky": 2, "failed": 1, "broken": 0, "skipped": 0}


# A shell starts background jobs with SIGINT ignored, which the runner respects (a job in the
# background is not Ctrl-C'd); this takes it back, as at a terminal (see test_faults.py).
CTRL_C_AS_AT_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def read_until(run: subprocess.Popen[bytes], marker: str, seconds: float) -> str:
    """The run's output up to `marker`, read from the pipe itself (a buffered reader could hold
    the marker while select waits on the empty pipe)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while marker.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([run.stdout], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(run.stdout.fileno(), 65536) if ready else b""
        if not chunk:
            break
        seen += chunk
    if marker.encode() not in seen:
        run.kill()
        pytest.fail(f"no {marker!r} within {seconds:g}s; output:\n{seen.decode()}")
    return seen.decode()


@pytest.mark.parametrize(
    ("signum", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["Ctrl-C", "TERM"]
)
def test_an_interrupted_run_stops_behave_and_leaves_nothing_running(
    project: Path, signum: signal.Signals, exit_code: int
) -> None:
    run = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_AS_AT_A_TERMINAL, *RUNNER, "--retries", "1",
         "--results", "allure", "--log", "behave.log",
         "--", "--tags=@waits", "-D", f"marks={project.parent / 'marks'}"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        before = read_until(run, "Scenario: A step that waits", 30)
        family = [pid for pid in descendants(run.pid) if "behave" in command_line(pid)]
        assert family, "behave is not running under the runner"
        run.send_signal(signum)
        rest = run.communicate(timeout=30)[0].decode()
    finally:
        run.kill()
    output = before + rest
    assert run.returncode == exit_code, output
    assert "ABORTED: By user" in output  # behave unwound, it was not killed
    assert "run_suite: retry" not in rest
    left = [f"{pid} {command_line(pid)}" for pid in family if is_running(pid)]
    assert not left, f"left running: {left}"


# -- the real suite, dry run --------------------------------------------------------------------


def history_ids(folder: Path) -> list[str]:
    return [json.loads(p.read_text())["historyId"] for p in folder.glob("*-result.json")]


def test_two_shards_of_the_real_suite_dry_run_every_selected_scenario_once(tmp_path: Path) -> None:
    env = {**os.environ, "TEST_OUTPUT": str(tmp_path / "out")}
    whole = tmp_path / "whole"
    plain = subprocess.run(
        [sys.executable, "-m", "behave", "--dry-run", "--no-skipped",
         "-f", "allure_behave.formatter:AllureFormatter", "-o", str(whole), "-f", "plain"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert plain.returncode == 0, plain.stdout + plain.stderr
    expected = history_ids(whole)
    assert len(expected) > 100

    ran: list[str] = []
    for index in (1, 2):
        folder = tmp_path / f"shard-{index}"
        result = subprocess.run(
            [*RUNNER, "--shard", f"{index}/2", "--timings", str(tmp_path / "none.json"),
             "--results", str(folder), "--log", str(tmp_path / f"{index}.log"),
             "--", "--dry-run", "-f", "plain"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 2 and "--timings" in result.stderr  # a missing file is named
        result = subprocess.run(
            [*RUNNER, "--shard", f"{index}/2", "--results", str(folder),
             "--log", str(tmp_path / f"{index}.log"), "--", "--dry-run", "-f", "plain"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"{index}/2: " in result.stdout
        mine = history_ids(folder)
        assert 0.3 * len(expected) < len(mine) < 0.7 * len(expected), f"shard {index}"
        ran.extend(mine)
    assert sorted(ran) == sorted(expected)
