"""A Spanwright project's scenarios folder used as it is, by pointing one setting at it: a
product declared in YAML whose `fixtures:` is the scenarios/ folder, a feature naming its
scenario by @fixtures.<scenario>, checked with the generic step against both spalidate files."""

from __future__ import annotations

import shutil
from pathlib import Path

from test_spanwright import DATA, SCENARIOS
from test_yaml_products_run import (
    YAML_ONLY_ENVIRONMENT,
    run_behave,
    suite_environment,
    suite_project,
    write,
)

from base.ports import free_port
from spanner.emulator import Backend

FEATURE = """
@product.shop @fixtures.checkout
Feature: A Spanwright scenario, as it is

  Scenario: The seed is what both expected files say
    Then the primary database matches "expected-primary.yaml"
    And the secondary database matches "expected-secondary.yaml"

  Scenario: A value that differs is named with its file, table and row
    Then the primary database matches "expected-wrong.yaml"
"""


def test_a_scenarios_folder_is_used_by_pointing_the_product_at_it(
    tmp_path: Path, emulator: Backend
) -> None:
    scenarios = tmp_path / "spanwright" / "scenarios"
    shutil.copytree(SCENARIOS, scenarios)
    checkout = scenarios / "checkout"
    wrong = (checkout / "expected-primary.yaml").read_text().replace("Status: 1", "Status: 9")
    (checkout / "expected-wrong.yaml").write_text(wrong)
    # no app is needed for database checks: a deployed copy's URL that nothing answers
    product = write(
        tmp_path / "shop.yaml",
        f"""
        name: shop
        title: Spanwright shop
        databases: [users, billing]
        aliases: {{primary: users, secondary: billing}}
        schema: {DATA / "schema"}
        fixtures: {scenarios}
        app:
          base_url: http://127.0.0.1:{free_port()}
        """,
    )
    project = suite_project(tmp_path, YAML_ONLY_ENVIRONMENT, {"checkout": FEATURE})
    env = suite_environment(tmp_path, emulator.emulator_host, product)
    env["DB_POLL_TIMEOUT"] = "0.5"

    result = run_behave(project, env, "checkout")

    output = result.stdout + result.stderr
    assert "1 scenario passed, 1 failed" in output, output
    assert "expected-wrong.yaml, table Users: 1 expected row(s) not found" in output, output
    assert "row 1 not found; nearest row differs in Status: expected 9, actual 1" in output, output
