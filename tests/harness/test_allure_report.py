"""The Allure report a reader opens: built by Allure 3 (scripts/allure, allurerc.mjs) from a
small behave run in two shards, each with one retry (harness/run_suite.py), merged, and read in
a real browser over HTTP.

The run (tests/harness/data/report_project/, the suite's own formatter and labelling): one
scenario passes, one fails its rule (an assertion), one breaks (an error), and one fails at its
first attempt and passes at its retry (its step creates a marker file the first time).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from harness.browser import CHROMIUM_ARGS, chromium_executable
from harness.report_single_file import mend_file

REPO = Path(__file__).resolve().parents[2]
PROJECT = Path(__file__).resolve().parent / "data" / "report_project"
ALLURE_PACKAGE = REPO / "scripts" / "allure"
ALLURE = ALLURE_PACKAGE / "node_modules" / ".bin" / "allure"
FEATURES = ["features/filling_a_basket.feature", "features/paying_at_the_till.feature"]

PRODUCT, FILLING, PAYING = "Book shop", "Filling a basket", "Paying at the till"
PASSING = "A basket with two books holds two books"
FAILING = "A basket's total counts every book"
FLAKY = "The till answers on its second call"
BROKEN = "A receipt is printed"
PLACES = {
    PASSING: [PRODUCT, FILLING, "A basket holds what was put in it"],
    FAILING: [PRODUCT, FILLING, "A basket's total is the sum of its prices"],
    FLAKY: [PRODUCT, PAYING, "The till answers once it has woken up"],
    BROKEN: [PRODUCT, PAYING, "A receipt is printed for every sale"],
}
# how long the single-file report may take to draw its tree after a load
LOAD_MS = 60_000
# what the page printed, failed to load or raised since it was last opened
PAGE_LOG: list[str] = []
STATUSES = {PASSING: "passed", FAILING: "failed", FLAKY: "passed", BROKEN: "broken"}

pytestmark = pytest.mark.skipif(
    not (shutil.which("node") and shutil.which("npm")),
    reason="Allure 3's report generator (the npm package `allure`) needs Node.js and npm, "
    "and node or npm is not on PATH",
)


@pytest.fixture(scope="module")
def allure() -> Path:
    """The pinned generator, installed the way `make report` installs it when missing."""
    if not ALLURE.exists():
        command = ["npm", "ci", "--prefix", str(ALLURE_PACKAGE), "--no-audit", "--no-fund"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}"
    return ALLURE


def run_shard(project: Path, shard: str, results: Path, marker: Path) -> int:
    """One shard of the run with one retry, as CI runs it (harness/run_suite.py)."""
    command = [sys.executable, "-m", "harness.run_suite", "--shard", shard, "--retries", "1"]
    command += ["--results", str(results), "--log", str(results.with_suffix(".log"))]
    command += ["--", *FEATURES, "-D", f"till_marker={marker}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert list(results.glob("*-result.json")), f"shard {shard} wrote no result:\n{done.stdout}"
    return done.returncode


@pytest.fixture(scope="module")
def report(allure: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two shards with retries, merged into one report, generated twice: the second report has
    the first in its history (allurerc.mjs historyPath, relative to where allure runs)."""
    work = tmp_path_factory.mktemp("report")
    project = work / "project"
    shutil.copytree(PROJECT, project)
    folders = [work / "results" / str(index) for index in (1, 2)]
    codes = [run_shard(project, f"{i}/2", f, work / "till-awake") for i, f in enumerate(folders, 1)]
    assert 1 in codes, "the failing rule and the broken test fail their shard's run"
    output = work / "allure-report"
    for _ in range(2):
        command = [str(allure), "generate", "--config", str(REPO / "allurerc.mjs")]
        command += ["--output", str(output), *map(str, folders)]
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        mend_file(output / "index.html")
    history = work / "reports" / "history" / "history.jsonl"
    assert len(history.read_text(encoding="utf-8").splitlines()) == 2, "one line per report"
    return output


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="module")
def report_url(report: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(report))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(report_url: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        executable = chromium_executable(playwright, None)
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda message: PAGE_LOG.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: PAGE_LOG.append(f"page error: {error}"))
            page.on("requestfailed", lambda request: PAGE_LOG.append(f"failed: {request.url}"))
            page.on("request", lambda request: PAGE_LOG.append(f"request: {request.url}"))
            yield page
        finally:
            browser.close()


def open_report(page: Page, url: str) -> None:
    """The report's home, once its tree is drawn (a 3.6 MB page to parse on a busy machine)."""
    PAGE_LOG.clear()
    page.goto(url)
    try:
        expect(page.get_by_test_id("tree-section-title").first).to_be_visible(timeout=LOAD_MS)
    except AssertionError as error:
        said = "\n".join(PAGE_LOG[-30:]) or "(nothing)"
        raise AssertionError(f"{url} drew no tree; the page said:\n{said}") from error


