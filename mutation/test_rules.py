"""Checks of the mutation run's own logic: `.venv/bin/pytest mutation` (seconds, nothing run).

Not in `make test` (pytest's testpaths is tests/): they guard mutation/, which only
`make mutation` uses.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from report import previous_whys, survivor_key  # noqa: E402
from rules import (  # noqa: E402
    ConfigError,
    UnappliableError,
    annotation_spans,
    canonical,
    changed_lines,
    check_every_module_accounted,
    describe,
    load_config,
    unaccounted_modules,
)


@pytest.mark.parametrize(
    ("mutant", "same_as"),
    [
        ("if not not rows:\n    pass\n", "if rows:\n    pass\n"),
        ("if not a == b:\n    pass\n", "if a != b:\n    pass\n"),
        ("if not x is None:\n    pass\n", "if x is not None:\n    pass\n"),
        ("y = 1 if not not c else 2\n", "y = 1 if c else 2\n"),
        ("if not not a or b:\n    pass\n", "if a or b:\n    pass\n"),
    ],
)
def test_a_condition_negated_twice_or_flipped_is_the_same_program(mutant, same_as) -> None:
    assert canonical(mutant) == canonical(same_as)


def test_a_value_is_not_a_condition() -> None:
    # `not not x` is a bool, x may not be: outside a condition they differ
    assert canonical("y = not not x\n") != canonical("y = x\n")
    assert canonical("if not a < b:\n    pass\n") != canonical("if a >= b:\n    pass\n")


def test_annotations_are_found_where_they_are() -> None:
    source = "def f(a: int | None, *, b: str | None = None) -> str | None:\n    x: A | B = 1\n"
    spans = annotation_spans(source)
    assert (1, 9, 1, 19) in spans  # int | None
    assert (1, 49, 1, 59) in spans  # the return annotation
    assert (2, 7, 2, 12) in spans  # A | B


def test_a_mutant_that_is_not_python_cannot_be_tested() -> None:
    """cosmic-ray takes the `*` that ends positional arguments for a product: `*` to `^` is no
    Python; counted as a tool bug, not as a mutant the suite killed by failing to import it."""
    import attrs
    from cosmic_ray.work_item import MutationSpec

    source = "def f(a, *, b):\n    return a * b\n"
    spec = MutationSpec(
        module_path=Path("m.py"),
        operator_name="core/ReplaceBinaryOperator_Mul_BitXor",
        occurrence=0,
        start_pos=(1, 9),
        end_pos=(1, 10),
    )
    with pytest.raises(UnappliableError, match="not Python"):
        describe(spec, "job", source)
    product = attrs.evolve(spec, occurrence=1)
    mutant, mutated = describe(product, "job", source)
    assert mutant.after == "return a ^ b"


def test_changed_lines_ignore_blank_ones() -> None:
    before = "@dataclass\nclass A:\n    pass\n"
    after = "\nclass A:\n    pass\n"
    assert changed_lines(before, after) == ("@dataclass", "")


def test_every_product_config_loads_and_every_rule_says_why() -> None:
    for path in HERE.glob("*.toml"):
        config = load_config(path, path.stem)
        assert config.modules
        for rule in (*config.operators_not_used, *config.exclusions):
            assert rule.why and "\n" not in rule.why
        for module in config.modules:
            assert (HERE.parent / module).is_file(), f"{path.name}: no {module}"
        assert unaccounted_modules(config, HERE.parent) == [], path.name


def test_a_module_neither_mutated_nor_left_out_is_named(tmp_path) -> None:
    package = tmp_path / "app" / "shop"
    (package / "routes").mkdir(parents=True)
    for name in ("__init__.py", "prices.py", "refunds.py", "routes/cart.py"):
        (package / name).write_text("")
    config = tmp_path / "shop.toml"
    config.write_text(
        '[cosmic-ray]\nmodule-path = ["app/shop/prices.py"]\n[mutation]\n'
        '[mutation.modules-left-out]\n"app/shop/__init__.py" = "a docstring"\n'
        '"app/shop/routes/" = "HTTP plumbing"\n'
    )
    loaded = load_config(config, "shop")
    assert unaccounted_modules(loaded, tmp_path) == ["app/shop/refunds.py"]
    with pytest.raises(ConfigError, match=r"shop\.toml: app/shop/refunds\.py neither"):
        check_every_module_accounted(loaded, tmp_path)


def test_a_rule_without_a_reason_is_refused(tmp_path) -> None:
    config = tmp_path / "x.toml"
    config.write_text(
        '[cosmic-ray]\nmodule-path = ["a.py"]\n[mutation]\n'
        '[[mutation.exclude]]\noperators = "AddNot"\n'
    )
    with pytest.raises(ConfigError, match="one-line `why`"):
        load_config(config, "x")


def test_a_survivor_keeps_the_why_a_person_wrote(tmp_path) -> None:
    result = tmp_path / "x-result.md"
    result.write_text(
        "## Survivors\n\n"
        "| module | line | function | operator | change | why |\n"
        "| --- | ---: | --- | --- | --- | --- |\n"
        "| app/x.py | 3 | f | AddNot | `if a \\| b:` → `if not a \\| b:` | no scenario |\n"
        "## Excluded\n"
    )
    whys = previous_whys(result)
    key = survivor_key("app/x.py", "AddNot", "`if a \\| b:` → `if not a \\| b:`")
    assert whys == {key: "no scenario"}


def test_a_module_with_kills_tries_its_killing_scenarios_first_then_everything(tmp_path) -> None:
    from worker import KillLog, counts_of, first_failing_scenario, plan_command

    kills = KillLog(tmp_path / "kills.jsonl")
    output = "x\nFailing scenarios:\n  features/c.feature:12  A rule\n  features/a.feature:3  B\n"
    kills.add({"app/x.py"}, first_failing_scenario(output))
    command = "python -m behave features/a.feature features/b.feature features/c.feature --stop"

    assert plan_command(command, counts_of(kills.read(), {"app/other.py"})) == command
    planned = plan_command(command, counts_of(kills.read(), {"app/x.py"}))
    assert planned == (
        "/bin/sh -c 'python -m behave features/c.feature:12 --stop && "
        "python -m behave features/c.feature features/a.feature features/b.feature --stop'"
    )
    # the shell dies with the worker, as the command it replaces would have
    wrapped = plan_command(
        f"/usr/bin/setpriv --pdeathsig TERM -- {command}", counts_of(kills.read(), {"app/x.py"})
    )
    assert wrapped.startswith("/usr/bin/setpriv --pdeathsig TERM -- /bin/sh -c ")


def test_the_failing_scenario_is_found_in_a_log_of_several_workers() -> None:
    from worker import first_failing_scenario

    log = (
        "w1| ..F\nw2| ....\nw1| Failing scenarios:\nw2| 1 feature passed\n"
        "w1|   features/b.feature:7  Refused\nw1| \nw2| Failing scenarios:\n"
        "w2|   features/a.feature:3  Other\n"
    )
    assert first_failing_scenario(log) == "features/b.feature:7"


def test_the_run_suite_command_keeps_its_options_when_replanned(tmp_path) -> None:
    from worker import KillLog, counts_of, plan_command

    kills = KillLog(tmp_path / "kills.jsonl")
    kills.add({"app/x.py"}, "features/b.feature:7")
    command = (
        "python -m harness.run_suite --workers 2 --log reports/m.log -- "
        "features/a.feature features/b.feature --stop -D tracing=off"
    )
    assert plan_command(command, counts_of(kills.read(), {"app/x.py"})) == (
        "/bin/sh -c 'python -m harness.run_suite --workers 1 --log reports/m.log -- "
        "features/b.feature:7 --stop -D tracing=off && "
        "python -m harness.run_suite --workers 2 --log reports/m.log -- "
        "features/b.feature features/a.feature --stop -D tracing=off'"
    )


def test_no_failing_scenario_in_output_is_no_kill() -> None:
    from worker import first_failing_scenario

    assert first_failing_scenario("features/b.feature:3 before any summary") is None
    assert first_failing_scenario("Failing scenarios:\n") is None


def test_the_exec_launcher_gives_the_distributor_no_total_time_limit():
    """A mutant whose run is longer than aiohttp's default 300 s must reach the worker's own
    time-out, not be cut off by the client that sent it (mutation/exec.py)."""
    import asyncio
    import runpy

    import aiohttp

    runpy.run_path(str(HERE / "exec.py"), run_name="not_main")

    async def default_timeout() -> aiohttp.ClientTimeout:
        async with aiohttp.ClientSession() as session:
            return session.timeout

    timeout = asyncio.run(default_timeout())
    assert timeout.total is None
    assert timeout.sock_connect == 30


def test_two_lines_that_read_the_same_are_told_apart_by_the_line_before() -> None:
    from rules import Mutant, Rule

    rule = Rule(
        why="a race", line=re.compile("return decision, False"), follows=re.compile("token is None")
    )
    raced = Mutant("1", "app/m.py", "ReplaceFalseWithTrue", 9, "f", "return decision, False")
    raced.previous = "if token is None:"
    refused = Mutant("2", "app/m.py", "ReplaceFalseWithTrue", 6, "f", "return decision, False")
    refused.previous = "if not decision.accepted:"
    assert rule.matches(raced, None, set())
    assert not rule.matches(refused, None, set())
