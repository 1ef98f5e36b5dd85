"""The house rules of the layout: no import cycle between top-level packages, and the generic
packages know no product (read from the imports and the tokens, not grepped by hand)."""

from __future__ import annotations

import ast
import re
import tokenize
from pathlib import Path

import pytest

from products import PRODUCTS

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("base", "spanner", "harness", "products", "pages", "queries", "steps", "app")
GENERIC = ("base", "spanner", "harness")
# what each generic package may import from the others
ALLOWED = {"base": set(), "spanner": {"base"}, "harness": {"base", "spanner"}}


def python_files(package: str) -> list[Path]:
    return sorted(path for path in (REPO / package).rglob("*.py") if ".venv" not in path.parts)


def imported_packages(path: Path) -> set[str]:
    """The top-level packages of this project that a module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


def package_graph() -> dict[str, set[str]]:
    graph = {}
    for package in PACKAGES:
        uses = set().union(*(imported_packages(path) for path in python_files(package)))
        graph[package] = uses - {package}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "visiting"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "visiting":
                return [*path[path.index(target) :], target] if target in path else [target]
            if target not in state and (cycle := visit(target, [*path, target])):
                return cycle
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node, [node])):
            return cycle
    return None


def test_the_graph_reader_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_between_top_level_packages() -> None:
    graph = package_graph()
    assert find_cycle(graph) is None, f"import cycle: {' -> '.join(find_cycle(graph))}"


@pytest.mark.parametrize("package", GENERIC)
def test_generic_packages_import_only_the_layers_below(package: str) -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(imported_packages(path) - ALLOWED[package] - {package})
        for path in python_files(package)
    }
    offenders = {path: uses for path, uses in offenders.items() if uses}
    assert not offenders, f"{package}/ may import only {sorted(ALLOWED[package])}: {offenders}"


def product_words() -> set[str]:
    words = set()
    for product in PRODUCTS:
        words.update({product.name, *product.databases, *product.aliases})
    return {word.lower() for word in words}


def words_in(path: Path) -> set[str]:
    """Every word in the module's names, strings and comments, lower-cased."""
    found = set()
    with open(path, encoding="utf-8") as source:
        for token in tokenize.generate_tokens(source.readline):
            if token.type in (tokenize.NAME, tokenize.STRING, tokenize.COMMENT):
                found.update(re.findall(r"[a-z0-9_]+", token.string.lower()))
    return found


@pytest.mark.parametrize("package", GENERIC)
def test_generic_packages_name_no_product(package: str) -> None:
    banned = product_words()
    assert banned, "no product declared"
    offenders = {
        str(path.relative_to(REPO)): sorted(words_in(path) & banned)
        for path in python_files(package)
    }
    offenders = {path: words for path, words in offenders.items() if words}
    assert not offenders, f"product names in the generic {package}/: {offenders}"
