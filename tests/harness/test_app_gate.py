"""harness/app_gate.py imports ahead what the app's __main__ imports; with its own code kept
for later (a mutation run's next app), nothing of the app's package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def imported_ahead(tmp_path: Path, own_code_later: bool) -> set[str]:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "rules.py").write_text("LIMIT = 3\n")
    (tmp_path / "shop" / "__main__.py").write_text(
        "import json\nfrom shop.rules import LIMIT\nfrom . import rules\nimport shop.rules\n"
    )
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]);"
        "from harness.app_gate import import_what_main_imports as ahead;"
        f"ahead('shop', {own_code_later});"
        "print(' '.join(sorted(m for m in sys.modules if m in ('json', 'shop', 'shop.rules'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path), str(REPO)],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return set(done.stdout.split())


def test_the_app_and_what_it_shares_are_imported_ahead(tmp_path: Path) -> None:
    assert imported_ahead(tmp_path, False) == {"json", "shop", "shop.rules"}


def test_with_its_own_code_later_only_what_it_shares(tmp_path: Path) -> None:
    assert imported_ahead(tmp_path, True) == {"json"}


def test_measured_apps_forget_their_package_caches_at_each_scenario(monkeypatch) -> None:
    """A cached answer would run its function for the first scenario only: the map would not
    know the later scenarios that depend on it."""
    import types
    from functools import cache, lru_cache

    from harness.app_gate import clear_caches

    def module_with_cache(name: str) -> types.ModuleType:
        module = types.ModuleType(name)

        @lru_cache(maxsize=8)
        def length(path: str) -> int:
            return len(path)

        @cache
        def policy() -> str:
            return "read once"

        module.length, module.policy = length, policy
        monkeypatch.setitem(sys.modules, name, module)
        module.length("a.webm"), module.policy()
        return module

    own, inner, other = (module_with_cache(n) for n in ("shop", "shop.video", "shopping"))
    clear_caches("shop")
    assert own.length.cache_info().currsize == inner.policy.cache_info().currsize == 0
    assert other.length.cache_info().currsize == 1  # another package's caches are left alone
