"""Copy a Spanwright scenario folder into a feature's fixture folder of the suite's layout.

    python -m spanner.spanwright_import <scenario folder> <feature fixture folder>

<scenario>/fixtures/<name>-db/<Table>.yml  ->  <feature>/<name>/<Table>.yml
<scenario>/expected-<name>.yaml            ->  <feature>/expected/expected-<name>.yaml

Files are copied as they are (testfixtures' RAW= and 0x values and both spalidate shapes are
read natively); `<name>` may be a database's name or alias (primary, secondary). The scenario's
Playwright tests (tests/) are not copied. Nothing is overwritten: a file already in the feature
folder stops the copy before anything is written.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from spanner.fixture_layout import (
    EXPECTED,
    SPANWRIGHT_DB_SUFFIX,
    SPANWRIGHT_FIXTURES,
    database_folders,
)

TABLE_SUFFIXES = (".yml", ".yaml")


class SpanwrightImportError(ValueError):
    """The scenario folder is not one Spanwright writes, or the copy would overwrite a file."""


def plan(scenario: Path, feature: Path) -> list[tuple[Path, Path]]:
    """Every (source, target) pair of the copy; raises before anything is written."""
    fixtures = scenario / SPANWRIGHT_FIXTURES
    if not scenario.is_dir():
        raise SpanwrightImportError(f"{scenario}: no such folder")
    if not fixtures.is_dir():
        raise SpanwrightImportError(
            f"{scenario}: no fixtures/ folder; a Spanwright scenario holds "
            "fixtures/<database>-db/<Table>.yml and expected-<database>.yaml"
        )
    pairs = []
    for folder in database_folders(scenario):
        database = folder.name.removesuffix(SPANWRIGHT_DB_SUFFIX)
        for table in sorted(folder.iterdir()):
            if table.suffix in TABLE_SUFFIXES:
                pairs.append((table, feature / database / table.name))
    for expected in sorted(scenario.glob("expected-*.y*ml")):
        pairs.append((expected, feature / EXPECTED / expected.name))
    if not pairs:
        raise SpanwrightImportError(
            f"{scenario}: no table files under fixtures/ and no expected-*.yaml"
        )
    existing = [str(target) for _, target in pairs if target.exists()]
    if existing:
        raise SpanwrightImportError(
            "would overwrite " + ", ".join(existing) + "; remove them or choose another folder"
        )
    return pairs


def copy(scenario: Path, feature: Path) -> list[Path]:
    written = []
    for source, target in plan(scenario, feature):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m spanner.spanwright_import",
        description="Copy a Spanwright scenario folder into a feature's fixture folder.",
    )
    parser.add_argument("scenario", type=Path, help="the scenario folder (scenarios/<name>)")
    parser.add_argument("feature", type=Path, help="the feature's folder (fixtures/<feature>)")
    args = parser.parse_args(argv)
    try:
        written = copy(args.scenario, args.feature)
    except SpanwrightImportError as error:
        print(f"spanwright_import: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    for path in written:
        if path.parent.name == EXPECTED:
            database = path.stem.removeprefix("expected-")
            print(f'check with: Then the {database} database matches "{EXPECTED}/{path.name}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
