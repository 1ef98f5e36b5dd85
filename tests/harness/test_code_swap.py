"""harness/code_swap.py: a running app takes a changed function body without a restart (the
function as every holder of it sees it: a route, a decorator, a class), and anything it cannot
take so is answered "restart", never half put in."""

from __future__ import annotations

import importlib
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.app_gate import clear_caches
from harness.code_swap import CodeSwapper, MustRestart, ask, serve

PACKAGE = "swapdemo"

RULES = """
from functools import lru_cache

LIMIT = 10

registered = []


def register(function):
    registered.append(function)
    return function


@register
def allowed(amount):
    return amount <= LIMIT


@lru_cache
def fee(amount):
    return amount * 2


class Plan:
    def price(self, months):
        return months * 5

    @staticmethod
    def currency():
        return "USD"

    @property
    def name(self):
        return "basic"

    @name.setter
    def name(self, value):
        self._name = value


def outer(n):
    def inner():
        return n + 1
    return inner()


def make_handler(label):
    def handler(amount):
        return f"{label}: {amount + 1}"
    return handler


HANDLER = make_handler("fee")  # made at import, as a route's handler is at start-up


def hold(entered, leave):
    entered.set()
    leave.wait(5)
"""


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / PACKAGE
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "rules.py").write_text(textwrap.dedent(RULES))
    sys.path.insert(0, str(tmp_path))
    try:
        yield folder / "rules.py"
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def loaded(source: Path):
    rules = importlib.import_module(f"{PACKAGE}.rules")
    swapper = CodeSwapper(PACKAGE, clear_caches)
    swapper.remember()
    return rules, swapper


def edit(source: Path, old: str, new: str) -> None:
    text = source.read_text()
    assert text.count(old) == 1, old
    source.write_text(text.replace(old, new))


def test_a_changed_body_is_what_every_holder_of_the_function_runs(package: Path) -> None:
    rules, swapper = loaded(package)
    held_by_a_route = rules.registered[0]
    assert held_by_a_route(10)
    edit(package, "return amount <= LIMIT", "return amount < LIMIT")
    assert swapper.swap() == [f"{PACKAGE}.rules.allowed"]
    assert not held_by_a_route(10) and not rules.allowed(10)
    edit(package, "return amount < LIMIT", "return amount <= LIMIT")  # the file put back
    assert swapper.swap() == [f"{PACKAGE}.rules.allowed"]
    assert held_by_a_route(10)


def test_methods_cached_functions_and_nested_functions_are_swapped(package: Path) -> None:
    rules, swapper = loaded(package)
    assert rules.fee(3) == 6  # cached now
    edit(package, "return amount * 2", "return amount / 2")
    edit(package, "return months * 5", "return months * 6")
    edit(package, 'return "USD"', 'return "EUR"')
    edit(package, "return n + 1", "return n - 1")
    swapped = swapper.swap()
    assert len(swapped) == 4, swapped
    assert rules.fee(3) == 1.5  # the cache was emptied
    assert rules.Plan().price(2) == 12
    assert rules.Plan.currency() == "EUR"
    assert rules.outer(5) == 4


def test_a_function_made_inside_another_before_the_swap_runs_the_new_code(
    package: Path,
) -> None:
    rules, swapper = loaded(package)
    assert rules.HANDLER(1) == "fee: 2"
    edit(package, 'return f"{label}: {amount + 1}"', 'return f"{label}: {amount - 1}"')
    swapper.swap()
    assert rules.HANDLER(1) == "fee: 0"  # the one made at import
    assert rules.make_handler("tax")(1) == "tax: 0"  # and one made now


def test_an_unchanged_tree_swaps_nothing(package: Path) -> None:
    _, swapper = loaded(package)
    assert swapper.swap() == []


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ("LIMIT = 10", "LIMIT = 11", "outside a function's body"),
        ("def allowed(amount):", "def allowed(amount=1):", "outside a function's body"),
        ("@lru_cache\n", "\n", "outside a function's body"),
        ('return "basic"', 'return "pro"', "not found once"),  # a getter beside its setter
    ],
)
def test_what_a_swap_cannot_take_asks_for_a_restart_and_changes_nothing(
    package: Path, old: str, new: str, why: str
) -> None:
    rules, swapper = loaded(package)
    edit(package, "return months * 5", "return months * 6")  # takeable, but not alone
    edit(package, old, new)
    with pytest.raises(MustRestart, match=why):
        swapper.swap()
    assert rules.Plan().price(2) == 10  # nothing of the change went in


def test_a_thread_still_in_the_package_asks_for_a_restart(package: Path) -> None:
    rules, swapper = loaded(package)
    inside, leave = threading.Event(), threading.Event()
    edit(package, "return months * 5", "return months * 6")
    worker = threading.Thread(target=rules.hold, args=(inside, leave))
    worker.start()
    try:
        assert inside.wait(5), "the thread did not start"
        with pytest.raises(MustRestart, match="a thread of the app is still in hold"):
            swapper.swap()
    finally:
        leave.set()
        worker.join(5)


def test_before_the_sources_are_noted_it_asks_for_a_restart(package: Path) -> None:
    importlib.import_module(f"{PACKAGE}.rules")
    with pytest.raises(MustRestart, match="not noted"):
        CodeSwapper(PACKAGE, clear_caches).swap()


def test_the_socket_answers_remember_then_swap(package: Path, tmp_path: Path) -> None:
    rules = importlib.import_module(f"{PACKAGE}.rules")
    folder = tmp_path / "swap"
    folder.mkdir()
    serve(str(folder), PACKAGE, "8123", clear_caches)
    assert ask(folder, 8123, "remember", 5) == {"remembered": 2}
    edit(package, "return amount <= LIMIT", "return amount < LIMIT")
    assert ask(folder, 8123, "swap", 5) == {"swapped": [f"{PACKAGE}.rules.allowed"]}
    assert not rules.allowed(10)
    assert "did not answer" in ask(folder, 8124, "swap", 5)["restart"]
