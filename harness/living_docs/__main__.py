"""`python -m harness.living_docs`: write the living documentation page (docs/living-docs.md).

Exit status 0 when the page is written, even when some result or mutation files could not be
read: those are named on the page and here, and their scenarios show as not run, so one file cut
short by a killed run does not hide the status of every other scenario. 2 when the page cannot
be made at all: a results folder that does not exist, a feature that is not valid Gherkin or
names no declared product.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from harness.living_docs.mutation import read_mutation
from harness.living_docs.page import Run, render
from harness.living_docs.results import ResultsError, read_results
from harness.living_docs.specs import SpecError, read_products
from harness.products import REPO_ROOT, Product, ProductError


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m harness.living_docs",
        description="Write the living documentation page: products, features, rules and "
        "scenarios with their last status, and each product's mutation score.",
    )
    parser.add_argument(
        "--results",
        nargs="+",
        action="extend",
        type=Path,
        metavar="DIR",
        help="Allure results folders of the run (several: shards, retries); "
        "default reports/allure-results",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "reports" / "living-docs" / "index.html"
    )
    parser.add_argument("--features", type=Path, default=REPO_ROOT / "features")
    parser.add_argument("--mutation", type=Path, default=REPO_ROOT / "mutation")
    parser.add_argument(
        "--products-module",
        default="products",
        help="module whose PRODUCTS lists the product declarations (default: products)",
    )
    return parser.parse_args(argv)


def tree_commit(root: Path) -> str | None:
    """The project's commit, with `+changes` when the work tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "features"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head} (features changed since)" if changed else head or None


def declared(module_name: str) -> tuple[Product, ...]:
    """The product declarations (harness knows no product: it reads the module that lists them)."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SpecError(f"cannot import the products module {module_name!r}: {exc}") from None
    products = getattr(module, "PRODUCTS", None)
    if products is None:
        raise SpecError(f"the module {module_name!r} has no PRODUCTS list")
    return tuple(products)


def build(args: argparse.Namespace) -> tuple[str, list[str], str]:
    """The page, the problems met, and a one-line summary."""
    folders = args.results or [REPO_ROOT / "reports" / "allure-results"]
    products = read_products(args.features, declared(args.products_module), base=REPO_ROOT)
    cases = [case for product in products for case in product.cases()]
    results = read_results(cases, folders, base=REPO_ROOT)
    mutation = {p.name: read_mutation(args.mutation, p.name, base=REPO_ROOT) for p in products}
    run = Run(
        folders=tuple(str(folder) for folder in folders),
        tree_commit=tree_commit(REPO_ROOT),
        written=datetime.now(UTC),
    )
    problems = list(results.problems)
    for scores in mutation.values():
        problems.extend(scores.problems)
    matched = len(results.outcomes)
    summary = (
        f"{len(products)} products, {sum(len(p.features) for p in products)} features, "
        f"{len(cases)} scenarios ({matched} with a result, {len(cases) - matched} not run); "
        f"{results.files} result files, {len(results.unmatched)} results match no scenario"
    )
    return render(products, results, mutation, run), problems, summary


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        page, problems, summary = build(args)
    except (ResultsError, SpecError, ProductError) as exc:
        print(f"living docs: {exc}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8")
    for problem in problems:
        print(f"living docs: warning: {problem}", file=sys.stderr)
    print(f"living docs: {args.out}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
