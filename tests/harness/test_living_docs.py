"""The living documentation: features read as allure-behave names them, results matched and
decided (retries, flaky), mutation result files read honestly, and the page as a product owner
sees it in a real browser, rendered from the real features/ with a small synthetic run."""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from allure_behave.utils import get_fullname, scenario_history_id
from behave.parser import parse_file
from playwright.sync_api import expect, sync_playwright

from harness.browser import CHROMIUM_ARGS, chromium_executable
from harness.living_docs.__main__ import main
from harness.living_docs.mutation import MutationFileError, parse_result, read_mutation
from harness.living_docs.results import (
    Attempt,
    ResultsError,
    decide,
    match,
    parse_attempt,
    read_results,
)
from harness.living_docs.specs import read_feature, read_products
from harness.products import REPO_ROOT
from products import PRODUCTS

FEATURE = """\
@product.saas @smoke
Feature: Plans & <prices>
  What a tenant pays, told for people who read "<b>bold</b>" literally.

  Background:
    Given the platform sells these plans:
      | plan  | price |
      | Basic | 49.00 |

  Scenario: Outside any rule
    When nothing happens
    Then the note reads:
      \"\"\"
      a < b && c > d
      \"\"\"

  Rule: Upgrades only go up

    Scenario Outline: <plan> is offered <offered>
      Given a tenant on <plan>
      Then the plans offered are <offered>

      Examples: Monthly
        | plan  | offered      |
        | Basic | Professional |
        | Pro   | Enterprise   |

    Scenario: The same name twice
      Given a tenant on Basic

  Rule: Downgrades wait for the cycle's end

    Scenario: The same name twice
      Given a tenant on Pro
"""


def write_feature(folder: Path, text: str = FEATURE, name: str = "plans.feature") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def attempt(history_id: str, status: str, stop: int, message: str = "", **extra) -> Attempt:
    values = dict(
        path=f"{history_id}-{stop}-result.json",
        history_id=history_id,
        name="a scenario",
        full_name="A feature: a scenario",
        status=status,
        message=message,
        start=stop - 1,
        stop=stop,
        parameters=(),
        step_names=(),
    )
    values.update(extra)
    return Attempt(**values)


def result_json(case, status: str, stop: int, message: str | None = None) -> dict:
    """A result file as allure-behave writes one, for a case read from the features."""
    data = {
        "uuid": f"{case.history_id}-{stop}",
        "historyId": case.history_id,
        "name": case.name,
        "fullName": case.full_name,
        "status": status,
        "start": stop - 500,
        "stop": stop,
        "steps": [{"name": name, "status": status} for name in case.step_names],
        "parameters": [{"name": n, "value": v} for n, v in case.parameters],
        "labels": [{"name": "feature", "value": case.feature_name}],
    }
    if message is not None:
        data["statusDetails"] = {"message": message, "trace": "Traceback ..."}
    return data


