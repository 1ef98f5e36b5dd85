"""How busy the test machine's processors were between two moments (all processes, all cores)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class CpuLoad:
    busy_percent: float  # time not idle (nor waiting for I/O), over every core
    cores: int
    load_average: float  # the 1-minute load average at the end

    def line(self) -> str:
        return (
            f"CPU {self.busy_percent:.0f} % busy on {self.cores} cores "
            f"(1-minute load average {self.load_average:.1f})"
        )


class CpuWatch:
    """Started when the burst starts, read when it ends: psutil's /proc/stat counters."""

    def __init__(self) -> None:
        self._start = psutil.cpu_times()

    def load(self) -> CpuLoad:
        return busy_between(self._start, psutil.cpu_times())


def busy_between(start, end) -> CpuLoad:
    """The load between two psutil.cpu_times() readings."""
    idle = _idle(end) - _idle(start)
    total = sum(end) - sum(start)
    busy = 0.0 if total <= 0 else max(0.0, min(100.0, 100.0 * (total - idle) / total))
    return CpuLoad(busy, os.cpu_count() or 1, os.getloadavg()[0])


def _idle(times) -> float:
    return times.idle + getattr(times, "iowait", 0.0)
