"""The steps glossary (harness/steps_glossary.py, `make steps`): docs/steps.md is current,
every generic step explains itself, a small project's steps come out grouped and explained, and
every step type is registered whatever order behave loads the step files in."""

from __future__ import annotations

import difflib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from behave.step_registry import registry

from harness.products import Product
from harness.steps_glossary import (
    MARKDOWN,
    NO_EXAMPLE,
    PRODUCT_NAMES,
    Area,
    as_markdown,
    as_text,
    glossary,
    unexplained_generic_steps,
)
from products import PRODUCTS

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_registry() -> Iterator[None]:
    """The glossary fills behave's global step registry: leave it empty for the next test."""
    registry.clear()
    yield
    registry.clear()


@pytest.fixture(scope="module")
def suite_areas() -> Iterator[list[Area]]:
    registry.clear()
    yield glossary(REPO, PRODUCTS)
    registry.clear()


def stale_lines(current: str, regenerated: str) -> str:
    """The start of the difference between the committed file and a fresh one, or ''."""
    diff = difflib.unified_diff(
        current.splitlines(), regenerated.splitlines(), "committed", "regenerated", lineterm=""
    )
    return "\n".join(list(diff)[:30])


def test_docs_steps_md_is_current(suite_areas: list[Area]) -> None:
    committed = (REPO / MARKDOWN).read_text(encoding="utf-8")
    difference = stale_lines(committed, as_markdown(suite_areas) + "\n")
    assert not difference, f"{MARKDOWN} is stale: run `make steps`\n{difference}"


def test_a_changed_step_makes_the_file_stale() -> None:
    before = '- **`Given I press "{button}"`**\n  Presses it.\n'
    assert stale_lines(before, before) == ""
    assert "+  Presses the button." in stale_lines(before, before.replace("it.", "the button."))


def test_every_generic_step_has_a_description_and_an_example(suite_areas: list[Area]) -> None:
    titles = [area.title for area in suite_areas]
    assert titles[:4] == ["Browser", "Mail", "API", "Database"], titles
    assert not unexplained_generic_steps(suite_areas), "\n".join(
        unexplained_generic_steps(suite_areas)
    )


def test_the_products_and_the_shared_steps_follow_the_generic_ones(
    suite_areas: list[Area],
) -> None:
    titles = [area.title for area in suite_areas]
    assert titles[4:] == [
        PRODUCT_NAMES,
        *(p.title for p in PRODUCTS if p.steps),
        "Shared by the products",
    ]


# --- a small project, as a team starting out would have


STEPS = {
    "steps/browser.py": '''
        from behave import given, when

        @when('I press "{button}"')
        def press(context, button):
            """Presses the button with that name.

            Example: When I press "Save"
            """

        @when("I wait {seconds:d} seconds")
        def wait(context, seconds):
            pass

        @when('I remember the title as {{{name:w}}}')
        def remember(context, name):
            """Keeps the page's title."""
    ''',
    "steps/shop/orders.py": '''
        import parse
        from behave import given, then, register_type

        @parse.with_pattern("red|green")
        def parse_colour(text):
            return text

        @parse.with_pattern(r"\\d+ items?")
        def parse_items(text):
            """`1 item`, `3 items`."""
            return int(text.split()[0])

        register_type(Colour=parse_colour, Items=parse_items)

        @given("a {colour:Colour} basket of {items:Items}")
        def basket(context, colour, items):
            """A basket is filled
            before the scenario."""

        @then("nobody ever says this")
        def unused(context):
            """Not used by any feature."""
    ''',
    "steps/_load_packages.py": (REPO / "steps" / "_load_packages.py").read_text(),
}
FEATURE = """
    Feature: Baskets
      Scenario: One
        Given a red basket of 3 items
        And a green basket of 1 item
        When I press "Pay"
        And I wait 2 seconds
        And I remember the title as {title}
"""


@pytest.fixture
def project(tmp_path: Path, clean_registry: None) -> Path:
    for name, text in STEPS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "baskets.feature").write_text(textwrap.dedent(FEATURE))
    return tmp_path


SHOP = Product(
    "shop",
    "The shop",
    ("orders",),
    None,
    aliases={"primary": "orders"},
    steps=("steps/shop",),
    page_paths={"basket": "/basket"},
)


