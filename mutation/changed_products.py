"""`python3 mutation/changed_products.py --base REF`: the products whose mutation run a change
touches, as a JSON list (`["academy", "saas"]`), for the pull-request job's matrix.

The changed files are `git diff --name-only REF...HEAD` (what the branch changed since it left
REF). A product is touched by a file of its own (app/<p>/, steps/<p>/, pages/<p>/,
fixtures/common/<p>/, mutation/<p>.toml), by a feature file tagged @product.<p> or that
feature's fixtures folder (fixtures/<feature name>/). A file every product's run uses
(mutation/*.py, features/ files that are not a feature, other fixtures, a feature file deleted)
touches every product.

Standard library only: the job that runs it has no virtualenv yet. Exit code 2 when git fails.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_PRODUCT_TAG = re.compile(r"@product\.(\w+)")


def known_products(repo: Path) -> set[str]:
    """The products with a mutation run: mutation/<p>.toml and app/<p>/."""
    return {
        path.stem
        for path in (repo / "mutation").glob("*.toml")
        if (repo / "app" / path.stem).is_dir()
    }


def feature_product(feature: Path) -> str | None:
    """The product a feature file's tags name (the tag lines above `Feature:`)."""
    for line in feature.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("Feature:"):
            return None
        match = _PRODUCT_TAG.search(stripped) if stripped.startswith("@") else None
        if match:
            return match.group(1)
    return None


def touched(path: str, repo: Path, products: set[str]) -> set[str]:
    """The products one changed file (a path from the repository root) touches."""
    parts = Path(path).parts
    if len(parts) < 2:
        return set()
    top, second = parts[0], parts[1]
    if top in ("app", "steps", "pages"):
        return {second} & products
    if top == "mutation":
        name = Path(second)
        if name.suffix == ".toml" or name.name.endswith("-result.md"):
            return {name.name.split("-result.md")[0].removesuffix(".toml")} & products
        return set(products)
    if top == "features":
        if len(parts) == 2 and second.endswith(".feature"):
            feature = repo / path
            if not feature.is_file():  # deleted: which product lost it is not known here
                return set(products)
            product = feature_product(feature)
            return {product} & products if product else set()
        return set(products)
    if top == "fixtures":
        if second == "common" and len(parts) > 3 and parts[2] in products:
            return {parts[2]}  # fixtures/common/<p>/: the baseline of one product
        feature = repo / "features" / f"{second}.feature"
        if feature.is_file():
            product = feature_product(feature)
            return {product} & products if product else set()
        return set(products)
    return set()


def changed_products(paths: Iterable[str], repo: Path = REPO) -> list[str]:
    products = known_products(repo)
    found: set[str] = set()
    for path in paths:
        if path.strip():
            found |= touched(path.strip(), repo, products)
    return sorted(found)


def changed_files(base: str, repo: Path = REPO) -> list[str]:
    result = subprocess.run(
        ["git", "-C", str(repo), "diff", "--name-only", f"{base}...HEAD"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise RuntimeError(f"git diff --name-only {base}...HEAD: {result.stderr.strip()}")
    return result.stdout.splitlines()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="mutation/changed_products.py", description=__doc__)
    parser.add_argument("--base", required=True, help="the branch the change goes into")
    args = parser.parse_args(argv)
    try:
        files = changed_files(args.base)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        print(f"changed_products: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(changed_products(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