def write_results(folder: Path, results: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for data in results:
        (folder / f"{data['uuid']}-result.json").write_text(json.dumps(data), encoding="utf-8")


# -- features -----------------------------------------------------------------------------------


def test_every_case_has_the_history_id_and_full_name_allure_behave_gives_it(tmp_path) -> None:
    path = write_feature(tmp_path)
    _, feature = read_feature(path, "plans.feature")
    theirs = parse_file(str(path))
    expected = [(scenario_history_id(s), get_fullname(s), s.name) for s in theirs.walk_scenarios()]
    assert [(c.history_id, c.full_name, c.name) for c in feature.cases()] == expected
    assert len(expected) == 5  # one plain, two example rows, the same name twice


def test_a_feature_reads_as_rules_scenarios_steps_tables_and_doc_strings(tmp_path) -> None:
    _, feature = read_feature(write_feature(tmp_path), "plans.feature")
    assert feature.name == "Plans & <prices>"
    assert feature.tags == ("smoke",)
    assert feature.background[0].table.rows == (("Basic", "49.00"),)
    assert feature.scenarios[0].steps[1].doc_string == "a < b && c > d"
    assert [rule.name for rule in feature.rules] == [
        "Upgrades only go up",
        "Downgrades wait for the cycle's end",
    ]
    outline = feature.rules[0].scenarios[0]
    assert outline.steps[0].text == "a tenant on <plan>"
    assert [row.cells for row in outline.examples[0].rows] == [
        ("Basic", "Professional"),
        ("Pro", "Enterprise"),
    ]
    assert outline.examples[0].rows[1].case.parameters == (
        ("plan", "Pro"),
        ("offered", "Enterprise"),
    )


def test_a_feature_naming_no_product_is_refused_with_its_file(tmp_path) -> None:
    write_feature(tmp_path / "features", FEATURE.replace("@product.saas ", ""))
    with pytest.raises(ValueError, match=r"plans\.feature names no product"):
        read_products(tmp_path / "features", PRODUCTS)


def test_the_real_features_are_all_read_under_their_products() -> None:
    products = read_products(REPO_ROOT / "features", PRODUCTS, base=REPO_ROOT)
    assert [p.title for p in products] == [p.title for p in PRODUCTS]
    paths = sorted(f.path for p in products for f in p.features)
    assert paths == sorted(f"features/{p.name}" for p in (REPO_ROOT / "features").glob("*.feature"))
    assert all(p.cases() for p in products)


# -- results ------------------------------------------------------------------------------------


def test_the_last_attempt_decides_and_a_pass_after_a_failure_is_flaky() -> None:
    flaky = decide([attempt("h", "failed", 1, "AssertionError: 3 != 4"), attempt("h", "passed", 2)])
    assert (flaky.status, flaky.message, flaky.attempts) == ("flaky", "AssertionError: 3 != 4", 2)
    # the order of the files does not matter, their stop times do
    failed = decide([attempt("h", "failed", 9, "late"), attempt("h", "passed", 2)])
    assert (failed.status, failed.message) == ("failed", "late")
    broken_twice = decide([attempt("h", "broken", 1, "first"), attempt("h", "broken", 2, "second")])
    assert (broken_twice.status, broken_twice.message) == ("broken", "second")
    assert decide([attempt("h", "passed", 1)]).status == "passed"
    # marked by harness/report_retries.py, its earlier attempts elsewhere
    assert decide([attempt("h", "passed", 1, marked_flaky=True)]).status == "flaky"


def test_a_skipped_attempt_counts_only_when_every_attempt_was_skipped() -> None:
    # a rerun without --no-skipped writes the scenarios it did not rerun as skipped
    assert decide([attempt("h", "passed", 1), attempt("h", "skipped", 2)]).status == "passed"
    assert decide([attempt("h", "skipped", 1), attempt("h", "skipped", 2)]).status == "skipped"


def test_results_match_by_history_id_by_steps_for_a_shared_name_and_else_by_full_name(
    tmp_path,
) -> None:
    _, feature = read_feature(write_feature(tmp_path), "plans.feature")
    plain, basic_row, pro_row, twin_up, twin_down = feature.cases()
    assert twin_up.history_id == twin_down.history_id
    attempts = [
        attempt(plain.history_id, "passed", 1),
        attempt(twin_down.history_id, "failed", 2, "down", step_names=twin_down.step_names),
        attempt(twin_up.history_id, "passed", 3, step_names=twin_up.step_names),
        # another annotation schema: the row's name and id differ, its full name and values not
        attempt(
            "other-id",
            "broken",
            4,
            "row",
            full_name=pro_row.full_name,
            parameters=(("offered", "Enterprise"), ("plan", "Pro")),
        ),
        attempt("removed-id", "passed", 5, full_name="Plans & <prices>: A removed scenario"),
    ]
    results = match(feature.cases(), attempts)
    statuses = {case: outcome.status for case, outcome in results.outcomes.items()}
    assert statuses == {plain: "passed", twin_down: "failed", twin_up: "passed", pro_row: "broken"}
    assert basic_row not in results.outcomes
    assert [a.history_id for a in results.unmatched] == ["removed-id"]
    assert len(results.problems) == 1
    assert "'The same name twice'" in results.problems[0]
    assert "plans.feature:28" in results.problems[0] and "plans.feature:33" in results.problems[0]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"historyId": "h", "name": "n", "status": "pas', "not valid JSON (line 1, column"),
        ("[1, 2]", "a JSON object was expected"),
        ('{"historyId": "h", "name": "n"}', "no 'status'"),
        ('{"historyId": "h", "name": "n", "status": "green"}', "unknown status 'green'"),
    ],
)
def test_a_malformed_result_file_is_named_with_what_is_wrong(tmp_path, content, said) -> None:
    path = tmp_path / "abc-result.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        parse_attempt(path, "results/abc-result.json")
    assert str(raised.value).startswith("results/abc-result.json: ")
    assert said in str(raised.value)


