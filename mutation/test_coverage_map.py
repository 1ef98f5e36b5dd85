"""mutation/coverage_map.py and the worker's plan: a mutant runs the scenarios that reach its
statement, every scenario for a statement run at start-up, none for one no scenario runs."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from coverage import CoverageData  # noqa: E402
from coverage_map import mutant_key, read  # noqa: E402
from worker import (  # noqa: E402
    NOT_REACHED,
    plan_command,
    quickest_killers_first,
    reaching,
    scenario_order,
)

MODULE = "app/shop/prices.py"
SOURCE = """\
LIMIT = 10


def price(amount):
    if (amount
            > LIMIT):
        return amount * 2
    return amount


def never():
    return 0
"""
COMMAND = (
    "python -m harness.run_suite --workers 2 -- features/a.feature features/b.feature "
    "--stop -D tracing=off"
)


def measured_tree(tmp_path: Path) -> tuple[Path, Path]:
    tree = tmp_path / "tree"
    (tree / "app" / "shop").mkdir(parents=True)
    module = tree / MODULE
    module.write_text(SOURCE)
    data = CoverageData(basename=str(tmp_path / "app.shop.coverage"))
    data.set_context("")  # imports: the constant, the def lines
    data.add_lines({str(module): [1, 4, 11]})
    data.set_context("features/b.feature:7")
    data.add_lines({str(module): [5, 6, 7]})
    data.set_context("features/a.feature:12")
    data.add_lines({str(module): [5, 6, 8]})
    data.write()
    return tree, tmp_path / "app.shop.coverage"


def test_a_statement_is_reached_by_the_scenarios_that_ran_it(tmp_path: Path) -> None:
    tree, data = measured_tree(tmp_path)
    found = read([data], tree)
    assert found.covering(tree, MODULE, 7) == ["features/b.feature:7"]
    # the second line of a statement counts as the statement
    assert found.covering(tree, MODULE, 6) == ["features/a.feature:12", "features/b.feature:7"]
    # run at start-up, a constant read only in price(): the scenarios that ran that read
    assert found.covering(tree, MODULE, 1) == ["features/a.feature:12", "features/b.feature:7"]
    assert found.covering(tree, MODULE, 4) is None  # a def line, run at start-up: every scenario
    assert found.covering(tree, MODULE, 12) == []  # never run
    assert found.covering(tree, "app/shop/other.py", 3) == []  # not measured


def test_a_statement_run_at_start_up_is_put_into_the_apps_by_a_restart(tmp_path: Path) -> None:
    tree, data = measured_tree(tmp_path)
    found = read([data], tree)
    # its constant and def lines ran at start-up: what they made then is made again only so
    assert found.runs_outside_scenarios(tree, MODULE, 1)
    assert found.runs_outside_scenarios(tree, MODULE, 4)
    # a body run only by scenarios can be swapped into the running app
    assert not found.runs_outside_scenarios(tree, MODULE, 7)
    assert not found.runs_outside_scenarios(tree, MODULE, 12)
    assert not found.runs_outside_scenarios(tree, "app/shop/other.py", 3)


def test_a_mutant_runs_only_the_scenarios_that_reach_it_killing_ones_first() -> None:
    covering = ["features/b.feature:7", "features/a.feature:30", "features/a.feature:12"]
    command = plan_command(COMMAND, Counter(), covering)
    assert shlex.split(command) == shlex.split(
        "python -m harness.run_suite --workers 2 -- features/a.feature:12 features/a.feature:30 "
        "features/b.feature:7 --stop -D tracing=off"
    )
    killed = plan_command(COMMAND, Counter({"features/b.feature:7": 2}), covering)
    assert shlex.split(killed) == [
        "/bin/sh", "-c",
        "python -m harness.run_suite --workers 1 -- features/b.feature:7 --stop -D tracing=off && "
        "python -m harness.run_suite --workers 2 -- features/b.feature:7 features/a.feature:12 "
        "features/a.feature:30 --stop -D tracing=off",
    ]  # fmt: skip


def test_a_mutant_no_scenario_reaches_survives_and_says_why() -> None:
    command = plan_command(COMMAND, Counter({"features/a.feature:12": 1}), [])
    done = subprocess.run(shlex.split(command), capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stdout.strip() == NOT_REACHED


def test_every_scenario_where_a_statement_ran_at_start_up_or_is_unknown() -> None:
    one = {"module_path": MODULE, "operator": "core/NumberReplacer", "occurrence": 0}
    two = {"module_path": MODULE, "operator": "core/AddNot", "occurrence": 1}
    covering = {
        mutant_key(MODULE, "core/NumberReplacer", 0): None,
        mutant_key(MODULE, "core/AddNot", 1): ["features/a.feature:12"],
    }
    assert reaching(covering, [one]) is None
    assert reaching(covering, [two]) == ["features/a.feature:12"]
    assert reaching({}, [two]) is None  # unknown: every scenario, as without coverage
    assert plan_command(COMMAND, Counter(), None) == COMMAND


READER = "app/shop/labels.py"
READER_SOURCE = """\
from app.shop.prices import LIMIT as CAP, RATE


