"""`python -m harness.run_suite [options] [-- behave args...]`: the suite, sharded and retried.

A small runner over plain behave, started as a child process (`python -m behave`):

--shard I/N    run the I-th of N deterministic slices of the selected scenarios (behave.ini's
               default_tags, --tags and paths after `--` select them), balanced by the timings
               file when there is one, by count otherwise (harness/shards.py). The slice is
               handed to behave as `file:line` locations, with --no-skipped so that the
               scenarios of a split feature left to other shards are not reported as skipped.
--retries N    rerun the scenarios that failed (behave's rerun formatter lists them), up to N
               times, into the same Allure results with --no-skipped and -D tracing=on, so the
               report shows each attempt of a scenario as a retry of one test and the retry
               keeps a Playwright trace. A scenario that fails every attempt fails the run; one
               that passes on a retry is flaky: the run passes, the summary counts it apart.
--timings F    scenario key -> seconds (harness/timings_file.py); default timings.json if present.
--results DIR  the Allure results folder, emptied first unless --keep-results.
--log F        behave's output, also printed; default reports/behave.log. With --workers each
               line is marked w<N>| and the terminal shows a progress line instead.
--workers N    run the selected scenarios (the shard's, with --shard) in N behave processes at
               once, each with its own emulator or databases, apps and browser
               (harness/workers.py), each taking the next part of the scenarios as it gets free,
               longest first by the timings (harness/work_queue.py); one results folder, one
               summary, a live progress line; retries are shared out the same way.
--plan         print how the selected scenarios fall into the N shards (or, with --workers,
               the parts in the order they are taken), and run nothing.

behave's own --jobs/--parallel, given after `--`, is ignored with a note: plain behave runs one
scenario at a time, --workers is the way to run several.

Exit code: behave's for the last attempt (with --workers, the first failing worker's), 0 only
when every scenario finally passed (or was skipped); 128 + the signal after Ctrl-C, SIGTERM or
SIGHUP, on which behave (every worker) is told to stop as by a Ctrl-C (it stops its browser, apps
and emulator) and nothing is left running. docs/ci-runs.md tells the whole story.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from behave.configuration import setup_parser

from base import processes
from harness import report_summary
from harness.progress import Progress
from harness.scenario_selection import SelectedScenario, behave_configuration, selected_scenarios
from harness.shards import Plan, Shard, plan
from harness.timings_file import read_timings
from harness.work_queue import QUEUE_ENV, Part, Parts, WorkQueue, cut
from harness.workers import Job, run_jobs, worker_environment

ALLURE_FORMATTER = "allure_behave.formatter:AllureFormatter"
EVENTS_FORMATTER = "harness.progress:Events"
QUEUE_RUNNER = "harness.queue_runner:QueueRunner"
DEFAULT_TIMINGS = Path("timings.json")
# what behave may take to stop its browser, apps and emulator once told to stop
STOP_GRACE_SECONDS = 30.0
ALLURE_FILES = ("*-result.json", "*-container.json", "*-attachment.*")


_terminal = {"open": True}


def to_terminal(data: bytes) -> None:
    """Print; once the terminal is gone (`| head` ended), the run goes on, logged only."""
    if _terminal["open"]:
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except OSError:
            _terminal["open"] = False


def say(message: str, log: BinaryIO | None = None) -> None:
    line = f"run_suite: {message}\n".encode()
    to_terminal(line)
    if log is not None:
        log.write(line)
        log.flush()


# -- behave's arguments: the paths apart from the options ----------------------------------------


def _takes_value(option: str, actions: dict[str, argparse.Action]) -> str:
    """'yes', 'maybe' (nargs ?) or 'no' for an option as written (long ones may be abbreviated)."""
    if option.startswith("--"):
        name = option.split("=", 1)[0]
        if "=" in option:
            return "no"
        candidates = [name] if name in actions else [o for o in actions if o.startswith(name)]
    else:
        if len(option) > 2:  # -tfoo: the value is attached
            return "no"
        candidates = [option]
    if len(candidates) != 1 or candidates[0] not in actions:
        return "no"
    nargs = actions[candidates[0]].nargs
    return "no" if nargs == 0 else "maybe" if nargs == "?" else "yes"


def split_paths(behave_args: Sequence[str]) -> tuple[list[str], list[str]]:
    """(paths, options) of a behave command line; bad arguments end here with behave's usage."""
    parser = setup_parser()
    expected = parser.parse_args(list(behave_args)).paths
    actions = parser._option_string_actions
    paths: list[str] = []
    options: list[str] = []
    tokens = list(behave_args)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            paths.extend(tokens[index:])
            break
        if not token.startswith("-") or token == "-":
            paths.append(token)
            continue
        options.append(token)
        takes = _takes_value(token, actions)
        next_is_value = index < len(tokens) and (
            takes == "yes" or (takes == "maybe" and not tokens[index].startswith("-"))
        )
        if next_is_value:
            options.append(tokens[index])
            index += 1
    if paths != expected:
        raise ValueError(
            f"could not tell behave's paths {expected} from its options in "
            f"{shlex.join(behave_args)}: name the paths first, right after --"
        )
    return paths, options


