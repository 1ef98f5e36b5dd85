"""Where the run's time went: the start-up in its parts, seeding, resets, scenarios, total."""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

# The start-up's parts, in the order they happen; the services' thread (emulator, databases,
# mail sink, the first product's app) and the browser's run side by side in before_all.
STARTUP_PARTS = (
    "interpreter and imports",  # process start to before_all (behave, steps, harness)
    "emulator start",
    "spanner connect",  # client, reachability check, instance
    "database creation",
    "mail sink start",
    "app start",
    "app start: imports (ahead)",  # the app process importing itself, begun before Spanner
    # hand-over (or spawn) to its port answering: its imports unless ahead, its start-up hook
    "app start: listening",
    "app start: healthy",  # listening to /healthz 200: its first Spanner session
    "services ready",  # before_all to emulator, databases, mail sink and app all up
    "playwright start",  # Playwright's driver
    "browser launch",
    "first context, made ahead",  # the first scenario's context and page, the app's port known
    "waiting for services",  # the browser and that context up, the services' thread not yet done
    "before_all",
    "first feature set-up",  # before_feature: seeding the first feature's fixtures
    "first restore",
    "first context and page",  # taken from those made ahead, else made now
    "cold start",  # before_all to the first scenario's first step
    "process start to first step",
)


def seconds_since_process_start() -> float | None:
    """How long this process has run (from /proc, to 10 ms); None where /proc cannot say."""
    try:
        fields = open("/proc/self/stat").read().rsplit(")", 1)[1].split()
        with open("/proc/uptime") as uptime:
            since_boot = float(uptime.read().split()[0])
    except (OSError, IndexError, ValueError):
        return None
    started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime, in ticks
    return max(since_boot - started, 0.0)


class Timings:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self._lock = threading.Lock()  # the start-up records from two threads

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.record(name, time.perf_counter() - start)

    def record(self, name: str, seconds: float) -> None:
        with self._lock:
            self.samples[name].append(seconds)

    def mark_once(self, name: str) -> None:
        """Record the time since the run started, the first time only."""
        if not self.samples.get(name):
            self.record(name, time.perf_counter() - self.started)

    def since_start(self) -> float:
        return time.perf_counter() - self.started

    def first(self, name: str) -> float | None:
        values = self.samples.get(name)
        return values[0] if values else None

    def startup(self) -> dict[str, float]:
        """The start-up's parts measured in this run, in STARTUP_PARTS order (the first sample
        of each: a later product's app start is not part of the start-up)."""
        found = {name: self.first(name) for name in STARTUP_PARTS}
        return {name: value for name, value in found.items() if value is not None}

    def summary(self) -> str:
        def ms(seconds: float) -> str:
            return f"{seconds * 1000:.1f} ms"

        lines = ["Timing summary:"]
        for name, seconds in self.startup().items():
            lines.append(f"  {name:28} {ms(seconds)}")
        for name, what in (("database creation", "product(s)"), ("app start", "app(s)")):
            every = self.samples.get(name, [])
            if len(every) > 1:
                lines.append(f"  {name + ' (all)':28} {ms(sum(every))} over {len(every)} {what}")
        seeding = self.samples.get("feature seeding", [])
        if seeding:
            lines.append(
                f"  {'feature seeding':28} {ms(sum(seeding))} over {len(seeding)} feature(s)"
            )
        # the harness's own part of each scenario: restore, then the browser's context and page;
        # a kept behave's app restarts (harness/mutant_runner.py), one per mutant
        for name, counted in (
            ("scenario reset", "scenario(s)"),
            ("scenario browser open", "scenario(s)"),
            ("scenario browser close", "scenario(s)"),
            ("app stop", "restart(s)"),
            ("app restart", "restart(s)"),
        ):
            every = self.samples.get(name, [])
            if every:
                lines.append(
                    f"  {name:28} mean {ms(sum(every) / len(every))}, worst {ms(max(every))} "
                    f"over {len(every)} {counted}"
                )
        scenarios = self.samples.get("scenario", [])
        if scenarios:
            lines.append(
                f"  {'scenario':28} mean {ms(sum(scenarios) / len(scenarios))}, "
                f"worst {ms(max(scenarios))}"
            )
        lines.append(f"  {'total':28} {time.perf_counter() - self.started:.2f} s")
        return "\n".join(lines)
