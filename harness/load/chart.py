"""A latency chart of a burst: each login's end-to-end time and the server's part, as a PNG."""

from __future__ import annotations

import io
from collections.abc import Sequence


def latency_chart(
    end_to_end: Sequence[float],
    server: Sequence[float],
    title: str,
    limits: Sequence[tuple[str, float]] = (),
) -> bytes:
    """Both series sorted from fastest to slowest, with a dashed line per limit (label, s)."""
    # imported here: matplotlib costs every run ~0.5 s of CPU, and only a load run draws
    import matplotlib

    matplotlib.use("Agg")  # no display: render to memory only
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 4.5), dpi=100)
    try:
        axes.plot(range(1, len(end_to_end) + 1), sorted(end_to_end), marker=".",
                  label="end to end (click to dashboard shown)")  # fmt: skip
        axes.plot(range(1, len(server) + 1), sorted(server), marker=".",
                  label="server's part (request start to response end)")  # fmt: skip
        for label, seconds in limits:
            axes.axhline(seconds, linestyle="--", linewidth=1, color="grey")
            axes.annotate(label, (1, seconds), textcoords="offset points", xytext=(2, 3),
                          fontsize=8, color="grey")  # fmt: skip
        axes.set_xlabel("logins, fastest to slowest")
        axes.set_ylabel("seconds")
        axes.set_title(title)
        axes.set_ylim(bottom=0)
        axes.grid(True, alpha=0.3)
        axes.legend(loc="upper left", fontsize=8)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()
    finally:
        plt.close(figure)
