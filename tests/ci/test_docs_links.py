"""Every relative link in the README and docs/ leads to a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def relative_links(page: Path) -> list[str]:
    return [
        target
        for target in LINK.findall(page.read_text(encoding="utf-8"))
        if not re.match(r"[a-z]+:", target)
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO)))
def test_every_relative_link_leads_somewhere(page: Path) -> None:
    broken = [link for link in relative_links(page) if not (page.parent / link).exists()]
    assert not broken, f"{page.relative_to(REPO)} links to files that do not exist: {broken}"


def test_the_link_reader_finds_links() -> None:
    assert relative_links(REPO / "README.md"), "the README has no relative link to check"


def test_the_readme_example_is_taken_from_a_feature_that_runs() -> None:
    """The README's first Gherkin shows steps of the generic-steps feature, word for word."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("```gherkin\n", 1)[1].split("```", 1)[0]
    feature = (REPO / "features" / "signing_up_with_generic_steps.feature").read_text()
    feature_lines = {line.strip() for line in feature.splitlines()}
    steps = [
        line.strip()
        for line in example.splitlines()
        if line.strip().split(" ", 1)[0] in ("Given", "When", "Then", "And", "But")
    ]
    assert len(steps) >= 5, example
    missing = [step for step in steps if step not in feature_lines]
    assert not missing, f"README steps not in signing_up_with_generic_steps.feature: {missing}"
