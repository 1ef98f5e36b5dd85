"""Where a run's time goes on this machine: a table of figures, never a pass or a fail.

    .venv/bin/python -m benchmarks.suite [--quick] [--features F ...] [--suite] [--workers N]
                                         [--tries 3] [--json reports/bench.json]   (make bench)

Printed, each a median of --tries where it is cheap to repeat: the emulator's start; each
product's database creation; each app's start and its parts (spawn + imports, then serving to
its first health answer); the browser's launch; cold start to the first step (behave on one
scenario: from the process's start to the first step's start in the Allure results, and the
run's own "cold start" mark); per-scenario overhead, every mark the runs' timing summaries print
(base/timing.py), combined over the features run; restores at 10, 1,000 and 10,000 rows
(benchmarks/restore.py); each feature's wall time; the share of wall time outside step bodies
(the Allure results' step durations against the behave processes' wall time); the cost of each
tracing mode (one feature under -D tracing=…); with --suite, the whole suite on 1 worker and on
N (harness.run_suite --workers) and the speed-up. The machine's cores and load average come
first and last: figures taken under load say so.

--quick measures the emulator's start and the databases' creation only. The figures go to
--json (reports/bench.json); the Allure results of the features run (or of the 1-worker suite)
refresh the timings file (timings.json, harness/timings_file.py) that harness.run_suite's shards
are balanced by.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks import starts
from benchmarks.behave_runs import (
    BehaveRun,
    run_behave,
    run_suite_supports_workers,
    run_whole_suite,
)
from benchmarks.table import (
    Row,
    StepShare,
    combine_marks,
    feature_walls,
    first_step_start,
    format_table,
    load_average,
    mark_row,
    median_row,
    read_step_share,
    seconds_text,
    write_report,
)
from harness import timings_file
from harness.config import load_settings
from harness.products import Registry
from harness.scenario_selection import behave_configuration, selected_scenarios
from products import PRODUCTS
from spanner.service import SpannerService

DEFAULT_FEATURES = (
    "features/saas_smoke.feature",
    "features/academy_smoke.feature",
    "features/clinic_smoke.feature",
    "features/tenant_lifecycle.feature",
)
COLD_FEATURE = "features/saas_smoke.feature"
TRACING_FEATURE = "features/tenant_lifecycle.feature"
TRACING_MODES = ("on", "off", "retain-on-failure", "on-first-retry")
RESTORE_ROWS = (10, 1_000, 10_000)


class Bench:
    """The rows so far, printed as each section ends (a long bench shows progress)."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.failures: list[str] = []

    def add(self, rows: Sequence[Row]) -> None:
        self.rows.extend(rows)
        print(format_table(rows), flush=True)
        print(flush=True)

    def behave(self, run: BehaveRun) -> BehaveRun:
        failure = run.failure()
        if failure:
            self.failures.append(failure)
        return run


def quick_rows(settings, tries: int) -> list[Row]:
    rows = [median_row("Starts", "emulator start", starts.emulator_starts(settings, tries))]
    service = SpannerService(settings.spanner).start()
    try:
        for product in PRODUCTS:
            seconds = starts.database_creations(service, product, tries)
            names = ", ".join(product.databases)
            rows.append(median_row("Starts", f"database creation: {product.name}", seconds, names))
    finally:
        service.stop()
    return rows


def app_and_browser_rows(settings, tries: int) -> list[Row]:
    service = SpannerService(settings.spanner).start()
    try:
        rows = starts.app_rows(service, PRODUCTS, settings, tries)
    finally:
        service.stop()
    rows.append(median_row("Starts", "browser launch", starts.browser_launches(settings, tries)))
    return rows