def test_a_result_reads_its_first_message_line(tmp_path) -> None:
    path = tmp_path / "x-result.json"
    data = {"historyId": "h", "name": "n", "status": "failed", "start": 5, "stop": 9}
    data["statusDetails"] = {"message": "\n  AssertionError: 3 != 4\nmore detail\n"}
    path.write_text(json.dumps(data), encoding="utf-8")
    read = parse_attempt(path, "x-result.json")
    assert (read.status, read.message, read.stop) == ("failed", "AssertionError: 3 != 4", 9)
    assert not read.marked_flaky
    data.update(status="passed", statusDetails={"flaky": True})
    path.write_text(json.dumps(data), encoding="utf-8")
    assert parse_attempt(path, "x-result.json").marked_flaky


def test_a_bad_file_is_left_out_and_named_and_the_others_still_count(tmp_path) -> None:
    _, feature = read_feature(write_feature(tmp_path), "plans.feature")
    plain = feature.cases()[0]
    folder_a, folder_b = tmp_path / "shard-1", tmp_path / "shard-2"
    write_results(folder_a, [result_json(plain, "failed", 1000, "AssertionError: no")])
    write_results(folder_b, [result_json(plain, "passed", 2000)])
    (folder_b / "cut-short-result.json").write_text('{"historyId": ', encoding="utf-8")
    results = read_results(feature.cases(), [folder_a, folder_b])
    assert results.outcome(plain).status == "flaky"
    assert results.files == 3
    # the bad file first, then the feature's own problem (its two scenarios of one name)
    assert results.problems[0].startswith(str(folder_b / "cut-short-result.json: not valid JSON"))
    assert "'The same name twice'" in results.problems[1]
    with pytest.raises(ResultsError, match="nowhere"):
        read_results(feature.cases(), [tmp_path / "nowhere"])


# -- mutation -----------------------------------------------------------------------------------

MUTATION = """\
# Mutation score: SaaS platform (`saas`)

Written by `make mutation PRODUCT=saas` (mutation/run.py, configured by
mutation/saas.toml); the next run rewrites it.

{partial}| | |
| --- | --- |
| score | **{score}** = killed / (killed + survived); required 90 % |
| mutants | 1151 generated: 56 run (55 killed, of them 0 by time-out; 1 survived), 227 excluded |
| killed | 55 |
| survived | 1 |
| excluded | 227 (equivalent or out of reach, reasons below) |
| not tested | 0 worker errors, {not_run} not run (time budget or interrupted) |
| run time | 85.0 min (2 workers; baseline 368.8 s, time-out per mutant 1106 s) |
| date | 2026-12-06 07:29 UTC |
| tree | commit 460cc0a |

## By module

| module | killed | survived | excluded | score |
| --- | ---: | ---: | ---: | ---: |
| app/saas/accounts.py | 2 | 0 | 33 | 100 % |

## Excluded: equivalent or out of a browser-level test's reach

| mutants | why |
| ---: | --- |
| 154 | type annotations |
"""
STOPPED = "> **Partial run**: stopped by hand (SIGTERM) after 85 min. Not comparable.\n\n"


def mutation_text(score="98.2 %", not_run=165, partial=STOPPED) -> str:
    return MUTATION.format(score=score, not_run=not_run, partial=partial)


