"""What the suite prints, for terminals and CI logs: behave run on the real feature."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from harness import report_retries
from harness.output import allure_results_folder
from harness.report_environment import commit_of, emulator_version, write_environment
from harness.report_retries import mark_flaky

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


# The report's place, hooks and retries (harness/report_*.py), on the report test's small project,
# with allure-behave's formatter on the command line as harness/run_suite.py gives it
PROJECT = Path(__file__).resolve().parent / "data" / "report_project"


def run_project(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], list[dict]]:
    project = tmp_path / "project"
    if not project.exists():
        shutil.copytree(PROJECT, project)
    results = tmp_path / "results"
    result = subprocess.run(
        [str(BEHAVE), *args, "-f", "allure_behave.formatter:AllureFormatter", "-o", str(results)],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    tests = [json.loads(path.read_text()) for path in sorted(results.glob("*-result.json"))]
    return result, tests


def labels_of(test: dict, *names: str) -> list[str]:
    return [label["value"] for name in names for label in test["labels"] if label["name"] == name]


def test_a_scenario_is_placed_under_its_products_title_feature_and_rule(tmp_path: Path) -> None:
    result, tests = run_project(tmp_path, "features/filling_a_basket.feature")
    assert result.returncode == 1, result.stdout + result.stderr  # one rule does not hold
    places = {test["name"]: test for test in tests}
    test = places["A basket's total counts every book"]
    place = ["Book shop", "Filling a basket", "A basket's total is the sum of its prices"]
    assert test["titlePath"] == place
    assert labels_of(test, "epic", "feature", "story") == place
    assert labels_of(test, "parentSuite", "suite", "subSuite") == place
    assert test["status"] == "failed"
    assert test["statusDetails"]["message"].startswith("AssertionError: the basket's total is 20")


def test_a_scenario_whose_hook_failed_is_broken_with_the_hooks_error(tmp_path: Path) -> None:
    result, [test] = run_project(tmp_path, "features/closing_the_till.feature")
    assert result.returncode == 1, result.stdout + result.stderr
    assert test["status"] == "broken", test
    message = test["statusDetails"]["message"]
    assert "HOOK-ERROR in before_scenario: ConnectionError: the till is unplugged" in message
    assert "raise ConnectionError" in test["statusDetails"]["trace"]


def test_the_passed_retry_of_a_scenario_is_marked_flaky(tmp_path: Path) -> None:
    marker = ["-D", f"till_marker={tmp_path / 'awake'}"]
    feature = "features/paying_at_the_till.feature"
    first, _ = run_project(tmp_path, feature, *marker)
    assert first.returncode == 1, first.stdout + first.stderr
    retry, tests = run_project(tmp_path, f"{feature}:5", "--no-skipped", *marker)
    assert retry.returncode == 0, retry.stdout + retry.stderr
    attempts = sorted(
        (t["stop"], t["status"], t.get("statusDetails", {}).get("flaky"))
        for t in tests
        if t["name"] == "The till answers on its second call"
    )
    assert [(status, flaky) for _, status, flaky in attempts] == [
        ("failed", None),
        ("passed", True),
    ]
    [broken] = [t for t in tests if t["name"] == "A receipt is printed"]
    assert "flaky" not in broken.get("statusDetails", {}), "run once: neither retried nor flaky"


def write_attempts(folder: Path, name: str, *statuses: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index, status in enumerate(statuses):
        result = {"name": name, "historyId": f"id-{name}", "status": status, "stop": index + 1}
        (folder / f"{name}-{index}-result.json").write_text(json.dumps(result))


def test_only_a_pass_after_a_failed_or_broken_attempt_is_flaky(tmp_path: Path) -> None:
    write_attempts(tmp_path / "one", "failed then passed", "failed", "passed")
    write_attempts(tmp_path / "two", "broken then passed", "broken", "passed")
    write_attempts(tmp_path / "two", "failed twice", "failed", "failed")
    write_attempts(tmp_path / "two", "passed once", "passed")
    folders = [tmp_path / "one", tmp_path / "two"]
    assert mark_flaky(folders) == (["broken then passed", "failed then passed"], [])
    assert mark_flaky(folders) == (["broken then passed", "failed then passed"], []), "idempotent"
    last = json.loads((tmp_path / "one" / "failed then passed-1-result.json").read_text())
    assert last["statusDetails"] == {"flaky": True}
    first = json.loads((tmp_path / "one" / "failed then passed-0-result.json").read_text())
    assert "statusDetails" not in first


def test_workers_marking_one_folder_at_once_never_trip_on_each_others_files(
    tmp_path: Path,
) -> None:
    """Each worker of a run marks the shared folder as it ends: two marking the same file at
    the same moment must both succeed (each writes a temporary file of its own)."""
    write_attempts(tmp_path, "failed then passed", "failed", "passed")
    path = tmp_path / "failed then passed-1-result.json"
    result = {**json.loads(path.read_text()), "statusDetails": {"flaky": True}}
    errors: list[BaseException] = []

    def mark_again() -> None:
        try:
            for _ in range(100):
                report_retries._rewrite(path, result)
        except BaseException as error:  # noqa: BLE001 - the test reports it
            errors.append(error)

    threads = [threading.Thread(target=mark_again) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:1]
    assert json.loads(path.read_text()) == result
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "failed then passed-0-result.json", "failed then passed-1-result.json",
    ]  # fmt: skip


def test_the_results_folder_is_the_live_allure_formatters(tmp_path: Path) -> None:
    from behave.configuration import Configuration

    ours = Configuration(["features"])
    assert allure_results_folder(ours) == Path("reports/allure-results")
    other = ["-f", "allure_behave.formatter:AllureFormatter", "-o", str(tmp_path)]
    assert allure_results_folder(Configuration([*other, "features"])) == tmp_path
    none = Configuration(["-f", "plain", "features"], load_config=False)
    assert allure_results_folder(none) is None


def test_the_environment_file_reads_back_as_written(tmp_path: Path) -> None:
    facts = {"Spanner emulator": "1.5.28", "App: SaaS platform": "deployed at https://x.test/a=b"}
    path = write_environment(tmp_path, facts)
    assert path.name == "environment.properties"
    assert path.read_text().splitlines() == [
        r"Spanner\ emulator=1.5.28",
        r"App\:\ SaaS\ platform=deployed at https://x.test/a=b",
    ]


def test_the_emulators_version_comes_from_its_gcloud_component(tmp_path: Path) -> None:
    binary = tmp_path / "sdk" / "bin" / "cloud_spanner_emulator" / "emulator_main"
    binary.parent.mkdir(parents=True)
    binary.write_text("")
    assert emulator_version(binary).startswith("unknown")
    record = tmp_path / "sdk" / ".install" / "cloud-spanner-emulator-linux-x86_64.snapshot.json"
    record.parent.mkdir()
    component = {"id": "cloud-spanner-emulator", "version": {"version_string": "1.5.28"}}
    record.write_text(json.dumps({"components": [component]}))
    assert emulator_version(binary) == "1.5.28"


def test_a_commit_is_named_by_its_short_hash() -> None:
    assert re.fullmatch(r"[0-9a-f]{12}( with uncommitted changes)?", commit_of(REPO))
    assert re.fullmatch(r"[0-9a-f]{12}( with uncommitted changes)?", commit_of(REPO / "harness"))


def test_outside_a_rule_the_story_tag_is_read_as_words() -> None:
    from behave.parser import parse_feature

    from harness.products import Product
    from harness.report_labels import name_products, place_of

    feature = parse_feature(
        "@product.shop @allure.label.epic:Old_shop\n"
        "Feature: Paying\n"
        "  @allure.label.story:Paying_by_card\n"
        "  Scenario: A card is charged\n"
        "    Given a card\n"
        "  Rule: A refund returns the whole amount\n"
        "    Scenario: A refund\n"
        "      Given a refund\n"
    )
    loose, ruled = feature.scenarios[0], feature.rules[0].scenarios[0]
    name_products([])
    assert place_of(loose).path() == ["Old shop", "Paying", "Paying by card"]
    name_products([Product(name="shop", title="Book shop", databases=("shop",), app_module=None)])
    try:
        assert place_of(loose).path() == ["Book shop", "Paying", "Paying by card"]
        assert place_of(ruled).path() == [
            "Book shop",
            "Paying",
            "A refund returns the whole amount",
        ]
    finally:
        name_products([])


def test_the_docker_emulators_image_is_read_from_the_compose_file(tmp_path: Path) -> None:
    from harness.report_environment import compose_image

    assert compose_image().startswith("gcr.io/cloud-spanner-emulator/emulator")
    compose = tmp_path / "docker-compose.yml"
    compose.write_text("services:\n  spanner-emulator:\n    image: emulator:1.5.28\n")
    assert compose_image(compose) == "emulator:1.5.28"
    assert compose_image(tmp_path / "none.yml").startswith(f"unknown ({tmp_path / 'none.yml'}")


def test_the_single_file_report_declares_its_data_first_and_calls_no_one(tmp_path: Path) -> None:
    from harness.report_single_file import DECLARE_DATA, ReportFileError, mend_file

    page = tmp_path / "index.html"
    page.write_text(
        "<html><head><title>r</title></head><body><script src='app.js'></script>\n"
        '    <script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>\n'
        "    <script>\n        window.dataLayer = window.dataLayer || [];\n    </script>\n"
        "    <script async>window.allureReportDataReady = false;</script></body></html>"
    )
    mend_file(page)
    once = page.read_text()
    assert once.index(DECLARE_DATA) < once.index("</head>") < once.index("app.js")
    assert "googletagmanager" not in once and "dataLayer" not in once
    assert "allureReportDataReady = false" in once
    mend_file(page)
    assert page.read_text() == once, "mending twice changes nothing"
    other = tmp_path / "other.html"
    other.write_text("<html><head></head><body>a multi-file report</body></html>")
    with pytest.raises(ReportFileError, match="other.html: not a single-file Allure report"):
        mend_file(other)
