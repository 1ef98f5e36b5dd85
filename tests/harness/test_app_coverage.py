"""SUITE_APP_COVERAGE (harness/app_coverage.py, harness/app_gate.py): a run of a real feature
whose reference app records which scenario ran which of its lines, as mutation/run.py's
baseline does; and no app is sent the signal when nothing is measured."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from coverage import CoverageData

from harness.app_coverage import BETWEEN, scenario_starts
from harness.app_server import RunningApp

REPO = Path(__file__).resolve().parents[2]
BEHAVE = Path(sys.executable).with_name("behave")
FEATURE = "features/usage_reporting.feature"
# a feature with an app of its own (on its own emulator, @spanner.fault_injection)
SECOND_APP = "features/many_writers_at_once.feature"


def test_each_scenario_has_the_lines_its_requests_ran(tmp_path: Path) -> None:
    measured = tmp_path / "coverage"
    measured.mkdir()
    done = subprocess.run(
        [str(BEHAVE), f"{FEATURE}:89", f"{FEATURE}:96", f"{SECOND_APP}:15", "-f", "plain",
         "--no-capture", "-o", str(tmp_path / "plain.txt"), "-D", f"output={tmp_path / 'out'}"],
        cwd=REPO,
        env={**os.environ, "SUITE_APP_COVERAGE": str(measured)},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    # a file per app process: the product's app, and the app of the feature with its own
    data_files = sorted(measured.glob("*.coverage.*"))
    assert len(data_files) >= 2, data_files
    assert all(data_file.name.startswith("app.saas.coverage.") for data_file in data_files)
    datas = [CoverageData(basename=str(data_file)) for data_file in data_files]
    for data in datas:
        data.read()
        contexts = set(data.measured_contexts())
        assert "" in contexts  # each app's imports and start-up, before its first scenario
    contexts = {context for data in datas for context in data.measured_contexts()}
    scenarios = sorted(c for c in contexts if ".feature:" in c)
    assert {c.rsplit(":", 1)[0] for c in scenarios} == {FEATURE, SECOND_APP}, contexts
    assert len(scenarios) >= 3, contexts
    assert BETWEEN in contexts  # after each scenario, its lines written
    reached: set[str] = set()
    only_in_scenarios = []
    for data in datas:
        for measured_file in data.measured_files():
            assert measured_file.startswith(str(REPO / "app")), measured_file  # the app's own
            for line, line_contexts in data.contexts_by_lineno(measured_file).items():
                reached.update(line_contexts)
                if "" not in line_contexts and BETWEEN not in line_contexts:
                    only_in_scenarios.append((measured_file, line))
    assert set(scenarios) <= reached, "each scenario's requests ran lines of the app"
    assert only_in_scenarios, "no line of the app ran in a scenario only"


def test_without_the_setting_no_app_is_signalled(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SUITE_APP_COVERAGE", raising=False)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        app = RunningApp("http://127.0.0.1:1", _child=child, measured=True)
        scenario_starts("features/x.feature", 3, [app])
        assert child.poll() is None
        monkeypatch.setenv("SUITE_APP_COVERAGE", str(tmp_path))
        unmeasured = RunningApp("http://127.0.0.1:1", _child=child, measured=False)
        scenario_starts("features/x.feature", 3, [unmeasured])
        assert child.poll() is None, "an app not under coverage is never sent SIGUSR1"
        scenario_starts("features/x.feature", 3, [app])
        assert child.wait(timeout=10) == -signal.SIGUSR1  # the measured one is
        assert (tmp_path / "context").read_text() == "features/x.feature:3"
    finally:
        child.kill()
        child.wait()
