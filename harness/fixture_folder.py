"""The folder of a feature's own fixtures: named by a tag on its Feature line, else its file.

    @product.shelf @fixtures.lending        fixtures/lending/ (under the product's fixtures)
    Feature: Lending a book

Without the tag a feature's folder is its file's name (checkout.feature: fixtures/checkout/).
"""

from __future__ import annotations

from pathlib import Path

FIXTURE_FOLDER_TAG = "fixtures."


class FixtureFolderError(ValueError):
    """A feature's @fixtures.<folder> tag is wrong."""


def fixture_folder_of(feature, fixtures_root: Path) -> str:
    """The folder of the feature's own fixtures, under the product's fixtures root: named by
    `@fixtures.<folder>` on its Feature line, else after its file (checkout.feature: checkout).
    A named folder must exist."""
    named = [
        tag[len(FIXTURE_FOLDER_TAG) :] for tag in feature.tags if tag.startswith(FIXTURE_FOLDER_TAG)
    ]
    if not named:
        return Path(feature.filename).stem
    if len(named) > 1:
        raise FixtureFolderError(
            f"{feature.filename} names several fixture folders ({', '.join(named)}); one only"
        )
    folder = named[0]
    if not folder or ".." in Path(folder).parts or not (fixtures_root / folder).is_dir():
        raise FixtureFolderError(
            f"{feature.filename}: @{FIXTURE_FOLDER_TAG}{folder} names no folder under "
            f"{fixtures_root}"
        )
    return folder