def label():
    return f"up to {CAP}"


def banner(rate=RATE):
    return rate
"""


def reader_tree(tmp_path: Path, prices: str) -> tuple[Path, Path]:
    """A package whose labels.py reads prices.py's constants; label() ran in c.feature:3."""
    tree = tmp_path / "tree"
    (tree / "app" / "shop").mkdir(parents=True)
    (tree / MODULE).write_text(prices)
    reader = tree / READER
    reader.write_text(READER_SOURCE)
    data = CoverageData(basename=str(tmp_path / "app.shop.coverage"))
    data.set_context("")
    data.add_lines({str(tree / MODULE): [1, 2, 3], str(reader): [1, 4, 8]})
    data.set_context("features/c.feature:3")
    data.add_lines({str(reader): [5]})
    data.write()
    return tree, tmp_path / "app.shop.coverage"


def test_a_constant_counts_the_scenarios_that_read_it_in_other_modules_too(
    tmp_path: Path,
) -> None:
    tree, data = reader_tree(tmp_path, "LIMIT = 10\nRATE = 2\nUNUSED: int = 3\n")
    found = read([data], tree)
    assert found.covering(tree, MODULE, 1) == ["features/c.feature:3"]  # read by label()
    assert found.covering(tree, MODULE, 2) is None  # read in a default, at import
    assert found.covering(tree, MODULE, 3) == []  # read nowhere: no scenario can tell


def test_a_constant_read_at_import_is_every_scenario(tmp_path: Path) -> None:
    tree, data = reader_tree(tmp_path, "LIMIT = 10\nRATE = 2\nTWICE = LIMIT * 2\n")
    assert read([data], tree).covering(tree, MODULE, 1) is None


def test_the_quickest_likely_killer_runs_first() -> None:
    kills = Counter({"a.feature:1": 2, "b.feature:2": 1})
    durations = {"a.feature:1": 20.0, "b.feature:2": 2.0, "c.feature:3": 1.0, "d.feature:4": 5.0}
    asked = ["d.feature:4", "c.feature:3", "b.feature:2", "a.feature:1"]
    assert quickest_killers_first(asked, kills, durations) == [
        "b.feature:2",  # one kill in 2 s
        "a.feature:1",  # two kills in 20 s
        "c.feature:3",  # no kill yet: the quickest first
        "d.feature:4",
    ]


def test_the_kept_behave_is_asked_for_the_same_scenarios_in_kill_first_order() -> None:
    kills = Counter({"features/b.feature:7": 1})
    assert scenario_order(COMMAND, kills, []) is None  # none reaches it: nothing to ask
    covering = ["features/a.feature:12", "features/b.feature:7"]
    assert scenario_order(COMMAND, kills, covering) == covering[::-1]
    every = scenario_order(COMMAND, kills, None, in_module=["features/a.feature:12"])
    assert every == [
        "features/b.feature:7",  # killed this module's mutants
        "features/a.feature:12",  # runs the module's code
        "features/b.feature",  # then every scenario, the killing feature first
        "features/a.feature",
    ]


def test_a_statement_lost_by_the_tracer_runs_the_scenarios_of_its_function(
    tmp_path: Path,
) -> None:
    """Python 3.11 loses a coroutine's lines after it is resumed by a thrown exception: a
    statement of a function other scenarios ran is run with those, not left for dead."""
    tree = tmp_path / "tree"
    (tree / "app" / "shop").mkdir(parents=True)
    module = tree / MODULE
    module.write_text(SOURCE)
    data = CoverageData(basename=str(tmp_path / "app.shop.coverage"))
    data.set_context("")
    data.add_lines({str(module): [1, 4, 11]})
    data.set_context("features/b.feature:7")
    data.add_lines({str(module): [5, 6]})  # line 7, `return amount * 2`, ran but was lost
    data.write()
    found = read([tmp_path / "app.shop.coverage"], tree)
    assert found.covering(tree, MODULE, 7) == ["features/b.feature:7"]
    assert found.covering(tree, MODULE, 12) == []  # never(): no scenario entered it
