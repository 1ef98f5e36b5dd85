"""Where the run's time went: emulator, databases, seeding, resets, browser, total."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager


class Timings:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.samples: dict[str, list[float]] = defaultdict(list)

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.samples[name].append(time.perf_counter() - start)

    def record(self, name: str, seconds: float) -> None:
        self.samples[name].append(seconds)

    def mark_once(self, name: str) -> None:
        """Record the time since the run started, the first time only."""
        if not self.samples.get(name):
            self.record(name, time.perf_counter() - self.started)

    def summary(self) -> str:
        def ms(seconds: float) -> str:
            return f"{seconds * 1000:.1f} ms"

        lines = ["Timing summary:"]
        for name in (
            "emulator start",
            "database creation",
            "app start",
            "browser launch",
            "cold start",
        ):
            if self.samples.get(name):
                lines.append(f"  {name:22} {ms(sum(self.samples[name]))}")
        seeding = self.samples.get("feature seeding", [])
        if seeding:
            lines.append(
                f"  {'feature seeding':22} {ms(sum(seeding))} over {len(seeding)} feature(s)"
            )
        resets = self.samples.get("scenario reset", [])
        if resets:
            mean = sum(resets) / len(resets)
            lines.append(
                f"  {'scenario reset':22} mean {ms(mean)}, worst {ms(max(resets))} "
                f"over {len(resets)} scenario(s)"
            )
        scenarios = self.samples.get("scenario", [])
        if scenarios:
            lines.append(
                f"  {'scenario':22} mean {ms(sum(scenarios) / len(scenarios))}, "
                f"worst {ms(max(scenarios))}"
            )
        lines.append(f"  {'total':22} {time.perf_counter() - self.started:.2f} s")
        return "\n".join(lines)
