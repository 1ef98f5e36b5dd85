"""A scenario's browser context is kept for the next scenario (harness/context_reuse.py): a
scenario that leaves state behind (cookies, storage of every kind, a service worker, a popup,
routes, offline mode, permissions, a location, extra headers, a password in an address,
listeners) and a next one that must see none of it, run by behave on a small project of their
own (data/browser_isolation/), with the suite's own scenario browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import tracing

REPO = Path(__file__).resolve().parents[2]
BEHAVE = Path(sys.executable).with_name("behave")
PROJECT = Path(__file__).resolve().parent / "data" / "browser_isolation"
# what a kept context cannot undo: a scenario's context must not be given any of it
CANNOT_BE_UNDONE = re.compile(r"\.add_init_script\(|\.clock\.|http_credentials")


def run_isolation_feature(folder: Path, *settings: str) -> dict[str, list[dict]]:
    """Runs the isolation feature in a copy of the project: each scenario's steps."""
    project = folder / "project"
    shutil.copytree(PROJECT, project)
    report = folder / "report.json"
    result = subprocess.run(
        [str(BEHAVE), "features/isolation.feature", "-f", "json", "-o", str(report),
         "-f", "plain", "--no-capture", "-D", f"output={folder / 'out'}",
         *[part for setting in settings for part in ("-D", setting)]],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    if not report.exists() or not report.read_text().strip():
        raise AssertionError(f"behave wrote no report:\n{result.stdout}\n{result.stderr}")
    [feature] = json.loads(report.read_text())
    scenarios = {e["name"]: e["steps"] for e in feature["elements"] if e["type"] == "scenario"}
    assert scenarios, result.stdout + result.stderr
    return scenarios


def failures(scenarios: dict[str, list[dict]]) -> list[str]:
    found = []
    for name, steps in scenarios.items():
        for step in steps:
            result = step.get("result", {"status": "skipped"})
            if result["status"] != "passed":
                message = result.get("error_message", "")
                message = "\n".join(message) if isinstance(message, list) else message
                found.append(f"{name}: {step['keyword']} {step['name']}: {result['status']}\n"
                             f"{message}")  # fmt: skip
    return found


def test_no_scenario_sees_what_the_last_one_left(tmp_path: Path) -> None:
    scenarios = run_isolation_feature(tmp_path)
    assert len(scenarios) == 14
    assert not failures(scenarios), "\n\n".join(failures(scenarios))


def test_a_kept_context_records_a_trace_for_each_scenario(tmp_path: Path) -> None:
    scenarios = run_isolation_feature(tmp_path, "tracing=on")
    assert not failures(scenarios), "\n\n".join(failures(scenarios))
    traces = sorted((tmp_path / "out" / "scenarios").glob("*.trace.zip"))
    assert len(traces) == len(scenarios), [trace.name for trace in traces]
    assert all(trace.stat().st_size > 0 for trace in traces)


def test_no_step_gives_a_scenario_context_what_cannot_be_undone() -> None:
    """Init scripts, the clock and HTTP credentials stay on a context for its life: a step that
    needs them opens a context of its own, closed after the scenario."""
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for folder in ("steps", "pages", "products")
        for path in sorted((REPO / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if CANNOT_BE_UNDONE.search(line)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("mode", "attempts"),
    [
        ("on", ["on", "on", "on"]),
        ("off", ["off", "off", "off"]),
        ("retain-on-failure", ["retain-on-failure"] * 3),
        ("on-first-retry", ["off", "on", "off"]),
    ],
)
def test_each_tracing_mode_on_each_attempt(mode: str, attempts: list[str]) -> None:
    assert [tracing.mode_for_attempt(mode, attempt) for attempt in range(3)] == attempts


def test_what_each_tracing_mode_records_and_keeps() -> None:
    assert [mode for mode in tracing.MODES if tracing.records(mode)] == ["on", "retain-on-failure"]
    kept = {(mode, failed) for mode in tracing.MODES for failed in (False, True)
            if tracing.keeps(mode, failed)}  # fmt: skip
    assert kept == {("on", False), ("on", True), ("retain-on-failure", True)}
