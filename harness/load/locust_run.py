"""Locust as a child process (never imported here: gevent's monkey-patching breaks gRPC and
Playwright), bounded in time, and its CSV statistics read back."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from base import processes
from base.logs import tail

AGGREGATED = "Aggregated"
# seconds Locust may take beyond --run-time: starting, stopping its virtual people, its CSV
STOP_TIMEOUT = 10
MARGIN = 60


class LocustError(RuntimeError):
    """Locust did not run, did not end in time, or left no statistics to read."""


@dataclass(frozen=True)
class LocustRow:
    """One line of Locust's <prefix>_stats.csv: a request name, or the aggregate of all."""

    type: str
    name: str
    requests: int
    failures: int
    median_ms: float | None
    p95_ms: float | None
    max_ms: float | None
    requests_per_second: float


@dataclass(frozen=True)
class LocustStats:
    rows: tuple[LocustRow, ...]

    def get(self, name: str) -> LocustRow | None:
        """The row of that request name; None when Locust made no such request."""
        return next((row for row in self.rows if row.name == name), None)

    def named(self, name: str) -> LocustRow:
        row = self.get(name)
        if row is not None:
            return row
        known = ", ".join(row.name for row in self.rows)
        raise LocustError(f"Locust's statistics have no request named {name!r} (names: {known})")

    @property
    def aggregated(self) -> LocustRow:
        return self.named(AGGREGATED)


def read_stats_csv(path: Path) -> LocustStats:
    """Read <prefix>_stats.csv; raise LocustError naming the file and the row on anything odd."""
    try:
        with path.open(newline="", encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
    except OSError as error:
        raise LocustError(f"cannot read Locust's statistics {path}: {error}") from None
    parsed = []
    for number, row in enumerate(rows, start=2):
        try:
            parsed.append(
                LocustRow(
                    type=row["Type"],
                    name=row["Name"],
                    requests=int(row["Request Count"]),
                    failures=int(row["Failure Count"]),
                    median_ms=_ms(row["Median Response Time"]),
                    p95_ms=_ms(row["95%"]),
                    max_ms=_ms(row["Max Response Time"]),
                    requests_per_second=float(row["Requests/s"]),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise LocustError(f"{path}, line {number}: not a Locust stats row ({error})") from None
    if not parsed:
        raise LocustError(f"{path}: no statistics (did Locust make any request?)")
    return LocustStats(tuple(parsed))


def _ms(text: str) -> float | None:
    return None if text.strip() in ("", "N/A") else float(text)


@dataclass(frozen=True)
class LocustPlan:
    locustfile: Path
    host: str
    virtual_users: int
    spawn_rate: float  # virtual people started per second
    run_time: int  # seconds, from the start
    output: Path  # folder for the CSV files and the log
    extra_args: Sequence[str] = ()


@dataclass(frozen=True)
class LocustRun:
    stats: LocustStats
    stats_csv: Path
    failures_csv: Path
    log: Path


def run_locust(plan: LocustPlan) -> LocustRun:
    """Run `locust --headless` to its end (bounded), then read its statistics."""
    if not plan.locustfile.is_file():
        raise LocustError(f"no locustfile at {plan.locustfile}")
    plan.output.mkdir(parents=True, exist_ok=True)
    prefix = plan.output / "locust"
    log = plan.output / "locust.log"
    command = [
        sys.executable, "-m", "locust", "--headless", "--only-summary",
        "-f", str(plan.locustfile), "--host", plan.host,
        "-u", str(plan.virtual_users), "-r", str(plan.spawn_rate),
        "--run-time", f"{plan.run_time}s", "--stop-timeout", str(STOP_TIMEOUT),
        "--csv", str(prefix), "--exit-code-on-error", "0", *plan.extra_args,
    ]  # fmt: skip
    child = processes.spawn(command, log)
    bound = plan.run_time + STOP_TIMEOUT + MARGIN
    try:
        code = child.wait(timeout=bound)
    except subprocess.TimeoutExpired:
        raise LocustError(
            f"Locust did not end within {bound} s ({plan.run_time} s of run time); "
            f"the end of its log {log}:\n{tail(log, 15)}"
        ) from None
    finally:
        processes.stop(child)
    if code != 0:
        raise LocustError(
            f"Locust exited with code {code}; the end of its log {log}:\n{tail(log, 15)}"
        )
    stats_csv = Path(f"{prefix}_stats.csv")
    return LocustRun(read_stats_csv(stats_csv), stats_csv, Path(f"{prefix}_failures.csv"), log)
