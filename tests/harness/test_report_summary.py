"""harness/report_summary.py: outcomes counted from Allure results, retries taken together."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from harness.report_summary import main, markdown, plain, summarize


def write_result(
    folder: Path,
    name: str,
    status: str | None,
    stop: int,
    message: str = "",
    feature: str = "Paying by card",
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    result = {
        "uuid": str(uuid.uuid4()),
        "historyId": f"id-{feature}-{name}",
        "name": name,
        "start": stop - 1000,
        "stop": stop,
        "labels": [{"name": "feature", "value": feature}],
    }
    if status is not None:
        result["status"] = status
    if message:
        result["statusDetails"] = {"message": message, "trace": "Traceback ..."}
    (folder / f"{result['uuid']}-result.json").write_text(json.dumps(result))


@pytest.fixture
def run(tmp_path: Path) -> list[Path]:
    """Two shards' folders; a retry wrote into the same folder as its first attempt."""
    one, two = tmp_path / "shard-1", tmp_path / "shard-2"
    write_result(one, "Ann pays", "passed", 1_000)
    write_result(one, "Bo pays twice", "failed", 2_000, "AssertionError: one charge\nexpected 1")
    write_result(one, "Bo pays twice", "failed", 9_000, "AssertionError: two charges | not 1\n")
    write_result(one, "Cy is refunded", "broken", 3_000, "TimeoutError: page did not load")
    write_result(one, "Cy is refunded", "passed", 8_000)
    write_result(two, "Di's card expires", "passed", 4_000, feature="Changing plans")
    write_result(
        two, "Di's card expires", "broken", 7_000, "ServiceDied: app exited", "Changing plans"
    )
    write_result(two, "Ed never ran", "skipped", 5_000)
    write_result(two, "Fa was cut short", None, 6_000)
    return [one, two]


def test_each_scenario_counts_once_by_its_last_attempt(run: list[Path]) -> None:
    summary = summarize(run)
    assert summary.counts == {"passed": 1, "flaky": 1, "failed": 1, "broken": 2, "skipped": 1}
    assert summary.total == 6
    failing = {a.name: (a.status, a.message) for a in summary.failing}
    assert failing == {
        "Bo pays twice": ("failed", "AssertionError: two charges | not 1"),
        "Di's card expires": ("broken", "ServiceDied: app exited"),  # passed, then broke
        "Fa was cut short": ("unknown", ""),  # no status: the run did not finish
    }
    [(first_bad, last, tries)] = summary.flaky
    assert (last.name, tries, first_bad.message) == (
        "Cy is refunded",
        2,
        "TimeoutError: page did not load",
    )


def test_attempts_are_ordered_by_when_they_ended_not_by_file(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    write_result(folder, "Gi", "passed", 9_000)
    write_result(folder, "Gi", "failed", 1_000, "AssertionError: no")
    assert summarize([folder]).counts["flaky"] == 1
    write_result(folder, "Gi", "failed", 10_000, "AssertionError: again")
    summary = summarize([folder])
    assert summary.counts["failed"] == 1 and summary.counts["flaky"] == 0
    assert summary.failing[0].message == "AssertionError: again"


def test_plain_form_names_each_outcome_and_each_failing_and_flaky_scenario(
    run: list[Path],
) -> None:
    text = plain(summarize(run), run)
    lines = text.splitlines()
    assert lines[0].startswith("scenarios: 6 in ")
    assert [line.split()[:2] for line in lines[1:6]] == [
        ["passed", "1"],
        ["flaky", "1"],
        ["failed", "1"],
        ["broken", "2"],
        ["skipped", "1"],
    ]
    assert "failed: Paying by card / Bo pays twice" in text
    assert "    AssertionError: two charges | not 1" in text
    assert "broken: Changing plans / Di's card expires" in text
    assert "flaky: Paying by card / Cy is refunded (passed at attempt 2)" in text
    assert "first broken: TimeoutError: page did not load" in text


def test_markdown_has_the_counts_then_the_failures_then_the_flaky(run: list[Path]) -> None:
    text = markdown(summarize(run))
    assert "| flaky | 1 |" in text and "| **all** | **6** | |" in text
    failing = text.index("#### Failing")
    flaky = text.index("#### Flaky")
    assert text.index("| passed | 1 |") < failing < flaky
    # a pipe in a message does not break the table
    assert (
        "| Bo pays twice | Paying by card | failed | AssertionError: two charges \\| not 1 |"
        in (text)
    )
    assert "| Cy is refunded | Paying by card | 2 | broken: TimeoutError: page did not load |" in (
        text
    )


def test_it_reports_what_it_could_not_read_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "results"
    write_result(folder, "Ha", "passed", 1_000)
    (folder / "bad-result.json").write_text("{ not json")
    assert main([str(folder), str(tmp_path / "missing"), "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "| passed | 1 |" in out
    assert f"{folder / 'bad-result.json'}: not an Allure result file" in out
    assert f"{tmp_path / 'missing'}: no such Allure results folder" in out
