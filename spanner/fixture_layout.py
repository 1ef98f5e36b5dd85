"""Where a product's fixtures live: the one place that turns a feature into folders.

<root>/common/<product>/<database>/<Table>.yaml    every feature of the product
<root>/<feature stem>/<database>/<Table>.yaml       one feature
<root>/<feature stem>/accounts.yaml                 sign-in details of seeded people
<root>/<feature stem>/expected/<name>.yaml          expected-state files
<root>/<feature stem>/files/<name>                  sample files steps hand to the app
<root>/<set>/<database>/<Table>.yaml                added by a @fixture.<set> tag

A database folder may carry one of the database's aliases, and Spanwright's `-db` suffix
(`primary-db/`). A feature folder may also be a Spanwright scenario folder as it is:

<scenario>/fixtures/<database>-db/<Table>.yml       its tables (other folders, e.g. tests/, ignored)
<scenario>/expected-<database>.yaml                 spalidate expected-state files

and a layout given `scenarios` (a Spanwright project's scenarios/ folder) finds a feature's
folder there when <root> has none of that name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

COMMON = "common"
EXPECTED = "expected"
FILES = "files"
# folders of a feature's fixtures that hold no database's tables
RESERVED_FOLDERS = (EXPECTED, FILES)
SPANWRIGHT_FIXTURES = "fixtures"
SPANWRIGHT_DB_SUFFIX = "-db"
EXPECTED_SUFFIXES = (".yaml", ".yml")


class FixtureLayoutError(ValueError):
    """A path in a feature names no file of its fixture folder."""


def database_folders(set_folder: Path) -> list[Path]:
    """The folders of a set that hold one database's tables each: <set>/<database>/, or in a
    Spanwright scenario only <set>/fixtures/<database>-db/."""
    spanwright = set_folder / SPANWRIGHT_FIXTURES
    parent = spanwright if spanwright.is_dir() else set_folder
    if not parent.is_dir():
        return []
    return sorted(
        child for child in parent.iterdir() if child.is_dir() and child.name not in RESERVED_FOLDERS
    )


def names_database(folder_name: str, names: Iterable[str]) -> bool:
    """Whether a database folder called `folder_name` is one of `names` (`users`, `users-db`)."""
    names = set(names)
    return folder_name in names or folder_name.removesuffix(SPANWRIGHT_DB_SUFFIX) in names


@dataclass(frozen=True)
class FixtureLayout:
    root: Path
    product: str
    scenarios: Path | None = None  # a Spanwright project's scenarios/ folder, searched second

    def common(self) -> Path:
        return self.root / COMMON / self.product

    def feature(self, feature_stem: str) -> Path:
        own = self.root / feature_stem
        if self.scenarios is not None and not own.is_dir():
            scenario = self.scenarios / feature_stem
            if scenario.is_dir():
                return scenario
        return own

    def tagged(self, set_name: str) -> Path:
        return self.root / set_name

    def baseline(self, feature_stem: str) -> tuple[Path, ...]:
        """The sets every scenario of the feature starts from: common, then the feature's."""
        return tuple(
            folder for folder in (self.common(), self.feature(feature_stem)) if folder.is_dir()
        )

    def accounts(self, feature_stem: str) -> Path:
        return self.feature(feature_stem) / "accounts.yaml"

    def sample_file(self, feature_stem: str, name: str) -> Path:
        return self.feature(feature_stem) / FILES / name

    def expected(self, feature_stem: str, relative: str) -> Path:
        """An expected-state file: `relative` to the feature's folder, or else the one file of
        that name anywhere under it (expected/after.yaml, expected-primary.yaml, ...)."""
        folder = self.feature(feature_stem)
        path = folder / relative
        if path.is_file():
            return path
        found = sorted(folder.rglob(Path(relative).name)) if folder.is_dir() else []
        if len(found) == 1:
            return found[0]
        if found:
            shown = ", ".join(str(p.relative_to(folder)) for p in found)
            raise FixtureLayoutError(
                f"{relative!r} names several files under {folder}: {shown}; give its path"
            )
        candidates = sorted(
            str(p.relative_to(folder))
            for p in (folder.rglob("*") if folder.is_dir() else [])
            if p.suffix in EXPECTED_SUFFIXES and _outside_database_folders(p, folder)
        )
        raise FixtureLayoutError(
            f"no expected-state file {relative!r} under {folder} "
            f"(files there: {', '.join(candidates) or 'none'})"
        )


def _outside_database_folders(path: Path, folder: Path) -> bool:
    return not any(path.is_relative_to(database) for database in database_folders(folder))