def test_a_stopped_mutation_run_says_how_many_mutants_it_tested() -> None:
    run = parse_result(mutation_text(), "mutation/saas-result.md")
    assert (run.score, run.required, run.date, run.commit) == (
        98.2,
        90.0,
        "2026-12-06 07:29 UTC",
        "460cc0a",
    )
    assert run.partial_line == "partial: 56 of 221 mutants tested"
    assert run.partial_note.startswith("stopped by hand (SIGTERM)")


def test_a_partial_run_that_tested_its_whole_scope_gives_its_own_reason() -> None:
    modules = (
        "> **Partial run**: modules app/saas/profile.py only. Not comparable with a full run.\n\n"
    )
    run = parse_result(mutation_text(not_run=0, partial=modules), "m.md")
    assert run.partial_line == "partial: modules app/saas/profile.py only"
    full = parse_result(mutation_text(not_run=0, partial=""), "m.md")
    assert (full.partial, full.partial_line) == (False, None)
    assert parse_result(mutation_text(score="n/a", partial=""), "m.md").score is None


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        (lambda t: t.replace("# Mutation score", "# Score"), "no '# Mutation score: <title>"),
        (lambda t: t.replace("| date |", "| day |"), "no '| date | ... |' row"),
        (lambda t: t.replace("**98.2 %**", "98.2"), "holds no **N %**"),
        (lambda t: t.replace("| killed | 55 |", "| killed | many |"), "'killed' row 'many'"),
    ],
)
def test_a_malformed_mutation_file_is_named_with_what_is_wrong(broken, said) -> None:
    with pytest.raises(MutationFileError) as raised:
        parse_result(broken(mutation_text()), "mutation/saas-result.md")
    assert str(raised.value).startswith("mutation/saas-result.md: ")
    assert said in str(raised.value)


def test_a_product_shows_its_run_its_other_runs_and_no_run_yet(tmp_path) -> None:
    (tmp_path / "saas-result.md").write_text(mutation_text(), encoding="utf-8")
    other = mutation_text(not_run=0).replace("07:29", "09:29")
    (tmp_path / "saas-new-modules-result.md").write_text(other, encoding="utf-8")
    (tmp_path / "clinic-result.md").write_text("# nothing here\n", encoding="utf-8")
    saas = read_mutation(tmp_path, "saas")
    assert saas.main.date == "2026-12-06 07:29 UTC"
    assert [run.date for run in saas.others] == ["2026-12-06 09:29 UTC"]
    assert saas.problems == ()
    assert read_mutation(tmp_path, "academy").main is None
    clinic = read_mutation(tmp_path, "clinic")
    assert clinic.main is None and "clinic-result.md: no '# Mutation score" in clinic.problems[0]


def test_every_mutation_result_file_of_the_project_reads() -> None:
    for product in PRODUCTS:
        found = read_mutation(REPO_ROOT / "mutation", product.name)
        assert found.problems == (), found.problems
        for run in filter(None, (found.main, *found.others)):
            assert re.fullmatch(r"[0-9a-f]{7,40}", run.commit), run.path


# -- the command and the page -------------------------------------------------------------------


