"""What the suite prints, for terminals and CI logs: behave run on the real feature."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BEHAVE = Path(sys.executable).with_name("behave")
# a scenario under a Rule: allure-behave alone would not record it (harness/output.py)
ONE_SCENARIO = ["features/tenant_lifecycle.feature", "--name", "The billing settings name"]


def behave(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BEHAVE), *args],
        cwd=REPO,
        env={**os.environ, "TEST_OUTPUT": str(tmp_path / "out")},
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_each_step_is_printed_once_in_a_log(tmp_path: Path) -> None:
    allure = ["-f", "allure_behave.formatter:AllureFormatter", "-o", str(tmp_path / "allure")]
    result = behave(tmp_path, *ONE_SCENARIO, *allure)
    assert result.returncode == 0, result.stdout + result.stderr
    step_lines = [line.strip() for line in result.stdout.splitlines() if " ... passed" in line]
    # the feature's background step, the rule's two and the scenario's two
    assert len(step_lines) == 5, result.stdout
    counts = Counter(result.stdout.splitlines())
    keywords = ("Given", "When", "Then", "And")
    repeated = [line for line, n in counts.items() if n > 1 and line.strip().startswith(keywords)]
    assert not repeated, f"printed more than once: {repeated}"
    assert result.stdout.count("Scenario: The billing settings name the tenant's plan") == 1
    assert "1 scenario passed, 0 failed" in result.stdout


def test_an_allure_formatter_on_the_command_line_works_with_the_configured_ones(
    tmp_path: Path,
) -> None:
    results = tmp_path / "allure"
    result = behave(
        tmp_path, *ONE_SCENARIO, "-f", "allure_behave.formatter:AllureFormatter", "-o", str(results)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KeyError" not in result.stderr
    [test] = [json.loads(path.read_text()) for path in results.glob("*-result.json")]
    assert test["status"] == "passed"
    features = [label["value"] for label in test["labels"] if label["name"] == "feature"]
    assert features == ["Tenant lifecycle"], test["labels"]


def test_the_steps_catalog_is_all_that_steps_catalog_prints(tmp_path: Path) -> None:
    result = behave(tmp_path, "--steps-catalog")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    patterns = [line for line in lines if line.startswith(("Given ", "When ", "Then "))]
    assert len(patterns) > 20
    assert len(patterns) == len(set(patterns)), "the catalog is printed more than once"
    assert not any(line.startswith(("Feature:", "  Scenario:")) for line in lines)
