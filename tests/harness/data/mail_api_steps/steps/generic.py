"""The suite's generic mail and API steps, loaded as a team's project would load them."""

from __future__ import annotations

import runpy
from pathlib import Path

import harness

STEPS = Path(harness.__file__).resolve().parent.parent / "steps"

for name in ("mail.py", "api.py"):
    runpy.run_path(str(STEPS / name))