def open_scenario(page: Page, url: str, name: str) -> None:
    """From the report's home, the scenario's page, by unfolding its place in the tree."""
    open_report(page, url)
    *sections, story = PLACES[name]
    for title in sections:
        expect(page.get_by_test_id("tree-section-title").filter(has_text=title)).to_be_visible()
    story_section = page.get_by_test_id("tree-section-title").filter(has_text=story)
    leaf = page.get_by_test_id("tree-leaf").filter(has_text=name)
    if not leaf.is_visible():
        story_section.click()
    leaf.get_by_test_id("tree-leaf-title").click()
    expect(page.get_by_test_id("test-result-info-title")).to_have_text(name)


def test_the_tree_is_product_feature_story_then_scenario(page: Page, report_url: str) -> None:
    for name, place in PLACES.items():
        open_scenario(page, report_url, name)
        expect(page.get_by_test_id("test-result-breadcrumb-button")).to_have_text(place)


def test_each_scenario_has_its_status(page: Page, report_url: str) -> None:
    open_report(page, report_url)
    for name, status in STATUSES.items():
        leaf = page.get_by_test_id("tree-leaf").filter(has_text=name)
        if not leaf.is_visible():
            page.get_by_test_id("tree-section-title").filter(has_text=PLACES[name][-1]).click()
        expect(leaf.get_by_test_id(f"tree-leaf-status-{status}")).to_be_visible()
    expect(page.get_by_test_id("metadata-item-flaky")).to_contain_text("1")
    for status, count in (("failed", 1), ("broken", 1), ("passed", 2)):
        expect(page.get_by_test_id(f"metadata-item-{status}")).to_contain_text(str(count))


def test_the_flaky_scenario_shows_both_attempts(page: Page, report_url: str) -> None:
    open_scenario(page, report_url, FLAKY)
    expect(page.get_by_test_id("test-result-status-passed")).to_be_visible()
    expect(page.get_by_test_id("test-result-info-title").locator("xpath=..")).to_contain_text(
        "Flaky"
    )
    retries = page.get_by_test_id("test-result-tab-retries")
    expect(retries).to_have_text("Retries1")
    retries.click()
    earlier = page.get_by_test_id("test-result-retries-item")
    expect(earlier).to_have_count(1)
    expect(earlier.get_by_test_id("test-result-retries-item-text")).to_contain_text("Retry 1 of 1")
    expect(earlier.get_by_test_id("tree-leaf-status-failed")).to_be_visible()
    expect(earlier.get_by_test_id("test-result-retries-item-error-preview")).to_have_text(
        "AssertionError: the till was asleep and did not answer"
    )


def test_the_failure_shows_the_rules_message(page: Page, report_url: str) -> None:
    open_scenario(page, report_url, FAILING)
    expect(page.get_by_test_id("test-result-status-failed")).to_be_visible()
    expect(page.get_by_test_id("test-result-error-message")).to_have_text(
        "AssertionError: the basket's total is 20 euros, not 30"
    )


def test_categories_tell_a_broken_rule_from_a_broken_test(page: Page, report_url: str) -> None:
    open_report(page, report_url)
    page.get_by_test_id("nav-tab-categories").click()
    expected = {
        "A rule does not hold (an assertion failed)": FAILING,
        "Broken test: an error in the suite, its hooks or its services": BROKEN,
        "Flaky: passed on a retry": FLAKY,
    }
    titles = page.get_by_test_id("tree-section-title")
    expect(titles).to_have_text(list(expected))
    for category, scenario in expected.items():
        section = page.get_by_test_id("tree-section").filter(has_text=category)
        section.click()
        expect(page.get_by_text(scenario, exact=True)).to_be_visible()
        section.click()


def test_the_environment_and_the_history_are_shown(page: Page, report_url: str) -> None:
    open_report(page, report_url)
    backend = page.get_by_test_id("metadata-item").filter(has_text="Spanner backend")
    expect(backend.get_by_test_id("metadata-item-value")).to_have_text("none (a report test)")
    open_scenario(page, report_url, FAILING)
    history = page.get_by_test_id("test-result-tab-history")
    expect(history).to_have_text("History1")
    history.click()
    expect(page.get_by_test_id("test-result-history-item")).to_have_count(1)


def test_the_report_asks_nothing_of_any_other_server(page: Page, report_url: str) -> None:
    """Google's analytics tag is taken out (harness/report_single_file.py), and its data is read
    from the page itself, not fetched."""
    open_report(page, report_url)
    open_scenario(page, report_url, FAILING)
    asked = [line.removeprefix("request: ") for line in PAGE_LOG if line.startswith("request: ")]
    elsewhere = [url for url in asked if not url.startswith(("data:", report_url))]
    assert not elsewhere, f"the report asked for {elsewhere}"