def test_the_page_escapes_every_text_of_the_features(tmp_path) -> None:
    features = tmp_path / "features"
    write_feature(features, FEATURE.replace("Outside any rule", "<script>alert(1)</script> & co"))
    out = tmp_path / "page.html"
    (tmp_path / "results").mkdir()
    args = ["--features", str(features), "--results", str(tmp_path / "results")]
    assert main([*args, "--out", str(out), "--mutation", str(tmp_path)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "<script>alert" not in page
    assert "Plans &amp; &lt;prices&gt;" in page
    assert "a &lt; b &amp;&amp; c &gt; d" in page
    # self-contained: no file, style or script fetched from anywhere
    assert not re.search(r"""(src|href)=["'](?!#)""", page)


def test_the_command_names_a_missing_results_folder(tmp_path, capsys) -> None:
    out = tmp_path / "page.html"
    assert main(["--results", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    assert f"results folder {tmp_path / 'nowhere'} does not exist" in capsys.readouterr().err
    assert not out.exists()


# -- in a real browser --------------------------------------------------------------------------


def pick_cases():
    """A plain scenario (not an outline) under a rule of each product's first feature, from the
    real features, with its rule's title."""
    products = {p.name: p for p in read_products(REPO_ROOT / "features", PRODUCTS)}
    chosen = {}
    for name in ("saas", "academy", "clinic"):
        rules = products[name].features[0].rules
        chosen[name] = next(
            (scenario, rule.name)
            for rule in rules
            for scenario in rule.scenarios
            if not scenario.examples
        )
    return chosen


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, dict]]:
    chosen = pick_cases()
    (passed, _), (failed, rule), (flaky, _) = (chosen["clinic"], chosen["saas"], chosen["academy"])
    results = tmp_path / "allure-results"
    write_results(
        results,
        [
            result_json(passed.cases[0], "passed", 1_000),
            result_json(failed.cases[0], "failed", 2_000, "AssertionError: <b>2</b> & not 3\nat"),
            result_json(flaky.cases[0], "broken", 3_000, "TimeoutError: the dashboard never came"),
            result_json(flaky.cases[0], "passed", 4_000),
        ],
    )
    mutation = tmp_path / "mutation"
    mutation.mkdir()
    (mutation / "saas-result.md").write_text(mutation_text(), encoding="utf-8")
    site = tmp_path / "site"
    out = site / "index.html"
    code = main(["--results", str(results), "--mutation", str(mutation), "--out", str(out)])
    assert code == 0
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield (
            f"http://127.0.0.1:{server.server_port}/index.html",
            {
                "passed": passed,
                "failed": failed,
                "flaky": flaky,
                "rule": rule,
            },
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        pass


def test_a_product_owner_sees_products_rules_steps_statuses_and_mutation_scores(served) -> None:
    url, scenarios = served
    with sync_playwright() as playwright:
        executable = chromium_executable(playwright, None)
        browser = playwright.chromium.launch(
            args=list(CHROMIUM_ARGS), **({"executable_path": executable} if executable else {})
        )
        try:
            page = browser.new_page()
            fetched: list[str] = []
            page.on("request", lambda request: fetched.append(request.url))
            page.goto(url)
            for product in PRODUCTS:
                expect(page.locator("section.product > h2", has_text=product.title)).to_be_visible()

            failed = page.locator(f"#{scenarios['failed'].anchor}")
            expect(failed.locator(".badge").first).to_have_text("failed")
            expect(failed.locator(".message")).to_have_text("AssertionError: <b>2</b> & not 3")
            first_step = scenarios["failed"].steps[0]
            expect(failed.locator(".steps li").first).to_contain_text(
                f"{first_step.keyword} {first_step.text}"
            )
            rule = failed.locator("xpath=ancestor::section[@class='rule']/h4")
            expect(rule).to_have_text(f"Rule: {scenarios['rule']}")

            passed = page.locator(f"#{scenarios['passed'].anchor}")
            expect(passed.locator(".badge").first).to_have_text("passed")
            flaky = page.locator(f"#{scenarios['flaky'].anchor}")
            expect(flaky.locator(".badge").first).to_have_text("flaky")
            expect(flaky.locator(".message")).to_contain_text(
                "passed on retry (2 attempts); the earlier one: TimeoutError: the dashboard"
            )
            not_run = page.locator(".scenario.st-not-run").first
            expect(not_run.locator(".badge").first).to_have_text("not run")

            saas = page.locator("#p-saas .mutation-score")
            expect(saas).to_contain_text("Mutation score: 98.2 % (required 90 %)")
            expect(saas).to_contain_text("last run 2026-12-06 07:29 UTC, commit 460cc0a")
            expect(saas).to_contain_text("partial: 56 of 221 mutants tested")
            expect(page.locator("#p-academy .mutation-score")).to_contain_text(
                "no mutation run yet"
            )

            page.get_by_label("Show only scenarios that do not pass").check()
            expect(passed).to_be_hidden()
            expect(failed).to_be_visible()
            expect(flaky).to_be_visible()
            assert fetched == [url], f"the page fetched more than itself: {fetched}"
        finally:
            browser.close()
