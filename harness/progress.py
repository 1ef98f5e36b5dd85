"""The live progress of a run spread over workers (harness/workers.py).

- Events, a behave formatter (`-f harness.progress:Events -o FILE`): one line per finished
  scenario (`scenario <status> <file:line>`) and per finished feature (`feature <file>`), which a
  worker writes to a pipe the runner reads.
- Progress: those lines from every worker, shown as one line: features done / total, scenarios
  passed and failed so far, elapsed time. On a terminal the line is redrawn in place (and its
  clock ticks each second); in a log it is printed once per finished feature, and each failed
  scenario gets a line of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from behave.formatter.base import Formatter

from harness.feature_paths import relative

FAILED = ("failed", "error", "hook_error", "cleanup_error")
TICK_SECONDS = 1.0


class Events(Formatter):
    """One line per finished scenario and feature; flushed at once, read as it comes."""

    name = "events"
    description = "a line per finished scenario and feature, for harness/run_suite.py --workers"

    def __init__(self, stream_opener, config) -> None:
        super().__init__(stream_opener, config)
        self.stream = self.open()
        self.current = None
        self.current_feature = None

    def _write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def _end_scenario(self) -> None:
        if self.current is not None:
            location = f"{relative(self.current.filename)}:{self.current.line}"
            self._write(f"scenario {self.current.status.name} {location}")
            self.current = None

    def feature(self, feature) -> None:
        self.current_feature = feature

    def scenario(self, scenario) -> None:
        self._end_scenario()
        self.current = scenario

    def eof(self) -> None:
        self._end_scenario()
        if self.current_feature is not None:
            self._write(f"feature {relative(self.current_feature.filename)}")
            self.current_feature = None

    def close(self) -> None:
        self._end_scenario()
        self.close_stream()


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


@dataclass
class Progress:
    """What the workers have finished so far; `pieces` is how many workers run each feature
    file (a feature split by scenarios is done when every worker has finished its part)."""

    pieces: dict[str, int]
    scenarios: int
    write: Callable[[str], None]
    tty: bool
    title: str = ""
    passed: int = 0
    failed: int = 0
    other: int = 0
    started: float = field(default_factory=time.monotonic)
    _finished_pieces: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopped: threading.Event = field(default_factory=threading.Event)

    @property
    def features_done(self) -> int:
        return sum(1 for f, n in self._finished_pieces.items() if n >= self.pieces.get(f, 1))

    def line(self) -> str:
        return (
            f"{self.title}{self.features_done}/{len(self.pieces)} features, "
            f"{self.passed + self.failed + self.other}/{self.scenarios} scenarios: "
            f"{self.passed} passed, {self.failed} failed, "
            f"{_clock(time.monotonic() - self.started)} elapsed"
        )

    def _show(self) -> None:
        if self.tty:
            self.write(f"\r\x1b[K{self.line()}")
        else:
            self.write(f"{self.line()}\n")

    def event(self, worker: int, text: str) -> None:
        """One line from a worker's Events formatter."""
        kind, _, rest = text.strip().partition(" ")
        with self._lock:
            if kind == "scenario":
                status, _, location = rest.partition(" ")
                if status == "passed":
                    self.passed += 1
                elif status in FAILED:
                    self.failed += 1
                    clear = "\r\x1b[K" if self.tty else ""
                    self.write(f"{clear}worker {worker}: {status}: {location}\n")
                else:
                    self.other += 1
                if self.tty:
                    self._show()
            elif kind == "feature":
                self._finished_pieces[rest] = self._finished_pieces.get(rest, 0) + 1
                self._show()

    def start(self) -> None:
        """Show the line; on a terminal, redraw it each second until stop()."""
        with self._lock:
            self._show()
        if self.tty:
            threading.Thread(target=self._tick, daemon=True).start()

    def _tick(self) -> None:
        while not self._stopped.wait(TICK_SECONDS):
            with self._lock:
                self._show()

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            if self.tty:
                self._show()
                self.write("\n")
            else:
                self._show()
