"""benchmarks/suite.py (make bench): what it reads back from runs and how it prints them, and a
tiny real run. Figures are never checked against a time: the bench passes or fails nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# benchmarks/ is a folder of programs run from the repository, not an installed package
sys.path.insert(0, str(REPO))

from benchmarks.table import (  # noqa: E402
    Mark,
    Row,
    app_log_moments,
    combine_marks,
    feature_walls,
    first_step_start,
    format_table,
    median_row,
    parse_timing_summary,
    read_step_share,
    seconds_text,
)

SUMMARY = """\
1 feature passed, 0 failed, 0 skipped
Timing summary:
  emulator start         12.0 ms
  total                  9.00 s

Timing summary:
  interpreter and imports      8890.0 ms
  emulator start         93.5 ms
  app start: listening         4282.3 ms
  feature seeding        131.0 ms over 1 feature(s)
  scenario reset         mean 64.0 ms, worst 69.5 ms over 3 scenario(s)
  scenario               mean 1.76 s, worst 2.36 s
  total                  5.70 s
0 features passed
  indented text after the block  that is no mark
"""


def test_every_mark_of_the_last_summary_is_read_whatever_its_name() -> None:
    marks = parse_timing_summary(SUMMARY)
    assert list(marks) == [
        "interpreter and imports",
        "emulator start",
        "app start: listening",
        "feature seeding",
        "scenario reset",
        "scenario",
        "total",
    ]
    assert marks["emulator start"] == Mark("emulator start", pytest.approx(0.0935))
    assert marks["feature seeding"].count == 1
    reset = marks["scenario reset"]
    assert (reset.seconds, reset.worst, reset.count) == (
        pytest.approx(0.064),
        pytest.approx(0.0695),
        3,
    )
    assert marks["scenario"].worst == pytest.approx(2.36)
    assert marks["total"].seconds == pytest.approx(5.7)


def test_an_output_without_a_summary_has_no_marks() -> None:
    assert parse_timing_summary("HOOK-ERROR in before_all: SettingsError\n") == {}


def test_marks_of_several_runs_combine_by_count() -> None:
    one = {"reset": Mark("reset", 0.010, 0.020, 1), "seeding": Mark("seeding", 0.1)}
    three = {"reset": Mark("reset", 0.030, 0.050, 3), "seeding": Mark("seeding", 0.2)}
    combined = combine_marks([one, three])
    assert combined["reset"] == Mark("reset", pytest.approx(0.025), 0.050, 4)
    assert combined["seeding"] == Mark("seeding", pytest.approx(0.3), None, 2)
    uncounted = combine_marks([{"s": Mark("s", 1.0, 2.0)}, {"s": Mark("s", 3.0, 3.5)}])
    assert uncounted["s"] == Mark("s", pytest.approx(2.0), 3.5, None)


def test_durations_read_as_a_person_reads_them() -> None:
    assert seconds_text(None) == "—"
    assert seconds_text(0.0042) == "4.2 ms"
    assert seconds_text(0.064) == "64 ms"
    assert seconds_text(12.345) == "12.35 s"


def test_a_row_of_tries_gives_the_median_and_the_range() -> None:
    row = median_row("Starts", "emulator start", [0.3, 0.1, 0.2])
    assert row.seconds == pytest.approx(0.2)
    assert row.value == "200 ms (min 100 ms, max 300 ms, 3 tries)"
    assert median_row("Starts", "x", [], "no app").value == "not measured (no app)"


def test_the_table_puts_rows_under_their_sections_in_one_column() -> None:
    table = format_table(
        [
            Row("Starts", "emulator start", "20 ms"),
            Row("Starts", "browser launch", "1.20 s"),
            Row("Machine", "cores", "2"),
        ]
    )
    assert table.splitlines() == [
        "Starts",
        "  emulator start  20 ms",
        "  browser launch  1.20 s",
        "",
        "Machine",
        "  cores           2",
    ]


def write_result(folder: Path, name: str, feature: str, start: int, steps: list[tuple[int, int]],
                 status: str = "passed") -> None:  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    result = {
        "uuid": name,
        "name": name,
        "status": status,
        "start": start,
        "stop": start + 1000,
        "labels": [{"name": "feature", "value": feature}],
        "steps": [{"name": "s", "start": a, "stop": b} for a, b in steps],
    }
    (folder / f"{name}-result.json").write_text(json.dumps(result))


def test_the_share_outside_step_bodies_comes_from_the_allure_results(tmp_path: Path) -> None:
    write_result(tmp_path / "a", "one", "Signing in", 10_000, [(10_100, 10_400), (10_400, 10_600)])
    write_result(tmp_path / "b", "two", "Billing", 20_000, [(20_200, 20_700)])
    write_result(tmp_path / "b", "three", "Billing", 30_000, [(30_000, 30_900)], "skipped")
    share = read_step_share([tmp_path / "a", tmp_path / "b"], wall=4.0)
    assert (share.scenario_count, share.scenarios, share.steps) == (2, 2.0, pytest.approx(1.0))
    assert share.outside_steps == pytest.approx(0.75)
    assert first_step_start([tmp_path / "a", tmp_path / "b"]) == 10_100
    assert feature_walls([tmp_path / "b"]) == {"Billing": 11.0}


def test_a_result_file_that_is_not_json_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken-result.json").write_text("{")
    with pytest.raises(ValueError, match="broken-result.json: not an Allure result file"):
        read_step_share([tmp_path], wall=1.0)


def test_an_apps_log_gives_when_it_ran_python_and_when_it_listened() -> None:
    log = (
        "2026-12-06 14:30:21,168 INFO uvicorn.error Started server process [32649]\n"
        "2026-12-06 14:30:21,168 INFO uvicorn.error Waiting for application startup.\n"
        "2026-12-06 14:30:21,341 INFO uvicorn.error Uvicorn running on http://127.0.0.1:1\n"
    )
    moments = app_log_moments(log)
    at = datetime(2026, 12, 6, 14, 30, 21, 168_000).timestamp()
    assert moments["process"] == pytest.approx(at)
    assert moments["listening"] - moments["process"] == pytest.approx(0.173)
    assert app_log_moments("no such lines\n") == {}


def test_a_quick_bench_prints_the_emulator_and_each_products_databases(tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.suite", "--quick", "--tries", "1",
         "--json", str(report)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for expected in (
        "Starts",
        "  emulator start",
        "  database creation: saas",
        "  database creation: academy",
        "  database creation: clinic",
        "Machine",
        "  cores",
        "  load average at start",
        "  load average at end",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, done.stdout)
    data = json.loads(report.read_text())
    names = [row["name"] for row in data["rows"]]
    assert "emulator start" in names and data["machine"]["cores"] >= 1
    assert all(row["seconds"] > 0 for row in data["rows"] if row["section"] == "Starts")
