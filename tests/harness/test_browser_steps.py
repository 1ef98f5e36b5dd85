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

from pages.offered import nearest_first, quoted_list
from pages.words import words_pattern

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


def run_feature(project: Path, name: str, text: str, wait: float = 5) -> dict[str, list[dict]]:
    """Runs one feature; each scenario's steps as behave's JSON report gives them. `wait`:
    the browser's timeouts for what it looks for and acts on (seconds)."""
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
            "allure_behave.formatter:AllureFormatter",
            "-o",
            str(project / "allure"),
            "-f",
            "plain",
            "--no-capture",
            "-D",
            f"browser.expect_timeout={wait:g}",
            "-D",
            "browser.navigation_timeout=2",
            "-D",
            f"browser.action_timeout={wait:g}",
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
    broken = [i for i, status in enumerate(statuses) if status in ("failed", "error")]
    assert broken, statuses
    failed = steps[broken[0]]
    assert all(s == "passed" for s in statuses[: broken[0]]), statuses
    message = failed["result"]["error_message"]
    message = "\n".join(message) if isinstance(message, list) else message
    return message.removeprefix("ASSERT FAILED: ")


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
    And I see "1,234" within "Usage"
    When I follow the link "Details" within "Python basics"
    Then I am on "/shop.html?course=python"

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
    When I open "/attach.html"
    And I upload "minutes.txt" as "Attach minutes"
    Then I see "Attached: minutes.txt"
"""


def test_every_step_passes_on_a_page_where_it_should(project: Path) -> None:
    scenarios = run_feature(project, "browsing", PASSING)
    for name, steps in scenarios.items():
        statuses = [(s["name"], s.get("result", {}).get("status")) for s in steps]
        failed = [s for s in steps if s.get("result", {}).get("status") != "passed"]
        assert not failed, f"{name}: {statuses}\n{failed[0].get('result')}"
    assert len(scenarios) == 5


FAILING = """\
Feature: Failing

  Scenario: A button that is not there
    Given I open the home page
    When I press "Delete account"

  Scenario: A part of a name is not the name
    Given I open the home page
    When I follow the link "Catalogue"

  Scenario: A region that is not there
    Given I open the home page
    Then I see "Pro" within "Current subscription"

  Scenario: A text that is not there
    Given I open the home page
    Then I see "Free plan"

  Scenario: A text that is hidden
    Given I open the home page
    Then I see "Secret offer"

  Scenario: A text that stays
    Given I open the home page
    Then I do not see "Current plan: Pro"

  Scenario: A button outside the region
    Given I open the home page
    When I press "Sign out" within "Billing"

  Scenario: A text outside the region
    Given I open the home page
    Then I see "Tenant ID" within "Current plan"

  Scenario: No text after a label within the region
    Given I open the home page
    When I remember the text after "Tenant ID" within "Main menu" as {tenant}

  Scenario: A page the product does not name
    Given I open the checkout page

  Scenario: Another page than the one expected
    Given I open the home page
    Then I am on the catalogue page

  Scenario: Another title
    Given I open the home page
    Then the page title is "Home"

  Scenario: A download of another name
    Given I open the home page
    When I download "Annual report"
    Then the download is called "report.pdf"

  Scenario: A download without those words
    Given I open the home page
    When I download "Annual report"
    Then the download says "Revenue fell"

  Scenario: Two buttons of one name
    Given I open the home page
    When I press "Save"

  Scenario: A page with no button at all
    Given I open the catalogue page
    When I press "Buy"

  Scenario: A field that is not there
    Given I open the home page
    When I fill in "Company" with "Acme"

  Scenario: A choice that is not offered
    Given I open the home page
    When I choose "Gold" in "Plan"

  Scenario: A field that shows another value
    Given I open the home page
    Then the "Plan" field shows "Pro"

  Scenario: A check box that is not there
    Given I open the home page
    When I tick "I accept the conditions"

  Scenario: A radio button that is not there
    Given I open the home page
    When I choose "Medium" in "Size"

  Scenario: A file field that is not there
    Given I open the home page
    When I upload "minutes.txt" as "Logo"

  Scenario: A click that downloads nothing
    Given I open the home page
    When I download "Change plan"

  Scenario: A download checked before any
    Given I open the home page
    Then the download is called "notes.txt"

  Scenario: An app that fails to answer
    Given I open "/broken"

  Scenario: Another path than the one expected
    Given I open the catalogue page
    Then I am on "/"

  Scenario: A button that cannot be pressed
    Given I open "/locked.html"
    When I press "Place order"

  Scenario: A file that the feature does not have
    Given I open the home page
    When I upload "logo.png" as "Company logo"
