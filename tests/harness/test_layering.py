"""The house rules of the layout, as import-linter contracts (pyproject.toml [tool.importlinter],
run by `make lint`): the suite's layers (steps, then pages and queries, products, harness,
spanner, base), the reference apps and the suite apart, each product's packages apart from the
others', and no import cycle between modules or between the children of any package. These
tests run lint-imports on this tree, and on a copy of it with one rule broken to prove each
contract fails then, naming what broke it.

Beside the imports, the generic modules name no product in their code (see `names_used`).
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from products import PRODUCTS

REPO = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]
ROOT_PACKAGES: list[str] = CONFIG["root_packages"]
GENERIC = ("base", "spanner", "harness")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports over the packages of `tree`, with its pyproject.toml."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    env["COLUMNS"] = "200"  # rich's output otherwise wraps a long contract name
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_import_contracts_hold_on_this_tree() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, f"lint-imports:\n{result.stdout}{result.stderr}"
    assert " 0 broken" in result.stdout


def copy_of_the_tree(destination: Path) -> Path:
    """The root packages' Python files, pyproject.toml and our own contract, in `destination`."""
    for package in ROOT_PACKAGES:
        for source in (REPO / package).rglob("*.py"):
            target = destination / source.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    for name in ("pyproject.toml", "scripts/import_contracts.py"):
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, destination / name)
    return destination


# each way to break the house: the modules written into the copy, and what lint-imports says
BREAKAGES = {
    "an upward import": (
        {"base/upward.py": "import spanner.query\n"},
        ["The suite's layers", "base is not allowed to import spanner", "base.upward"],
    ),
    "a cycle between two modules": (
        {
            "harness/cycle_a.py": "from harness import cycle_b\n",
            "harness/cycle_b.py": "from harness import cycle_a\n",
        },
        [
            "No cycles are allowed in harness",
            "Import cycle: harness.cycle_a -> harness.cycle_b -> harness.cycle_a",
        ],
    ),
    "a cycle between a package and its own module": (
        {
            "spanner/__init__.py": "from spanner import loop\n",
            "spanner/loop.py": "import spanner\n",
        },
        ["No import cycle between modules", "Import cycle: spanner -> spanner.loop -> spanner"],
    ),
    "a cycle between two packages, without one between modules": (
        {"app/platform/upward.py": "import app.saas.product\n"},
        ["No cycles are allowed in app", "- .platform -> .saas (1 import)"],
    ),
    "a product that imports another's": (
        {"queries/saas/other.py": "import queries.clinic\n"},
        ["The SaaS platform's packages import no other product's", "queries.saas.other"],
    ),
    "an app that imports the suite": (
        {"app/saas/suite.py": "import harness.products\n"},
        ["The reference apps import nothing of the suite", "app.saas.suite"],
    ),
    "the suite importing an app": (
        {"harness/app_code.py": "import app.platform.db\n"},
        ["The suite imports nothing of the reference apps", "harness.app_code"],
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_broken_rule_breaks_its_contract(breakage: str, tmp_path: Path) -> None:
    modules, expected = BREAKAGES[breakage]
    tree = copy_of_the_tree(tmp_path)
    for name, text in modules.items():
        path = tree / name
        path.write_text(path.read_text(encoding="utf-8") + text if path.exists() else text)
    result = lint_imports(tree)
    output = result.stdout + result.stderr
    assert result.returncode == 1, f"lint-imports kept every contract with {breakage}:\n{output}"
    assert "BROKEN" in output
    for text in expected:
        assert text in output, f"{text!r} not in lint-imports' answer to {breakage}:\n{output}"


def test_the_module_cycle_reader_finds_a_cycle() -> None:
    spec = importlib.util.spec_from_file_location(
        "import_contracts", REPO / "scripts" / "import_contracts.py"
    )
    assert spec and spec.loader
    contracts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(contracts)
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e", "f"}}
    assert contracts.strongly_connected(edges) == [["a", "b", "c"]]
    assert contracts.strongly_connected({"a": {"b"}, "b": set()}) == []


def python_products() -> set[str]:
    """The products with code of their own: a package of that name in one of the layers."""
    names = {product.name for product in PRODUCTS}
    return {name for name in names if any((REPO / root / name).is_dir() for root in ROOT_PACKAGES)}


def test_every_product_with_code_has_its_contract_to_stay_apart() -> None:
    products = python_products()
    assert products, "no product with code"
    contracts = {
        tuple(contract["source_modules"]): set(contract["forbidden_modules"])
        for contract in CONFIG["contracts"]
        if contract["type"] == "forbidden"
    }
    for name in sorted(products):
        others = {f"*.{other}" for other in products - {name}}
        assert contracts.get((f"*.{name}",)) == others, (
            f"pyproject.toml: no contract that {name}'s packages (*.{name}) import none of "
            f"{sorted(others)}; add one as the other products have"
        )


def product_words() -> set[str]:
    words = set()
    for product in PRODUCTS:
        words.update({product.name, *product.databases, *product.aliases})
    return {word.lower() for word in words}


IDENTIFIER_LIKE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(?:[./][A-Za-z_][A-Za-z0-9_-]*)*")


def names_used(source: str) -> set[str]:
    """The names a module's code uses, lower-cased: every identifier (variables, functions,
    classes, arguments, attributes, keywords), every segment of a module it imports, and every
    string literal that is a name or a dotted or slashed path of names (`"users"`,
    `"app.saas"`, `"fixtures/clinic"`), split at its dots and slashes. Comments and prose
    (docstrings, messages: strings with a space) are not code: a database called `library`
    is not named by "the client library" in a comment."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.keyword) and node.arg:
            found.add(node.arg)
        elif isinstance(node, ast.alias):
            found.update(node.name.split("."))
            if node.asname:
                found.add(node.asname)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.update(node.module.split("."))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if IDENTIFIER_LIKE.fullmatch(node.value):
                found.update(re.split(r"[./]", node.value))
    return {name.lower() for name in found}


def test_names_used_are_code_not_prose() -> None:
    prose = '"""The client library."""\n# a library of books\nraise ValueError("no library here")\n'
    assert "library" not in names_used(prose)
    for code in (
        "library = 1\n",
        "def f(library): ...\n",
        "x.library\n",
        "from app.library import shelf\n",
        "import app.library.shelf\n",
        'open_database("library")\n',
        'import_module("app.library")\n',
        'Path("fixtures/library/books.yml")\n',
    ):
        assert "library" in names_used(code), code


def generic_modules(package: str) -> list[Path]:
    """The package's modules outside every product's own folder: all of base/, spanner/ and
    harness/; the generic steps, pages and queries (steps/database.py, pages/shared/, ...)."""
    products = python_products()
    return sorted(
        path
        for path in (REPO / package).rglob("*.py")
        if not products & set(path.relative_to(REPO / package).parts)
    )


@pytest.mark.parametrize("package", [*GENERIC, "steps", "pages", "queries"])
def test_generic_modules_name_no_product(package: str) -> None:
    banned = product_words()
    assert banned, "no product declared"
    offenders = {
        str(path.relative_to(REPO)): sorted(names_used(path.read_text(encoding="utf-8")) & banned)
        for path in generic_modules(package)
    }
    offenders = {path: words for path, words in offenders.items() if words}
    assert not offenders, f"product names in the code of the generic {package}/: {offenders}"
