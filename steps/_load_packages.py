"""behave loads the step files at the top of steps/ (the generic steps: browser, mail, API,
database); this one loads the packages below it the way behave loads a folder of step files:
one per product (steps/<product>/) and steps/shared/ (steps several products use).

behave 1.3's own `use_nested_step_modules` would do the same but prints a line on every run.
"""

from __future__ import annotations

from pathlib import Path

from behave.runner_util import load_step_modules

load_step_modules(
    sorted(
        str(folder)
        for folder in Path(__file__).parent.iterdir()
        if folder.is_dir() and not folder.name.startswith(("_", "."))
    )
)
