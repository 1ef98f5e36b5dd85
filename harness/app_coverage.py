"""Which scenario ran which lines of the reference apps: with SUITE_APP_COVERAGE=<folder> in
the environment, each reference app runs under coverage (harness/app_gate.py), and before each
scenario the harness writes the scenario's location to <folder>/context and signals every app
it runs (SIGUSR1): the lines run from then on count for that scenario. mutation/coverage_map.py
reads the data so that a mutant runs only the scenarios that reach its line.

The signal is handled in the app's main thread before it reads another request (a request is
sent to make sure it is now), and the scenario's requests come after it. After each scenario,
once its page is cleared (so that the requests its page sends as it goes count for it), the
context becomes BETWEEN, which writes the scenario's lines to the data file.
"""

from __future__ import annotations

import os
import signal
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from harness.app_server import APP_COVERAGE_ENV, RunningApp
from harness.feature_paths import relative

# the context of what an app runs between one scenario's end and the next one's start
BETWEEN = "(between scenarios)"
WAKE_TIMEOUT = 5.0


def measuring() -> Path | None:
    folder = os.environ.get(APP_COVERAGE_ENV)
    return Path(folder) if folder else None


def scenario_starts(filename: str, line: int, apps: Iterable[RunningApp]) -> None:
    """The lines the apps run from now on count for the scenario at filename:line (named as
    behave takes it on its command line, relative to the run's folder)."""
    folder = measuring()
    if folder is None:
        return
    _switch(folder, f"{relative(filename)}:{line}", apps)


def scenario_ends(apps: Iterable[RunningApp]) -> None:
    """The lines run so far are the scenario's (written to the data file now: an app killed
    at the end keeps them); what runs until the next scenario counts as BETWEEN."""
    folder = measuring()
    if folder is not None:
        _switch(folder, BETWEEN, apps)


def _switch(folder: Path, context: str, apps: Iterable[RunningApp]) -> None:
    (folder / "context").write_text(context, encoding="utf-8")
    for app in apps:
        if app.measured:  # another app would die of the signal
            app.send_signal(signal.SIGUSR1)
            _wake(app.base_url)


def _wake(base_url: str) -> None:
    """A request, so that the app's main thread runs the signal's handler now: the kernel may
    hand the signal to another of its threads, and the main thread runs Python handlers only
    when it next wakes."""
    try:
        urllib.request.urlopen(f"{base_url}/__suite_coverage__", timeout=WAKE_TIMEOUT).close()
    except (urllib.error.URLError, OSError):
        pass  # a 404 is the answer expected; no answer: the next request runs the handler
