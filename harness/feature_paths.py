"""A feature file's name as behave takes it on its command line: relative to the folder the run
is in, with / separators. Its own module, without imports of the harness, so that the lifecycle's
hooks and the run's scenario selection both use it (harness.scenario_selection imports the
lifecycle)."""

from __future__ import annotations

import os
from pathlib import Path


def relative(filename: str) -> str:
    return Path(os.path.relpath(os.path.abspath(filename))).as_posix()
