"""The figures of a list of durations: count, p50, p95, max and total."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with at least p % of the values at or
    below it (p95 of 50 values is the 48th smallest). Raises ValueError on no values."""
    if not values:
        raise ValueError("no values to take a percentile of")
    if not 0 < p <= 100:
        raise ValueError(f"percentile {p} is not in (0, 100]")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


@dataclass(frozen=True)
class Figures:
    """Seconds, over `count` durations; `total` is their sum."""

    count: int
    p50: float
    p95: float
    max: float
    total: float

    @classmethod
    def of(cls, durations: Sequence[float]) -> Figures:
        return cls(
            count=len(durations),
            p50=percentile(durations, 50),
            p95=percentile(durations, 95),
            max=max(durations),
            total=sum(durations),
        )

    def line(self) -> str:
        return (
            f"count {self.count}, p50 {self.p50:.3f} s, p95 {self.p95:.3f} s, "
            f"max {self.max:.3f} s, total {self.total:.3f} s"
        )

    def as_dict(self) -> dict[str, float]:
        return asdict(self)
