"""The generic browser steps (steps/browser.py) run by behave on a small project of their own:
a static site served by the project's environment (data/browser_steps/), features written
here. Each step passes where it should; each kind of failure says what the page offered."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fpdf import FPDF

REPO = Path(__file__).resolve().parents[2]
BEHAVE = Path(sys.executable).with_name("behave")
PROJECT = Path(__file__).resolve().parent / "data" / "browser_steps"


def annual_report_pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, "Annual report of Acme Corp", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 10, "Revenue grew by 12 percent")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(pdf.output()))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project, with the repository's browser steps as its steps."""
    folder = tmp_path_factory.mktemp("browser_steps") / "project"
    shutil.copytree(PROJECT, folder)
    (folder / "steps").mkdir()
    (folder / "steps" / "browser.py").symlink_to(REPO / "steps" / "browser.py")
    (folder / "features").mkdir()
    annual_report_pdf(folder / "site" / "files" / "report.pdf")
    return folder


def run_feature(project: Path, name: str, text: str) -> dict[str, list[dict]]:
    """Runs one feature; each scenario's steps as behave's JSON report gives them."""
    feature = project / "features" / f"{name}.feature"
    feature.write_text(text)
    report = project / f"{name}.json"
    result = subprocess.run(
        [
            str(BEHAVE),
            str(feature),
            "-f",
            "json",
            "-o",
            str(report),
            "-f",
            "plain",
            "--no-capture",
            "-D",
            "browser.expect_timeout=1",
            "-D",
            "tracing=off",
            "-D",
            f"output={project / 'out'}",
        ],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    if not report.exists() or not report.read_text().strip():
        raise AssertionError(f"behave wrote no report:\n{result.stdout}\n{result.stderr}")
    [ran] = json.loads(report.read_text())
    scenarios = {}
    for element in ran["elements"]:
        if element["type"] == "scenario":
            scenarios[element["name"]] = element["steps"]
    assert scenarios, result.stdout + result.stderr
    return scenarios


def failure_of(steps: list[dict]) -> str:
    """The message of the step that failed (and that every other step passed)."""
    statuses = [step.get("result", {}).get("status", "skipped") for step in steps]
    assert "failed" in statuses, statuses
    failed = steps[statuses.index("failed")]
    assert all(s == "passed" for s in statuses[: statuses.index("failed")]), statuses
    message = failed["result"]["error_message"]
    return " ".join(message) if isinstance(message, list) else message


PASSING = """\
Feature: Browsing

  Scenario: Opening pages by name and by path
    Given I open the home page
    Then the page title is "Home · Test site"
    And I am on the home page
    And I see "Loaded later"
    When I follow the link "Browse the catalogue" within "Main menu"
    Then I am on the catalogue page
    And I am on "/shop.html"
    And I see "Three books in stock."
    When I open "/?from=shop"
    Then I am on "/"
    When I open the books page
    Then I am on the books page
    And I see "Catalogue"

  Scenario: Filling in a form
    Given I open the home page
    When I fill in "Company name" with "Acme Corp"
    And I remember the "Company name" field as {company}
    And I fill in "acme.example.com" with "{company}.example.com" within "Sign up"
    And I choose "Enterprise" in "Plan"
    And I choose "Large" in "Size"
    And I tick "I accept the terms"
    And I untick "Send me the newsletter" within "Sign up"
    Then the "Plan" field shows "Enterprise"
    And the "Company name" field shows "{company}"
    When I press "Start free trial"
    Then I see "Thanks, Acme Corp (Acme Corp.example.com), Enterprise, size l"
    And I see "terms true, newsletter false"

  Scenario: Regions tell two buttons of the same name apart
    Given I open the home page
    When I press "Save" within "Profile"
    Then I see "Profile saved"
    And I do not see "Billing saved"
    When I press "Save" within "Billing"
    Then I see "Billing saved"
    And I see "Pro" within "Current plan"
    And I do not see "Secret offer"
    And I do not see "Enterprise" within "Current plan"

  Scenario: Reading the words after a label
    Given I open the home page
    When I remember the text after "Current plan" as {plan}
    And I remember the text after "Tenant ID" as {tenant}
    And I remember the text after "API calls today" within "Usage" as {calls}
    And I fill in "Company name" with "{plan} {tenant} {calls}"
    Then the "Company name" field shows "Pro t-42 1,234"

  Scenario: Uploading and downloading files
    Given I open the home page
    When I upload "minutes.txt" as "Company logo"
    Then I see "Chosen: minutes.txt"
    When I download "Annual report"
    Then the download is called "annual-report.pdf"
    And the download says "Revenue grew by 12 percent"
    When I download "Export notes"
    Then the download is called "notes.txt"
    And the download says "Notes of the day"
"""


def test_every_step_passes_on_a_page_where_it_should(project: Path) -> None:
    scenarios = run_feature(project, "browsing", PASSING)
    for name, steps in scenarios.items():
        statuses = [(s["name"], s.get("result", {}).get("status")) for s in steps]
        failed = [s for s in steps if s.get("result", {}).get("status") != "passed"]
        assert not failed, f"{name}: {statuses}\n{failed[0].get('result')}"
    assert len(scenarios) == 5