def cold_start_rows(bench: Bench, work: Path, feature: str, tries: int) -> list[Row]:
    """behave on the feature's first scenario, `tries` times."""
    first = selected_scenarios(behave_configuration([feature]))[0]
    to_first_step: list[float] = []
    runs = []
    for number in range(tries):
        run = bench.behave(run_behave([first.location], work / f"cold-{number}"))
        runs.append(run.marks)
        step = first_step_start([run.results])
        if step is not None:
            to_first_step.append(step / 1000 - run.started_at)
    section = f"Cold start (behave {first.location})"
    rows = [median_row(section, "process start to first step", to_first_step)]
    names = dict.fromkeys(n for marks in runs for n, m in marks.items() if m.worst is None)
    for name in names:  # every total the runs' summaries print, in their order
        samples = [marks[name].seconds for marks in runs if name in marks]
        rows.append(median_row(section, f"in the run: {name}", samples))
    return rows


def feature_rows(bench: Bench, work: Path, features: Sequence[str]) -> tuple[list[Row], list[Path]]:
    walls: list[Row] = []
    runs: list[BehaveRun] = []
    for number, feature in enumerate(features):
        run = bench.behave(run_behave([feature], work / f"feature-{number}"))
        runs.append(run)
        note = "" if run.code == 0 else f"; behave exited with {run.code}"
        walls.append(Row("Each feature's wall time (behave alone)", feature,
                         seconds_text(run.wall) + note, run.wall))  # fmt: skip
    # the marks with a mean and a worst are per scenario; the totals are the cold start's
    marks = combine_marks(
        {name: mark for name, mark in run.marks.items() if mark.worst is not None} for run in runs
    )
    section = f"Per-scenario overhead (the runs' timing summaries, {len(runs)} feature run(s))"
    overhead = [mark_row(section, mark) for mark in marks.values()]
    share = read_step_share([run.results for run in runs], sum(run.wall for run in runs))
    return [*overhead, *walls, *share_rows(share)], [run.results for run in runs]


def share_rows(share: StepShare) -> list[Row]:
    section = "Wall time outside step bodies (Allure results)"
    outside = share.wall - share.steps
    per = (share.scenarios - share.steps) / share.scenario_count if share.scenario_count else None
    return [
        Row(section, "wall time of the behave runs", seconds_text(share.wall), share.wall),
        Row(
            section,
            "in scenarios",
            seconds_text(share.scenarios),
            share.scenarios,
            {"count": share.scenario_count},
        ),  # fmt: skip
        Row(section, "in step bodies", seconds_text(share.steps), share.steps),
        Row(
            section,
            "outside step bodies",
            f"{seconds_text(outside)} = {share.outside_steps:.1%} of wall time",
            outside,
            {"share": share.outside_steps},
        ),  # fmt: skip
        Row(section, "in a scenario, outside its steps (mean)", seconds_text(per), per),
    ]


def restore_rows(tries: int) -> list[Row]:
    section = "Restore after a typical scenario's change (benchmarks/restore.py, SaaS databases)"
    try:
        from benchmarks import restore  # helper R's; absent until it lands
    except ImportError:
        return [Row(section, "restore", "not measured: benchmarks/restore.py is not there yet")]
    return [
        Row(section, f"{rows:,} rows", seconds_text(seconds), seconds, {"tries": tries})
        for rows in RESTORE_ROWS
        for seconds in [restore.restore_seconds(rows, tries)]
    ]


def tracing_rows(bench: Bench, work: Path, feature: str) -> list[Row]:
    section = f"Tracing modes (behave {feature} -D tracing=…)"
    walls: dict[str, float] = {}
    codes: dict[str, int] = {}
    for mode in TRACING_MODES:
        run = bench.behave(run_behave([feature], work / f"tracing-{mode}", {"tracing": mode}))
        walls[mode] = run.wall
        codes[mode] = run.code
    rows = []
    for mode, wall in walls.items():
        cost = wall - walls["off"]
        text = f"{seconds_text(wall)} ({cost:+.2f} s against off)"
        if codes[mode] != 0 or codes["off"] != 0:
            text = f"not compared: behave exited with {codes[mode]} ({mode}), {codes['off']} (off)"
        rows.append(Row(section, mode, text, wall, {"against_off": cost, "exit": codes[mode]}))
    return rows