"""


@pytest.fixture(scope="module")
def failing_run(project: Path) -> tuple[dict[str, str], Path]:
    scenarios = run_feature(project, "failing", FAILING, wait=0.5)
    return {name: failure_of(steps) for name, steps in scenarios.items()}, project / "allure"


@pytest.fixture(scope="module")
def failures(failing_run: tuple[dict[str, str], Path]) -> dict[str, str]:
    return failing_run[0]


def test_a_missing_button_lists_the_buttons_on_the_page(failures: dict[str, str]) -> None:
    assert failures["A button that is not there"] == (
        'Looked for a button named "Delete account" on / for 0.5 s and found none. '
        'Buttons there: "Sign out", "Change plan", "Save", "Company logo", "Start free trial", '
        '"Export notes".'
    )


def test_a_name_is_matched_whole_not_as_a_part_of_a_longer_one(failures: dict[str, str]) -> None:
    message = failures["A part of a name is not the name"]
    assert message.startswith(
        'Looked for a link named "Catalogue" on / for 0.5 s and found none. '
        'Links there: "Browse the catalogue", '
    ), message
    assert '"Browse the catalogue" contains "Catalogue" but is not it' in message


def test_a_missing_region_lists_the_regions_nearest_first(failures: dict[str, str]) -> None:
    message = failures["A region that is not there"]
    assert message.startswith(
        'Looked for a region named "Current subscription" on / for 0.5 s and found none. '
        'Named regions and headings there: "Current plan", '
    ), message
    for name in ("Main menu", "Billing", "Sign up", "Usage", "Profile"):
        assert f'"{name}"' in message
    assert "A region is a landmark, section, form, dialog, table or list" in message


def test_a_text_not_seen_quotes_the_page(failures: dict[str, str]) -> None:
    message = failures["A text that is not there"]
    assert message.startswith(
        'Expected to see "Free plan" on / within 0.5 s, but it is not there'
    ), message
    assert 'the page reads "Browse the catalogue Books Sign out Welcome Current plan' in message


def test_a_button_outside_the_region_says_so(failures: dict[str, str]) -> None:
    assert failures["A button outside the region"] == (
        'Looked for a button named "Sign out" within "Billing" on / for 0.5 s and found none. '
        'Buttons there: "Save". The region "Billing" is the <section> labelled "Billing"; the '
        "page has it outside that region."
    )


def test_a_text_outside_the_region_says_what_the_region_was_taken_to_be(
    failures: dict[str, str],
) -> None:
    message = failures["A text outside the region"]
    assert message.startswith(
        'Expected to see "Tenant ID" within "Current plan" on / within 0.5 s, but it is not there'
    ), message
    assert message.endswith(
        'it reads "Current plan Current plan: Pro Change plan". The region "Current plan" is '
        'the <section> under the heading "Current plan"; the page has it outside that region.'
    ), message


def test_no_text_after_a_label_in_the_region(failures: dict[str, str]) -> None:
    assert failures["No text after a label within the region"] == (
        'Looked for a text after "Tenant ID" within "Main menu" on / for 0.5 s and found none; '
        'it reads "Browse the catalogue Books Sign out". The region "Main menu" is the <nav> '
        'labelled "Main menu"; the page has it outside that region.'
    )


def test_a_hidden_text_is_not_seen_and_says_so(failures: dict[str, str]) -> None:
    message = failures["A text that is hidden"]
    assert message.startswith(
        'Expected to see "Secret offer" on / within 0.5 s, but it is hidden'
    ), message


def test_a_text_that_stays_is_quoted_where_it_is(failures: dict[str, str]) -> None:
    assert failures["A text that stays"] == (
        'Expected not to see "Current plan: Pro" on /, but it is still shown after 0.5 s, '
        'in "Current plan: Pro".'
    )


def test_an_unknown_page_name_lists_the_products_pages(failures: dict[str, str]) -> None:
    assert failures["A page the product does not name"] == (
        'The Test site has no page called "checkout": its pages are "books", "catalogue", '
        '"home". Name one of them, or add the page to the product\'s page_paths.'
    )


def test_another_page_says_where_the_browser_is(failures: dict[str, str]) -> None:
    message = failures["Another page than the one expected"]
    assert message.startswith(
        "Expected to be on the catalogue page (/shop.html) within 0.5 s, but the browser is on /, "
        'which reads "Browse the catalogue'
    ), message


def test_another_title_is_quoted(failures: dict[str, str]) -> None:
    assert failures["Another title"] == (
        'Expected the page title "Home" within 0.5 s, but the title of / is "Home · Test site".'
    )


def test_a_download_of_another_name_says_its_name(failures: dict[str, str]) -> None:
    assert failures["A download of another name"] == (
        'The download is called "annual-report.pdf", not "report.pdf".'
    )


def test_a_download_without_the_words_quotes_its_text(failures: dict[str, str]) -> None:
    assert failures["A download without those words"] == (
        'The download "annual-report.pdf" does not say "Revenue fell" (whole words, same case); '
        'it says "Annual report of Acme Corp Revenue grew by 12 percent".'
    )


def test_two_elements_of_one_name_ask_for_a_region(failures: dict[str, str]) -> None:
    message = failures["Two buttons of one name"]
    assert message.startswith(
        'The page / shows 2 buttons named "Save"; add within "<region>" to the step'
    ), message


def test_a_page_without_such_elements_is_quoted(failures: dict[str, str]) -> None:
    assert failures["A page with no button at all"] == (
        'Looked for a button named "Buy" on /shop.html for 0.5 s and found none. '
        'There are no buttons there; it reads "Catalogue Three books in stock. Home".'
    )


def test_a_missing_field_lists_the_fields(failures: dict[str, str]) -> None:
    message = failures["A field that is not there"]
    assert message.startswith(
        'Looked for a field named "Company" on / for 0.5 s and found none. '
        'Fields there: "Company name", '
    ), message
    assert '"acme.example.com"' in message and '"Plan"' in message


def test_a_choice_not_offered_lists_the_choices(failures: dict[str, str]) -> None:
    assert failures["A choice that is not offered"] == (
        '"Plan" on / has no choice "Gold"; its choices: "Basic", "Pro", "Enterprise".'
    )


def test_a_field_showing_another_value_says_what_it_shows(failures: dict[str, str]) -> None:
    assert failures["A field that shows another value"] == (
        'The "Plan" field on / shows "Basic", not "Pro" (waited 0.5 s).'
    )


def test_a_missing_file_names_the_folder_it_belongs_in(
    failures: dict[str, str], project: Path
) -> None:
    folder = project / "fixtures" / "failing" / "files"
    assert failures["A file that the feature does not have"] == (
        f'No file "logo.png" to upload: it belongs in {folder}, which holds minutes.txt.'
    )


def test_a_missing_check_box_lists_the_check_boxes(failures: dict[str, str]) -> None:
    assert failures["A check box that is not there"] == (
        'Looked for a check box named "I accept the conditions" on / for 0.5 s and found none. '
        'Check boxes there: "I accept the terms", "Send me the newsletter".'
    )


def test_a_missing_radio_button_lists_the_groups_choices(failures: dict[str, str]) -> None:
    assert failures["A radio button that is not there"] == (
        '"Size" on / has no choice "Medium"; its choices: "Small", "Large".'
    )


def test_a_missing_file_field_lists_the_file_fields(failures: dict[str, str]) -> None:
    message = failures["A file field that is not there"]
    assert message.startswith(
        'Looked for a file field named "Logo" on / for 0.5 s and found none. '
        'File fields there: "Company logo", '
    ), message


def test_a_click_that_downloads_nothing_says_where_it_led(failures: dict[str, str]) -> None:
    message = failures["A click that downloads nothing"]
    assert message.startswith(
        'Clicked "Change plan" on /, but no download started within 2 s; the browser is now '
        'on /, which reads "Browse the catalogue'
    ), message


def test_a_download_checked_before_any_says_what_comes_first(failures: dict[str, str]) -> None:
    assert failures["A download checked before any"] == (
        'No file was downloaded in this scenario: a step `When I download "<link or button>"` '
        "comes first."
    )


def test_an_app_that_fails_to_answer_fails_the_opening(failures: dict[str, str]) -> None:
    message = failures["An app that fails to answer"]
    assert message.startswith("Opened /broken, but the app answered 500 Internal Server Error: "), (
        message
    )
    assert "The database is not answering" in message


def test_another_path_says_where_the_browser_is(failures: dict[str, str]) -> None:
    assert failures["Another path than the one expected"] == (
        "Expected to be on / within 0.5 s, but the browser is on /shop.html, which reads "
        '"Catalogue Three books in stock. Home".'
    )


def test_a_disabled_button_says_why_it_was_not_pressed(failures: dict[str, str]) -> None:
    assert failures["A button that cannot be pressed"] == (
        'Could not press "Place order" on /locked.html: Timeout 500ms exceeded '
        "(element is not enabled)."
    )


def test_every_failure_is_one_paragraph(failures: dict[str, str]) -> None:
    assert len(failures) == FAILING.count("Scenario:")
    for name, message in failures.items():
        assert "\n" not in message, f"{name}: {message!r}"


def test_a_failure_on_a_page_attaches_a_screenshot(
    failing_run: tuple[dict[str, str], Path],
) -> None:
    _, allure = failing_run
    tests = {}
    for path in allure.glob("*-result.json"):
        test = json.loads(path.read_text())
        tests[test["name"]] = test
    shots = [
        step.get("attachments", [])
        for step in tests["A button that is not there"]["steps"]
        if step["status"] == "failed"
    ]
    assert shots and shots[0][0]["type"] == "image/png", tests["A button that is not there"]
    assert (allure / shots[0][0]["source"]).stat().st_size > 1000


# what matching means, without a browser


@pytest.mark.parametrize(
    ("words", "text", "seen"),
    [
        ("Catalogue", "Browse the catalogue", False),  # same case
        ("Pro", "Professional plan", False),  # whole words
        ("Pro", "Current plan: Pro", True),
        ("Current plan: Pro", "Current plan:\n  Pro", True),  # any spacing
        ("£5 a month", "only £5 a month", True),
        ("1,234", "API calls today 1,234", True),
    ],
)
def test_words_are_seen_whole_and_in_the_same_case(words: str, text: str, seen: bool) -> None:
    assert bool(words_pattern(words).search(text)) is seen


def test_the_names_offered_come_nearest_first_and_are_counted_past_eight() -> None:
    names = ["Sign out", "Save", "Browse the catalogue", "Catalog", *map(str, range(10))]
    ordered = nearest_first("Catalogue", names)
    assert ordered[:4] == ["Browse the catalogue", "Catalog", "Sign out", "Save"]
    assert quoted_list(ordered).endswith(" and 6 more")