def test_a_projects_steps_come_out_by_area_with_their_words(project: Path) -> None:
    text = as_text(glossary(project, [SHOP]))
    assert text.startswith("Browser  (steps/browser.py)\n"), text
    assert text.index("Browser") < text.index(PRODUCT_NAMES) < text.index("The shop  (steps/shop)")
    assert (
        "The shop (`@product.shop`): databases `orders`; also called `primary` (orders); "
        "pages `basket` (/basket)"
    ) in text
    for line in [
        'When I press "{button}"\n    Presses the button with that name.\n'
        '    Example: When I press "Save"\n    {button}: any text (between the quotes)',
        "When I wait {seconds} seconds\n    (no description)\n"
        "    Example: When I wait 2 seconds\n    {seconds}: a whole number, e.g. 3 or -2",
        "Given a {colour} basket of {items}\n"
        "    A basket is filled before the scenario.\n"
        "    Example: Given a red basket of 3 items\n"
        "    {colour} (Colour): one of: `red`, `green`\n    {items} (Items): `1 item`, `3 items`.",
        "When I remember the title as {name}\n    Keeps the page's title.\n"
        "    Example: When I remember the title as {title}\n"
        "    {name}: a name you choose, written in braces (`{name}`): one word: letters, digits"
        " or _",
        f"Then nobody ever says this\n    Not used by any feature.\n    Example: {NO_EXAMPLE}",
    ]:
        assert line in text, f"missing:\n{line}\n--- in:\n{text}"


def test_a_generic_step_without_a_description_is_named(project: Path) -> None:
    assert unexplained_generic_steps(glossary(project, [SHOP])) == [
        "steps/browser.py: When I wait {seconds} seconds: no description"
    ]


def test_the_markdown_lists_areas_and_steps(project: Path) -> None:
    markdown = as_markdown(glossary(project, [SHOP]))
    assert "## Browser\n\nIn `steps/browser.py`." in markdown
    assert '- **`When I press "{button}"`**\n  Presses the button with that name.' in markdown
    assert "  <br>`{colour}` (Colour): one of: `red`, `green`" in markdown


def test_the_command_writes_docs_steps_md(tmp_path: Path) -> None:
    written = tmp_path / "steps.md"
    result = subprocess.run(
        [sys.executable, "-m", "harness.steps_glossary", "--markdown", str(written)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert written.read_text(encoding="utf-8") == (REPO / MARKDOWN).read_text(encoding="utf-8")


# --- step types: registered in one place, not by whichever step file behave loads first

LOAD_IN_REVERSE = """
import sys
from pathlib import Path
from behave.runner_util import exec_file
from behave.step_registry import registry, setup_step_decorators

steps = Path(sys.argv[1])
# as behave does: environment.py first (it registers the types), then the step files
if (steps.parent / "environment.py").is_file():
    exec_file(str(steps.parent / "environment.py"), {})
files = [p for p in steps.rglob("*.py") if p.name != "_load_packages.py"]
for path in sorted(files, reverse=True):
    step_globals = {}
    setup_step_decorators(step_globals)
    exec_file(str(path), step_globals)
print(sum(len(steps) for steps in registry.steps.values()), "step definitions")
"""


def load_in_reverse(steps: Path) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter (no module imported before) loads environment.py when there is one,
    then every step file, last name first."""
    return subprocess.run(
        [sys.executable, "-c", LOAD_IN_REVERSE, str(steps)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_step_file_loads_in_reverse_order() -> None:
    result = load_in_reverse(REPO / "steps")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "step definitions" in result.stdout


def test_a_step_file_naming_a_type_registered_later_fails_in_reverse_order(tmp_path: Path) -> None:
    """What the test above guards against: types registered by the step file loaded first."""
    steps = tmp_path / "steps"
    steps.mkdir()
    (steps / "a_registers.py").write_text(
        "import parse\nfrom behave import register_type\n"
        "register_type(Late=parse.with_pattern('x')(lambda text: text))\n"
    )
    (steps / "b_uses.py").write_text(
        "from behave import given\n@given('a {thing:Late} thing')\ndef step(context, thing):\n"
        "    pass\n"
    )
    result = load_in_reverse(steps)
    assert result.returncode != 0
    assert "format spec 'Late' not recognised" in result.stderr


def test_two_products_naming_one_type_differently_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from products import step_types

    monkeypatch.setattr(
        step_types,
        "PRODUCT_TYPES",
        {"one": {"Colour": lambda text: text}, "two": {"Colour": lambda text: text.upper()}},
    )
    with pytest.raises(ValueError, match="'Colour' is declared by both 'one' and 'two'"):
        step_types.all_types()