# -- running behave ---------------------------------------------------------------------------


class Interrupted(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_interrupted(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


# what behave is told to stop with: Ctrl-C's SIGINT, which any behave unwinds on (KeyboardInterrupt)
# and which this project's turns into the same clean stop as SIGTERM; SIGTERM only when SIGINT is
# ignored here (a background job), since behave then inherits it ignored
_STOP_SIGNAL: list[int] = [signal.SIGINT]


def install_signal_handlers() -> None:
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        _STOP_SIGNAL[0] = signal.SIGTERM
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _raise_interrupted)


def _tee(source: BinaryIO, log: BinaryIO) -> None:
    for chunk in iter(lambda: source.read1(65536), b""):
        log.write(chunk)
        log.flush()
        to_terminal(chunk)


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Tell behave to stop, which unwinds and stops its services; then make sure."""
    try:
        os.kill(child.pid, _STOP_SIGNAL[0])
        child.wait(timeout=STOP_GRACE_SECONDS)
    except (ProcessLookupError, subprocess.TimeoutExpired, Interrupted):
        pass
    finally:
        processes.stop(child)


def run_behave(command: list[str], log: BinaryIO) -> int:
    """Run behave, its output printed and logged as it comes; its exit code."""
    say(f"$ {shlex.join(command)}", log)
    child = subprocess.Popen(
        processes.dying_with_parent(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches the runner only; it hands it on
        env={**os.environ, "PYTHONUNBUFFERED": "1"},  # each line printed as it comes
    )
    assert child.stdout is not None
    tee = threading.Thread(target=_tee, args=(child.stdout, log), daemon=True)
    tee.start()
    try:
        code = child.wait()
    except Interrupted:
        _stop(child)
        raise
    finally:
        if child.poll() is None:
            processes.stop(child)
        tee.join(timeout=STOP_GRACE_SECONDS)
    return code


def behave_command(
    results: Path, rerun_file: Path, arguments: Sequence[str], events: str | None = None
) -> list[str]:
    # behave pairs each -o with a -f in order, behave.ini's first: ours come before any other
    progress = ["-f", EVENTS_FORMATTER, "-o", events] if events else []
    return [
        sys.executable, "-m", "behave",
        "-f", ALLURE_FORMATTER, "-o", str(results),
        "-f", "rerun", "-o", str(rerun_file),
        *progress,
        *arguments,
    ]  # fmt: skip


def drop_jobs(behave_args: Sequence[str]) -> tuple[list[str], list[str]]:
    """(behave_args without behave's --jobs/--parallel and its value, what was dropped)."""
    actions = setup_parser()._option_string_actions
    jobs = {option for option, action in actions.items() if action.dest == "jobs"}
    kept: list[str] = []
    dropped: list[str] = []
    tokens = list(behave_args)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            kept.extend(tokens[index - 1 :])
            break
        name = token.split("=", 1)[0]
        long_match = name.startswith("--") and len(name) > 3
        matches = [o for o in actions if o.startswith(name)] if long_match else [name]
        if len(matches) == 1 and matches[0] in jobs:
            dropped.append(token)
            if "=" not in token and index < len(tokens):
                dropped.append(tokens[index])
                index += 1
        elif token.startswith("-j") and len(token) > 2 and not token.startswith("--"):
            dropped.append(token)  # -j4
        else:
            kept.append(token)
    return kept, dropped


def failed_locations(rerun_file: Path) -> list[str]:
    """The rerun formatter's list: `file:line` of each scenario that failed, grouped by file
    (behave runs a feature once per run of consecutive locations in its file)."""
    if not rerun_file.exists():
        return []
    lines = rerun_file.read_text(encoding="utf-8").splitlines()
    locations = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    first_seen: dict[str, int] = {}
    for location in locations:
        first_seen.setdefault(location.rsplit(":", 1)[0], len(first_seen))
    return sorted(locations, key=lambda loc: first_seen[loc.rsplit(":", 1)[0]])


# -- the run ------------------------------------------------------------------------------------


def load_timings(path: Path | None) -> tuple[dict[str, float] | None, Path | None]:
    if path is not None:
        if not path.exists():
            raise ValueError(f"--timings {path}: no such file")
        return read_timings(path), path
    if DEFAULT_TIMINGS.exists():
        return read_timings(DEFAULT_TIMINGS), DEFAULT_TIMINGS
    return None, None


def describe(shard_plan: Plan, timings_path: Path | None, unit: str = "shards") -> str:
    if shard_plan.by_time:
        how = f"by last measured seconds in {timings_path}"
        if shard_plan.unmeasured:
            how += f" ({shard_plan.unmeasured} unmeasured scenarios counted at the mean)"
    elif timings_path:
        how = f"by count ({timings_path} knows none of the selected scenarios)"
    else:
        how = "by count (no timings file: python -m harness.timings_file builds one)"
    count = len(shard_plan.shards)
    loads = ", ".join(
        f"{index}/{count}: {len(shard)} scenarios"
        + (f", {load:.1f} s" if shard_plan.by_time else "")
        for index, (shard, load) in enumerate(
            zip(shard_plan.shards, shard_plan.loads, strict=True), 1
        )
    )
    split = f"; split: {', '.join(shard_plan.split)}" if shard_plan.split else "; no feature split"
    return f"{unit} {how}: {loads}{split}"


def empty_results(results: Path) -> None:
    """Remove the Allure files of an earlier run, nothing else."""
    results.mkdir(parents=True, exist_ok=True)
    for pattern in ALLURE_FILES:
        for path in results.glob(pattern):
            path.unlink()


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    own, behave_args = list(argv), []
    if "--" in own:
        at = own.index("--")
        own, behave_args = own[:at], own[at + 1 :]
    parser = argparse.ArgumentParser(
        prog="python -m harness.run_suite",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--shard", type=Shard.parse, metavar="I/N")
    parser.add_argument("--retries", type=int, default=0, metavar="N")
    parser.add_argument("--timings", type=Path, metavar="FILE")
    parser.add_argument(
        "--results",
        type=Path,
        default=Path(os.environ.get("ALLURE_RESULTS", "reports/allure-results")),
        metavar="DIR",
    )
    parser.add_argument("--keep-results", action="store_true")
    parser.add_argument("--log", type=Path, default=Path("reports/behave.log"), metavar="FILE")
    parser.add_argument("--workers", type=int, default=1, metavar="N")
    parser.add_argument("--plan", action="store_true")
    args = parser.parse_args(own)
    if args.retries < 0:
        parser.error("--retries: 0 or more")
    if args.workers < 1:
        parser.error("--workers: 1 or more")
    behave_args, dropped = drop_jobs(behave_args)
    if dropped:
        say(
            f"behave's {' '.join(dropped)} is ignored: behave runs one scenario at a time; "
            "--workers N runs N behave processes at once"
        )
    return args, behave_args


def first_run_arguments(args: argparse.Namespace, behave_args: list[str]) -> list[str] | None:
    """behave's arguments for the first attempt; None when the shard has no scenario."""
    if args.workers > 1:
        return None
    if args.shard is None and not args.plan:
        return behave_args
    count = args.shard.count if args.shard else 1
    _, options = split_paths(behave_args)
    selected = selected_scenarios(behave_configuration(behave_args))
    timings, timings_path = load_timings(args.timings)
    shard_plan = plan(selected, count, timings)
    say(f"{len(selected)} scenarios selected; " + describe(shard_plan, timings_path))
    if args.plan:
        for index, shard in enumerate(shard_plan.shards, 1):
            say(f"shard {index}/{count}: {' '.join(s.location for s in shard) or '(none)'}")
        return None
    mine = shard_plan.shards[args.shard.index - 1]
    if not mine:
        say(f"shard {args.shard} has no scenario to run")
        return None
    return [*options, "--no-skipped", *(s.location for s in mine)]


def run(args: argparse.Namespace, behave_args: list[str]) -> int:
    if args.workers > 1:
        return run_with_workers(args, behave_args)
    arguments = first_run_arguments(args, behave_args)
    if arguments is None:
        return 0
    _, options = split_paths(behave_args)
    if not args.keep_results:
        empty_results(args.results)
    args.log.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="run_suite-") as temp, open(args.log, "wb") as log:
        rerun_file = Path(temp) / "rerun-0.txt"
        code = run_behave(behave_command(args.results, rerun_file, arguments), log)
        for attempt in range(1, args.retries + 1):
            failed = failed_locations(rerun_file)
            if code == 0 or not failed:
                break
            say(f"retry {attempt} of {args.retries}: {len(failed)} failed scenarios", log)
            rerun_file = Path(temp) / f"rerun-{attempt}.txt"
            retry = [*options, "--no-skipped", "-D", "tracing=on", *failed]
            code = run_behave(behave_command(args.results, rerun_file, retry), log)
    summary = report_summary.summarize([args.results])
    to_terminal(f"{report_summary.plain(summary, [args.results])}\n".encode())
    say(f"{'passed' if code == 0 else 'failed'}: exit code {code}")
    return code


# -- --workers N ------------------------------------------------------------------------------


def worker_selection(
    args: argparse.Namespace, behave_args: list[str]
) -> tuple[list[SelectedScenario], dict[str, float] | None, Path | None]:
    """The scenarios the workers share (the shard's, with --shard), and the timings."""
    selected = selected_scenarios(behave_configuration(behave_args))
    timings, timings_path = load_timings(args.timings)
    if args.shard is not None:
        shard_plan = plan(selected, args.shard.count, timings)
        say(f"{len(selected)} scenarios selected; " + describe(shard_plan, timings_path))
        selected = shard_plan.shards[args.shard.index - 1]
    return selected, timings, timings_path


def describe_parts(cut_parts: Parts, workers: int, timings_path: Path | None) -> str:
    parts = cut_parts.parts
    if cut_parts.by_time:
        unknown = f", {cut_parts.unmeasured} unmeasured" if cut_parts.unmeasured else ""
        how = f"predicted by {timings_path}{unknown}: {sum(p.seconds for p in parts):.0f} s in all"
    else:
        how = "no timings: by count of scenarios"
    return f"{len(parts)} parts taken longest first by {workers} workers as they get free ({how})"


def worker_jobs(workers: int, userdata: dict[str, str], rerun_stem: Path, queue: Path) -> list[Job]:
    return [
        Job(index, [], Path(f"{rerun_stem}-w{index}.txt"),
            {**worker_environment(index, userdata, os.environ), QUEUE_ENV: str(queue)})
        for index in range(1, workers + 1)
    ]  # fmt: skip


def run_round(
    parts: list[Part],
    args: argparse.Namespace,
    arguments: list[str],
    title: str,
    log: BinaryIO,
    temp: Path,
    attempt: int,
) -> tuple[list[Job], list[int]]:
    """The parts over the workers (no more workers than parts), each taking the next part as it
    gets free, with a progress line; the jobs and their exit codes."""
    queue = WorkQueue.create(temp / f"queue-{attempt}", parts)
    userdata = dict(behave_configuration(arguments).userdata)
    jobs = worker_jobs(
        min(args.workers, len(parts)), userdata, temp / f"rerun-{attempt}", queue.folder
    )

    def command(job: Job, events: str) -> list[str]:
        line = behave_command(
            args.results, job.rerun_file, [*arguments, "--runner", QUEUE_RUNNER], events
        )
        log.write(f"run_suite: worker {job.index}: $ {shlex.join(line)}\n".encode())
        return line

    pieces: dict[str, int] = {}
    for part in parts:
        pieces[part.filename] = pieces.get(part.filename, 0) + 1
    total = sum(len(part.scenarios) for part in parts)
    progress = Progress(
        pieces,
        total,
        lambda text: to_terminal(text.encode()),
        tty=sys.stdout.isatty(),
        title=title,
    )
    codes = run_jobs(jobs, command, log, progress, _STOP_SIGNAL[0])
    taken = queue.claimed_by()
    for job in jobs:
        job.scenarios = [s for index, worker in sorted(taken.items()) if worker == job.index
                         for s in parts[index].scenarios]  # fmt: skip
    for job, code in zip(jobs, codes, strict=True):
        if code == 0:
            continue
        where = f"(all of its output in {args.log}, lines w{job.index}|)"
        if job.scenarios_reported == 0:
            say(f"worker {job.index} ended with exit code {code} before any scenario ended; "
                f"the end of its output {where}:", log)  # fmt: skip
            to_terminal(("\n".join(job.tail) + "\n").encode())
        elif job.hook_errors:
            ended = f"{job.scenarios_reported} of the {len(job.scenarios)} scenarios it took ended"
            say(f"worker {job.index} ended with exit code {code}; {ended}; its hooks' errors "
                f"{where}:", log)  # fmt: skip
            to_terminal(("\n".join(job.hook_errors) + "\n").encode())
    return jobs, codes


def run_with_workers(args: argparse.Namespace, behave_args: list[str]) -> int:
    _, options = split_paths(behave_args)
    selected, timings, timings_path = worker_selection(args, behave_args)
    if not selected:
        say("no scenario to run")
        return 0
    by_location = {s.location: s for s in selected}
    first = cut(selected, args.workers, timings)
    say(f"{len(selected)} scenarios over {args.workers} workers; "
        + describe_parts(first, args.workers, timings_path))  # fmt: skip
    if args.plan:
        for number, part in enumerate(first.parts, 1):
            lines = ", ".join(str(s.line) for s in part.scenarios)
            unit = "s" if first.by_time else " scenarios"
            say(f"part {number} ({part.seconds:.1f}{unit}): {part.filename} lines {lines}")
        return 0
    if not args.keep_results:
        empty_results(args.results)
    args.log.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="run_suite-") as temp, open(args.log, "wb") as log:
        say(f"each worker's output: {args.log} (lines w1|, w2|, ...)", log)
        round_args = (args, [*options, "--no-skipped"], "", log, Path(temp), 0)
        jobs, codes = run_round(first.parts, *round_args)
        unmendable = first_unmendable(jobs, codes, len(selected), 0)
        for attempt in range(1, args.retries + 1):
            failed = [loc for job in jobs for loc in failed_locations(job.rerun_file)]
            if not failed:
                break
            say(f"retry {attempt} of {args.retries}: {len(failed)} failed scenarios", log)
            again = [by_location.get(loc) or location_only(loc) for loc in failed]
            retry = [*options, "--no-skipped", "-D", "tracing=on"]
            parts = cut(again, args.workers, timings).parts
            jobs, codes = run_round(
                parts, args, retry, f"retry {attempt}: ", log, Path(temp), attempt
            )
            unmendable = first_unmendable(jobs, codes, len(again), unmendable)
    code = unmendable or next((c for c in codes if c != 0), 0)
    summary = report_summary.summarize([args.results])
    to_terminal(f"{report_summary.plain(summary, [args.results])}\n".encode())
    say(f"{'passed' if code == 0 else 'failed'}: exit code {code}")
    return code


def first_unmendable(jobs: list[Job], codes: list[int], expected: int, earlier: int) -> int:
    """The exit code of the first worker that failed otherwise than by scenarios a retry reruns:
    a worker that failed without a failed scenario (a hook's error), or any failing worker when
    not every one of the `expected` scenarios ended (a worker stopped in a part it had taken);
    `earlier` if none did."""
    every_one_ended = sum(job.scenarios_reported for job in jobs) >= expected
    for job, code in zip(jobs, codes, strict=True):
        if code != 0 and not (every_one_ended and failed_locations(job.rerun_file)):
            return earlier or code
    return earlier


def location_only(location: str) -> SelectedScenario:
    filename, _, line = location.rpartition(":")
    return SelectedScenario(location, filename, int(line))


def main(argv: Sequence[str] | None = None) -> int:
    args, behave_args = parse_args(sys.argv[1:] if argv is None else argv)
    install_signal_handlers()
    try:
        return run(args, behave_args)
    except ValueError as error:
        print(f"run_suite: {error}", file=sys.stderr)
        return 2
    except Interrupted as interrupted:
        say(f"stopped by {interrupted}; behave was told to stop and has ended")
        return 128 + interrupted.signum


if __name__ == "__main__":
    sys.exit(main())
