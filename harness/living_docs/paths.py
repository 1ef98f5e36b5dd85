"""How the page names a file: relative to the project when it lies inside it."""

from __future__ import annotations

from pathlib import Path


def shown(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            pass
    return str(path)
