"""The retry project's one setting: the folder where each check counts its attempts."""

from __future__ import annotations

from pathlib import Path


def before_all(context) -> None:
    marks = context.config.userdata.get("marks")
    if not marks:
        raise ValueError("the retry project needs -D marks=<folder> (where checks count attempts)")
    context.marks = Path(marks)
    context.marks.mkdir(parents=True, exist_ok=True)