def suite_rows(
    bench: Bench, work: Path, features: Sequence[str], workers: int
) -> tuple[list[Row], Path | None]:
    section = "Whole suite (harness.run_suite)"
    if not run_suite_supports_workers():
        return [
            Row(section, "workers", "not measured: harness.run_suite has no --workers yet")
        ], None
    one = bench.behave(run_whole_suite(1, work / "suite-1", features))
    many = bench.behave(run_whole_suite(workers, work / f"suite-{workers}", features))
    rows = [
        Row(section, "1 worker", seconds_text(one.wall), one.wall),
        Row(section, f"{workers} workers", seconds_text(many.wall), many.wall),
        Row(section, "speed-up", f"{one.wall / many.wall:.2f}×", one.wall / many.wall),
    ]
    share = read_step_share([one.results], one.wall)
    rows.extend(Row(section, f"1 worker: {r.name}", r.value, r.seconds, r.details)
                for r in share_rows(share))  # fmt: skip
    walls = feature_walls([one.results])
    rows.extend(Row("Each feature's wall time (in the 1-worker suite)", name, seconds_text(s), s)
                for name, s in walls.items())  # fmt: skip
    return rows, one.results


def refresh_timings(folders: list[Path], out: Path) -> str:
    try:
        return timings_file.build(folders, out, [])
    except ValueError as error:
        return f"timings: {error}"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.suite",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="emulator start and databases only")
    parser.add_argument("--features", nargs="+", metavar="F",
                        help="the features timed one by one and run by --suite (default: the "
                             "smoke ones and one more, and behave.ini's paths for --suite); "
                             "'all' for behave.ini's")  # fmt: skip
    parser.add_argument("--suite", action="store_true", help="the whole suite on 1 and N workers")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, metavar="N")
    parser.add_argument("--tries", type=int, default=3, metavar="N")
    parser.add_argument("--cold-feature", default=COLD_FEATURE, metavar="F")
    parser.add_argument("--tracing-feature", default=TRACING_FEATURE, metavar="F")
    parser.add_argument("--json", type=Path, default=Path("reports/bench.json"), metavar="FILE")
    parser.add_argument("--timings", type=Path, default=Path("timings.json"), metavar="FILE",
                        help="the timings file refreshed from the runs' results")  # fmt: skip
    args = parser.parse_args(argv)
    if args.tries < 1 or args.workers < 1:
        parser.error("--tries and --workers: 1 or more")
    if args.features == ["all"]:
        args.features = sorted({s.filename for s in selected_scenarios(behave_configuration([]))})
    args.suite_paths = list(args.features or [])
    args.features = args.features or list(DEFAULT_FEATURES)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    Registry.of(PRODUCTS)  # every product declared well, before anything starts
    bench = Bench()
    started = time.perf_counter()
    machine = {"cores": os.cpu_count() or 0, "load_at_start": load_average()}
    print(f"benchmarks.suite: {machine['cores']} cores, load average {machine['load_at_start']}")
    print(flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as temp:
        work = Path(temp)
        settings = load_settings({"output": str(work / "artifacts")})
        bench.add(quick_rows(settings, args.tries))
        if not args.quick:
            bench.add(app_and_browser_rows(settings, args.tries))
            bench.add(cold_start_rows(bench, work, args.cold_feature, args.tries))
            rows, folders = feature_rows(bench, work, args.features)
            bench.add(rows)
            bench.add(restore_rows(args.tries))
            bench.add(tracing_rows(bench, work, args.tracing_feature))
            if args.suite:
                rows, suite_results = suite_rows(bench, work, args.suite_paths, args.workers)
                bench.add(rows)
                folders = [suite_results] if suite_results else folders
            print(refresh_timings(folders, args.timings), flush=True)
    machine["load_at_end"] = load_average()
    bench.add([
        Row("Machine", "cores", str(machine["cores"])),
        Row("Machine", "load average at start (1, 5, 15 min)", str(machine["load_at_start"])),
        Row("Machine", "load average at end (1, 5, 15 min)", str(machine["load_at_end"])),
        Row("Machine", "the bench's wall time", seconds_text(time.perf_counter() - started)),
    ])  # fmt: skip
    write_report(args.json, bench.rows, machine)
    print(f"benchmarks.suite: figures in {args.json}")
    for failure in bench.failures:
        print(f"note: {failure}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
