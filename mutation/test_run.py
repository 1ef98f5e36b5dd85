"""mutation/run.py: the baseline, its unmutated scenarios shared out between the copies (one
--shard each, all at once; a failing shard fails the run and stops the others), and a re-run of
a result file's survivors only."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cosmic_ray.commands import init  # noqa: E402
from cosmic_ray.modules import find_modules  # noqa: E402
from cosmic_ray.work_db import use_db  # noqa: E402
from report import NOT_A_SURVIVOR, change_cell, previous_survivors, survivor_key  # noqa: E402
from rules import describe  # noqa: E402
from run import RunError, baseline, keep_survivors, sharded  # noqa: E402

# A stand-in for the test command: it writes its arguments where it runs, then exits with the
# code its copy's file `exit` holds; a copy whose file says "wait" waits until it is stopped
# (or, not stopped, ends by itself after WAIT_LIMIT seconds).
WAIT_LIMIT = 30
SHARD = f"""\
import pathlib, signal, sys
here = pathlib.Path.cwd()
(here / "args").write_text(" ".join(sys.argv[1:]))
code = (here / "exit").read_text()
if code == "wait":
    signal.alarm({WAIT_LIMIT})
    signal.pause()
sys.exit(int(code))
"""


def command(tmp_path: Path) -> list[str]:
    script = tmp_path / "shard.py"
    script.write_text(SHARD)
    # the script stands where harness.run_suite's module name would be
    return [sys.executable, str(script), "harness.run_suite", "--", "features/a.feature", "--stop"]


def copies(tmp_path: Path, exits: list[str]) -> list[Path]:
    made = []
    for index, code in enumerate(exits, 1):
        copy = tmp_path / f"worker-{index}"
        copy.mkdir()
        (copy / "exit").write_text(code)
        made.append(copy)
    return made


def test_the_shard_is_given_to_the_runner_not_to_behave_nor_to_setpriv() -> None:
    runner = ["python", "-m", "harness.run_suite", "--workers", "1"]
    given = sharded(["setpriv", "--pdeathsig", "TERM", "--", *runner, "--", "x.feature"], 2, 3)
    assert given == [
        *["setpriv", "--pdeathsig", "TERM", "--", *runner],
        *["--shard", "2/3", "--", "x.feature"],
    ]


def test_each_copy_runs_its_own_shard_at_once(tmp_path: Path) -> None:
    made = copies(tmp_path, ["0", "0"])
    wall, every_shard = baseline(command(tmp_path), made, [{}, {}], tmp_path / "logs")
    assert [(copy / "args").read_text() for copy in made] == [
        "harness.run_suite --shard 1/2 -- features/a.feature --stop",
        "harness.run_suite --shard 2/2 -- features/a.feature --stop",
    ]
    assert 0 < wall <= every_shard


def test_a_failing_shard_fails_the_baseline_and_stops_the_other(tmp_path: Path) -> None:
    made = copies(tmp_path, ["wait", "3"])
    started = time.monotonic()
    with pytest.raises(RunError) as raised:
        baseline(command(tmp_path), made, [{}, {}], tmp_path / "logs")
    assert time.monotonic() - started < WAIT_LIMIT / 2, "the waiting shard was not stopped"
    assert raised.value.code == 3
    assert "exit code 3" in str(raised.value)
    assert str(tmp_path / "logs" / "baseline-2.log") in str(raised.value)


def test_a_rerun_of_the_survivors_keeps_only_the_listed_mutants(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    module = Path("app/prices.py")
    module.parent.mkdir()
    module.write_text(
        "def price(amount):\n    if amount > 10:\n        return amount * 2\n    return 0\n"
    )
    with use_db(str(tmp_path / "session.sqlite")) as work_db:
        init(find_modules([module]), work_db, {})
        items = list(work_db.pending_work_items)
        chosen = next(i for i in items if i.mutations[0].operator_name.endswith("Gt_GtE"))
        mutant, _ = describe(chosen.mutations[0], chosen.job_id, module.read_text())
        result = tmp_path / "x-result.md"
        result.write_text(
            "## Survivors\n\n| module | line | function | operator | change | why |\n"
            "| --- | ---: | --- | --- | --- | --- |\n"
            f"| app/prices.py | 2 | price | {mutant.operator} | {change_cell(mutant)} |  |\n"
            "| app/prices.py | 9 | gone | AddNot | `x` → `not x` | it was |\n"
        )
        listed = previous_survivors(result)
        left_out, gone = keep_survivors(work_db, listed, tmp_path)

        assert [item.job_id for item in work_db.pending_work_items] == [chosen.job_id]
        assert left_out == len(items) - 1
        assert {r.output for _, r in work_db.completed_work_items} == {NOT_A_SURVIVOR}
        assert gone == [survivor_key("app/prices.py", "AddNot", "`x` → `not x`")]


def test_how_each_mutant_went_into_the_apps_is_counted_by_kind() -> None:
    from report import how_the_code_went_in

    swapped = "1 scenarios passed (the code put in (swapped) in 0.012 s, in all 1.2 s)"
    restarted = (
        "x\n1 scenarios run, the last one failed (the code put in (restarted: app.saas.plans "
        "changed outside a function's body) in 0.61 s, in all 2.0 s)"
    )
    assert how_the_code_went_in(swapped) == "swapped"
    assert how_the_code_went_in(restarted) == "restarted: changed outside a function's body"
    assert how_the_code_went_in("5 scenarios passed") is None
