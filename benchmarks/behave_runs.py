"""behave runs as a person starts them, timed from outside: wall time, the run's own timing
summary (base/timing.py) and its Allure results."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.table import Mark, parse_timing_summary
from harness.run_suite import behave_command

FEATURE_SECONDS = 1200.0  # one feature's run; the longest takes about two minutes
SUITE_SECONDS = 3600.0  # the whole suite through harness.run_suite


@dataclass(frozen=True)
class BehaveRun:
    what: str
    wall: float  # process start to exit, seconds
    started_at: float  # time.time() when the process was started (Allure's clock)
    code: int
    marks: dict[str, Mark]
    results: Path
    output: str

    def failure(self) -> str | None:
        if self.code == 0:
            return None
        lines = self.output.splitlines()
        errors = [line for line in lines if "ERROR" in line or "Error" in line][:3]
        return f"{self.what}: exited with {self.code}: " + "\n  ".join(errors or lines[-10:])


def artifacts_of(results: Path) -> Path:
    return results.parent / f"{results.name}-artifacts"


def userdata_args(userdata: Mapping[str, str]) -> list[str]:
    return [arg for key, value in userdata.items() for arg in ("-D", f"{key}={value}")]


def run_behave(
    paths: Sequence[str], results: Path, userdata: Mapping[str, str] | None = None
) -> BehaveRun:
    """behave on `paths` (features or file:line), its Allure results in `results` (emptied), its
    traces, screenshots and logs beside them (not in the reports/ of a person's own runs)."""
    userdata = {"output": str(artifacts_of(results)), **(userdata or {})}
    results.mkdir(parents=True, exist_ok=True)
    for old in results.iterdir():
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="bench-") as temp:
        command = behave_command(
            results, Path(temp) / "rerun.txt", [*userdata_args(userdata), *paths]
        )
        started_at, started = time.time(), time.perf_counter()
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=FEATURE_SECONDS,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise RuntimeError(
                f"behave {' '.join(paths)} did not finish within {FEATURE_SECONDS:g} s"
            ) from error
        wall = time.perf_counter() - started
    output = done.stdout + done.stderr
    return BehaveRun(
        " ".join(paths), wall, started_at, done.returncode, parse_timing_summary(output), results,
        output,
    )  # fmt: skip


def run_suite_supports_workers() -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "harness.run_suite", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return "--workers" in done.stdout


def run_whole_suite(workers: int, results: Path, features: Sequence[str]) -> BehaveRun:
    """harness.run_suite with `workers` processes over `features`; its own log apart."""
    log = results.parent / f"{results.name}.log"
    command = [
        sys.executable, "-m", "harness.run_suite", "--workers", str(workers),
        "--results", str(results), "--log", str(log),
        "--", "-D", f"output={artifacts_of(results)}", *features,
    ]  # fmt: skip
    started_at, started = time.time(), time.perf_counter()
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=SUITE_SECONDS,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(
            f"the suite on {workers} workers ran over {SUITE_SECONDS:g} s"
        ) from error
    wall = time.perf_counter() - started
    output = done.stdout + done.stderr
    return BehaveRun(
        f"suite on {workers} worker(s)", wall, started_at, done.returncode,
        parse_timing_summary(output), results, output,
    )  # fmt: skip
