"""How busy the test machine's processors were between two moments: every process, on the
cores the burst's browsers could use (all of them unless the burst confined its browsers)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class CpuLoad:
    busy_percent: float  # time not idle (nor waiting for I/O), over the watched cores
    cores: int  # the cores watched: those the browsers could use
    load_average: float  # the 1-minute load average at the end
    machine_cores: int = 0  # every core of the machine (0: the same as cores)

    def line(self) -> str:
        where = f"{self.cores} cores"
        if self.machine_cores and self.machine_cores != self.cores:
            where = f"the browsers' {self.cores} of {self.machine_cores} cores"
        return (
            f"CPU {self.busy_percent:.0f} % busy on {where} "
            f"(1-minute load average {self.load_average:.1f})"
        )


class CpuWatch:
    """Started when the burst starts, read when it ends: psutil's /proc/stat counters of the
    given cores (every core when none are given)."""

    def __init__(self, cores: Iterable[int] | None = None) -> None:
        self._cores = sorted(cores) if cores is not None else None
        self._start = self._read()

    def _read(self):
        if self._cores is None:
            return [psutil.cpu_times()]
        per_core = psutil.cpu_times(percpu=True)
        return [per_core[core] for core in self._cores if core < len(per_core)]

    def load(self) -> CpuLoad:
        end = self._read()
        machine = os.cpu_count() or 1
        watched = len(self._cores) if self._cores is not None else machine
        idle = sum(_idle(e) - _idle(s) for s, e in zip(self._start, end, strict=True))
        total = sum(sum(e) - sum(s) for s, e in zip(self._start, end, strict=True))
        busy = 0.0 if total <= 0 else max(0.0, min(100.0, 100.0 * (total - idle) / total))
        return CpuLoad(busy, watched, os.getloadavg()[0], machine)


def busy_between(start, end) -> CpuLoad:
    """The load between two psutil.cpu_times() readings of the whole machine."""
    idle = _idle(end) - _idle(start)
    total = sum(end) - sum(start)
    busy = 0.0 if total <= 0 else max(0.0, min(100.0, 100.0 * (total - idle) / total))
    return CpuLoad(busy, os.cpu_count() or 1, os.getloadavg()[0])


def _idle(times) -> float:
    return times.idle + getattr(times, "iowait", 0.0)
