"""Where a product's fixtures live: the one place that turns a feature into folders.

<root>/common/<product>/<database>/<Table>.yaml    every feature of the product
<root>/<feature stem>/<database>/<Table>.yaml       one feature
<root>/<feature stem>/accounts.yaml                 sign-in details of seeded people
<root>/<feature stem>/expected/<name>.yaml          expected-state files
<root>/<feature stem>/files/<name>                  sample files steps hand to the app
<root>/<set>/<database>/<Table>.yaml                added by a @fixture.<set> tag
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

COMMON = "common"
EXPECTED = "expected"
FILES = "files"
# folders of a feature's fixtures that hold no database's tables
RESERVED_FOLDERS = (EXPECTED, FILES)


@dataclass(frozen=True)
class FixtureLayout:
    root: Path
    product: str

    def common(self) -> Path:
        return self.root / COMMON / self.product

    def feature(self, feature_stem: str) -> Path:
        return self.root / feature_stem

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
        return self.feature(feature_stem) / relative
