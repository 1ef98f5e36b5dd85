"""`--workers N`: N plain behave processes side by side, each with its slice of the scenarios.

Each worker is a behave of its own, so its before_all starts its own Spanner emulator (or, on an
emulator someone else runs, uses databases of its own: see worker_environment), its own apps
and mail sink on free ports and its own browser. All write the one Allure results folder
(allure-behave names its files by uuid; environment.properties is written by each with the same
facts). Each worker's output goes to the run's log, every line marked `w<N>| `; the terminal
shows one progress line (harness/progress.py) fed by each worker's Events formatter through a
pipe of its own.

Each behave leads a process group of its own (so a Ctrl-C at the terminal reaches the runner
only) and dies with the runner (PR_SET_PDEATHSIG). Stopping: every worker is told to stop as by
a Ctrl-C, which unwinds its hooks and stops its browser, apps and emulator; a worker still
running after the grace time has its group killed.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from base import processes
from harness.progress import Progress
from harness.scenario_selection import SelectedScenario

# what a worker may take to stop its browser, apps and emulator once told to stop
STOP_GRACE_SECONDS = 30.0
# the lines of a worker's output kept for the terminal when it ends without running a scenario
TAIL_LINES = 25
DEFAULT_OUTPUT = "reports/artifacts"
DEFAULT_PREFIX = "test-"


@dataclass
class Job:
    index: int  # 1-based, the worker's number
    scenarios: list[SelectedScenario]
    rerun_file: Path
    env: dict[str, str]
    code: int | None = None
    scenarios_reported: int = 0
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    hook_errors: list[str] = field(default_factory=list)  # behave's HOOK-ERROR lines


def worker_environment(
    index: int, userdata: Mapping[str, str], environ: Mapping[str, str]
) -> dict[str, str]:
    """What sets worker `index` apart: its own artifacts folder (the apps' and emulator's logs,
    screenshots and traces are named by scenario) and, except in smoke mode (read only, on
    deployed apps), database ids of its own: on an emulator the worker starts this changes
    nothing, but an emulator set by SPANNER_EMULATOR_HOST (or Docker's, or Cloud Spanner) is
    shared by the workers, and two of them must never restore one database."""

    def setting(key: str, env: str, default: str) -> str:
        return environ.get(env) or userdata.get(key) or default  # the environment wins, as in a run

    extra = {
        "SUITE_WORKER": str(index),
        "TEST_OUTPUT": str(
            Path(setting("output", "TEST_OUTPUT", DEFAULT_OUTPUT)) / f"worker-{index}"
        ),
        "PYTHONUNBUFFERED": "1",
    }
    port = setting("mail.smtp_port", "MAIL_SMTP_PORT", "0")
    if port not in ("", "0") and not setting("mail.api_url", "MAIL_API_URL", ""):
        raise ValueError(
            f"--workers: setting mail.smtp_port is {port}: each worker's own mail sink would "
            "listen on that one port; leave it unset (a free port each) or use a Mailpit "
            "(mail.api_url)"
        )
    if setting("run.mode", "SUITE_MODE", "acceptance") != "smoke":
        prefix = setting("spanner.database_prefix", "SPANNER_DATABASE_PREFIX", DEFAULT_PREFIX)
        extra["SPANNER_DATABASE_PREFIX"] = f"{prefix}w{index}-"
    return {**environ, **extra}


class _Log:
    """The run's log, written by several threads, a line at a time."""

    def __init__(self, log: BinaryIO) -> None:
        self.log = log
        self.lock = threading.Lock()

    def line(self, data: bytes) -> None:
        with self.lock:
            self.log.write(data)
            self.log.flush()


def _copy_output(job: Job, source: BinaryIO, log: _Log) -> None:
    for line in iter(source.readline, b""):
        log.line(b"w%d| " % job.index + line)
        text = line.decode(errors="replace").rstrip("\n")
        job.tail.append(text)
        if text.startswith("HOOK-ERROR") and len(job.hook_errors) < TAIL_LINES:
            job.hook_errors.append(text)


def _read_events(job: Job, reader: int, progress: Progress) -> None:
    with os.fdopen(reader, "r", encoding="utf-8", errors="replace") as events:
        for line in events:
            if line.startswith("scenario "):
                job.scenarios_reported += 1
            progress.event(job.index, line)


def stop_all(children: list[subprocess.Popen[bytes]], stop_signal: int) -> None:
    """Tell every worker to stop, which unwinds it and stops its services; then make sure."""
    for child in children:
        if child.poll() is None:
            try:
                os.kill(child.pid, stop_signal)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    try:
        for child in children:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
    except Exception:  # the grace time is over, or a second Ctrl-C: no more waiting
        pass
    finally:
        for child in children:
            processes.stop(child)


def run_jobs(
    jobs: list[Job],
    command: Callable[[Job, str], list[str]],
    log: BinaryIO,
    progress: Progress,
    stop_signal: int,
) -> list[int]:
    """Run every job's behave at once; their exit codes, in the jobs' order. `command` builds a
    job's command line, given the file its Events formatter writes to."""
    shared_log = _Log(log)
    children: list[subprocess.Popen[bytes]] = []
    threads: list[threading.Thread] = []
    progress.start()
    try:
        for job in jobs:
            reader, writer = os.pipe()
            try:
                child = subprocess.Popen(
                    processes.dying_with_parent(command(job, f"/dev/fd/{writer}")),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,  # Ctrl-C reaches the runner only; it hands it on
                    env=job.env,
                    pass_fds=(writer,),
                )
            finally:
                os.close(writer)
            children.append(child)
            assert child.stdout is not None
            threads += [
                threading.Thread(target=_copy_output, args=(job, child.stdout, shared_log)),
                threading.Thread(target=_read_events, args=(job, reader, progress)),
            ]
            for thread in threads[-2:]:
                thread.daemon = True
                thread.start()
        for job, child in zip(jobs, children, strict=False):
            job.code = child.wait()
    except BaseException:
        stop_all(children, stop_signal)
        raise
    finally:
        for child in children:
            if child.poll() is None:
                processes.stop(child)
        for thread in threads:
            thread.join(timeout=STOP_GRACE_SECONDS)
        progress.stop()
    return [job.code if job.code is not None else 1 for job in jobs]
