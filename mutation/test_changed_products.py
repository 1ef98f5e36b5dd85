"""Which products' mutation runs a pull request's changed files call for
(mutation/changed_products.py): `.venv/bin/pytest mutation`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from changed_products import REPO, changed_products  # noqa: E402

ALL = ["academy", "clinic", "saas"]


@pytest.mark.parametrize(
    ("paths", "products"),
    [
        (["app/saas/payments.py"], ["saas"]),
        (["app/academy/routes/quiz.py", "steps/clinic/visits.py"], ["academy", "clinic"]),
        (["pages/clinic/chart.py"], ["clinic"]),
        (["features/e_learning.feature"], ["academy"]),
        (["fixtures/healthcare/patients.yaml"], ["clinic"]),
        (["fixtures/common/academy/academy/Courses.yaml"], ["academy"]),
        (["fixtures/common/anything.yaml"], ALL),
        (["features/environment.py"], ALL),
        (["features/no_such_feature_any_more.feature"], ALL),
        (["mutation/saas.toml", "mutation/clinic-result.md"], ["clinic", "saas"]),
        (["mutation/worker.py"], ALL),
        (["README.md", "app/platform/server.py", "docs/mutation.md"], []),
    ],
)
def test_a_change_calls_for_the_runs_of_the_products_it_touches(paths, products) -> None:
    assert changed_products(paths, REPO) == products


def test_the_command_line_prints_a_json_list_and_names_a_bad_base() -> None:
    script = [sys.executable, str(HERE / "changed_products.py")]
    ok = subprocess.run([*script, "--base", "HEAD"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert isinstance(json.loads(ok.stdout), list)
    bad = subprocess.run(
        [*script, "--base", "no-such-branch"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2
    assert "no-such-branch...HEAD" in bad.stderr
