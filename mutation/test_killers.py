"""mutation/killers.py: each mutant's last killer is tried first next run, while it still
reaches the mutant; survivors are forgotten; a broken file is named."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import killers  # noqa: E402
from worker import KillLog  # noqa: E402

MUTANT = "app/shop/prices.py|core/NumberReplacer|0"
OTHER = "app/shop/prices.py|core/AddNot|1"


def test_the_last_killer_runs_first_when_it_still_reaches_the_mutant() -> None:
    order = ["features/a.feature:3", "features/b.feature:9", "features/c.feature:4"]
    assert killers.first(order, ["features/c.feature:4"]) == [
        "features/c.feature:4",
        "features/a.feature:3",
        "features/b.feature:9",
    ]
    # a killer that no longer reaches it (nor is a scenario of the run) is not run
    assert killers.first(order, ["features/gone.feature:1"]) == order


def test_an_order_of_whole_features_gets_a_known_scenario_in_front() -> None:
    order = ["features/a.feature", "features/b.feature"]
    scenarios = ["features/a.feature:3", "features/b.feature:9"]
    assert killers.first(order, ["features/b.feature:9"], scenarios) == [
        "features/b.feature:9",
        *order,
    ]


def test_a_run_adds_its_killers_and_forgets_its_survivors(tmp_path: Path) -> None:
    path = tmp_path / "shop-killers.json"
    path.write_text(json.dumps({OTHER: "features/a.feature:3", MUTANT: "features/b.feature:9"}))
    log = KillLog(tmp_path / "kills.jsonl")
    log.add({"app/shop/prices.py"}, "features/c.feature:4", [MUTANT])
    lines = [json.loads(line) for line in log.path.read_text().splitlines()]

    held = killers.update(path, killers.of_kills(lines), survived=[OTHER])

    assert held == 1
    assert killers.read(path) == {MUTANT: "features/c.feature:4"}


def test_no_file_is_no_killers_and_a_broken_one_is_named(tmp_path: Path) -> None:
    assert killers.read(tmp_path / "none.json") == {}
    broken = tmp_path / "shop-killers.json"
    broken.write_text("{not json")
    with pytest.raises(ValueError, match="shop-killers.json"):
        killers.read(broken)
    broken.write_text(json.dumps({MUTANT: 3}))
    with pytest.raises(ValueError, match="file::name"):
        killers.read(broken)


FEATURE = """Feature: Prices
  Scenario: A price is shown
    Given a price

  Scenario Outline: A price of <amount> is refused
    Given a price of <amount>

    Examples:
      | amount |
      | -1     |
      | 0      |
"""
ADDED_ABOVE = FEATURE.replace(
    "  Scenario: A price is shown",
    "  Scenario: A new one\n    Given a thing\n\n  Scenario: A price is shown",
).replace("      | -1     |", "      | -5     |\n      | -1     |")


def test_a_killer_is_kept_by_name_and_found_again_after_scenarios_are_added_above_it(
    tmp_path: Path,
) -> None:
    feature = tmp_path / "features" / "prices.feature"
    feature.parent.mkdir()
    feature.write_text(FEATURE)
    relative = [Path("features/prices.feature")]
    before = killers.scenario_names(tmp_path, relative)
    row = next(line for line, name in before.items() if name.endswith("A price of 0 is refused"))
    kept = killers.named({MUTANT: "features/prices.feature:2", OTHER: row}, before)
    assert kept == {
        MUTANT: "features/prices.feature::A price is shown",
        OTHER: "features/prices.feature::A price of 0 is refused",
    }
    feature.write_text(ADDED_ABOVE)
    after = killers.scenario_names(tmp_path, relative)
    now = killers.located(kept, after)
    lines = ADDED_ABOVE.splitlines()
    assert lines[int(now[MUTANT].rsplit(":", 1)[1]) - 1].strip() == "Scenario: A price is shown"
    assert lines[int(now[OTHER].rsplit(":", 1)[1]) - 1].strip() == "| 0      |"


def test_a_killer_whose_scenario_is_gone_is_dropped_and_an_old_line_is_kept() -> None:
    names = {"features/a.feature:4": "features/a.feature::Kept"}
    known = {MUTANT: "features/a.feature::Renamed since", OTHER: "features/a.feature:9"}
    assert killers.located(known, names) == {OTHER: "features/a.feature:9"}


def test_a_mutant_no_run_killed_tries_first_what_killed_its_statements_other_mutants() -> None:
    covering = {
        MUTANT: ["features/a.feature:3", "features/b.feature:9"],
        OTHER: ["features/a.feature:3", "features/b.feature:9"],  # the same statement
        "app/shop/prices.py|core/AddNot|2": ["features/a.feature:3", "features/b.feature:9"],
        "app/shop/prices.py|core/AddNot|3": ["features/c.feature:4"],  # another statement
        "app/shop/prices.py|core/AddNot|4": None,  # run at start-up: every scenario
    }
    known = {
        OTHER: "features/b.feature:9",
        "app/shop/prices.py|core/AddNot|2": "features/b.feature:9",
        "app/shop/prices.py|core/AddNot|3": "features/c.feature:4",
        "app/shop/prices.py|core/AddNot|4": "features/a.feature:3",
    }
    assert killers.of_siblings([MUTANT], covering, known) == ["features/b.feature:9"]
    # a statement run at start-up has no siblings to learn from; a lone statement neither
    assert killers.of_siblings(["app/shop/prices.py|core/AddNot|4"], covering, known) == []
    assert killers.of_siblings(["app/shop/prices.py|core/AddNot|3"], covering, known) == []
