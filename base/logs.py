"""Reading the end of a child's log file for an error message."""

from __future__ import annotations

from pathlib import Path


def tail(path: Path | None, lines: int = 30) -> str:
    if path is None:
        return "(no log)"
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log written)"
