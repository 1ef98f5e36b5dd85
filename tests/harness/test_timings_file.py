"""harness/timings_file.py: each scenario's last measured seconds from real Allure results."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.timings_file import build, main, read_timings

REPO = Path(__file__).resolve().parents[2]
RETRY_PROJECT = Path(__file__).resolve().parent / "data" / "retry_project"
FEATURE = "features/retries.feature"


@pytest.fixture
def measured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The retry project run once by plain behave: its Allure results in allure/."""
    project = tmp_path / "project"
    shutil.copytree(RETRY_PROJECT, project)
    subprocess.run(
        [sys.executable, "-m", "behave", "-f", "allure_behave.formatter:AllureFormatter",
         "-o", "allure", "-D", f"marks={tmp_path / 'marks'}"],
        cwd=project, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    monkeypatch.chdir(project)
    return project / "allure"


def set_times(folder: Path, name: str, start: int, stop: int) -> None:
    for path in folder.glob("*-result.json"):
        result = json.loads(path.read_text())
        if result["name"].strip() == name:
            result["start"], result["stop"] = start, stop
            path.write_text(json.dumps(result))


def test_every_scenario_run_gets_its_seconds_under_a_stable_key(measured: Path) -> None:
    set_times(measured, "A check that always holds", 1_000, 3_500)
    set_times(measured, "A check that never holds", 1_000, 1_250)  # failed: still measured
    out = measured.parent / "timings.json"
    line = build([measured], out, [])
    timings = read_timings(out)
    assert timings[f"{FEATURE}::A check that always holds"] == 2.5
    assert timings[f"{FEATURE}::A check that never holds"] == 0.25
    rows = [key for key in timings if "row" in key]
    assert rows == [
        f"{FEATURE}::A check of the shaky row that holds from attempt 2 on -- @1.2 ",
        f"{FEATURE}::A check of the steady row that holds from attempt 1 on -- @1.1 ",
    ]
    # the @waits scenario was skipped by behave.ini's default_tags: not measured
    assert len(timings) == 5
    assert "5 scenarios" in line and "1 scenarios unmeasured" in line


def test_a_retry_that_passed_gives_the_time_of_the_passed_attempt(measured: Path) -> None:
    name = "A check that holds from its second attempt on"
    set_times(measured, name, 1_000, 1_100)  # the first attempt failed at 0.1 s
    [first] = [p for p in measured.glob("*-result.json") if name in p.read_text()]
    retry = json.loads(first.read_text())
    retry.update(uuid="retry", status="passed", start=50_000, stop=54_000)
    (measured / "retry-result.json").write_text(json.dumps(retry))
    out = measured.parent / "timings.json"
    build([measured], out, [])
    assert read_timings(out)[f"{FEATURE}::{name}"] == 4.0


def test_a_partial_run_keeps_the_others_and_drops_the_gone(measured: Path) -> None:
    out = measured.parent / "timings.json"
    old = {
        f"{FEATURE}::A step that waits for a word that never comes": 7.0,  # not in this run
        f"{FEATURE}::A check that always holds": 99.0,  # measured again now
        "features/gone.feature::A scenario removed since": 3.0,
    }
    out.write_text(json.dumps(old))
    line = build([measured], out, [])
    timings = read_timings(out)
    assert timings[f"{FEATURE}::A step that waits for a word that never comes"] == 7.0
    assert timings[f"{FEATURE}::A check that always holds"] < 99.0
    assert "features/gone.feature::A scenario removed since" not in timings
    assert "1 kept from before, 1 dropped" in line


def test_results_of_scenarios_not_in_the_features_are_ignored(measured: Path) -> None:
    stray = {"uuid": "x", "historyId": "elsewhere", "name": "Other", "status": "passed"}
    (measured / "x-result.json").write_text(json.dumps({**stray, "start": 0, "stop": 10}))
    line = build([measured], measured.parent / "timings.json", [])
    assert "1 results of scenarios not in the features ignored" in line


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("[1, 2]", "a JSON object"),
        ('{"a.feature::x": "slow"}', "'a.feature::x' has 'slow'"),
        ('{"a.feature::x": -1}', "has -1"),
        ("{", "not a timings file"),
    ],
)
def test_a_bad_timings_file_is_named_with_its_fault(tmp_path: Path, text: str, fault: str) -> None:
    path = tmp_path / "timings.json"
    path.write_text(text)
    with pytest.raises(ValueError, match="timings.json") as error:
        read_timings(path)
    assert fault in str(error.value)


def test_the_command_needs_a_folder_and_a_file(measured: Path) -> None:
    with pytest.raises(SystemExit):
        main(["timings.json"])
    assert main([str(measured.parent / "nowhere"), "t.json"]) == 2
    assert not Path("t.json").exists()
