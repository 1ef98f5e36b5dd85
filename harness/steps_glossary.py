"""The glossary of the steps: every step a feature may use, grouped by area, each with its
one-line description, an example line and what each placeholder accepts.

    python -m harness.steps_glossary               # print it (make steps)
    python -m harness.steps_glossary --markdown    # write docs/steps.md

The steps are read the way behave reads them (its runner loads environment.py and the step
files into its step registry), not from the source text. A step's description is the first line
of its docstring, its example a docstring line `Example: <Gherkin line>` or else the first line
of features/*.feature it matches; a placeholder's allowed values are its parse type's docstring
(or its pattern), parse's built-in formats are described in words.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter

from behave.configuration import Configuration
from behave.matchers import Matcher, ParseMatcher
from behave.model import Feature
from behave.parser import parse_file
from behave.runner import Runner
from behave.step_registry import registry

from harness.command_line import load_registry
from harness.products import Product
from spanner import conditions

MARKDOWN = Path("docs/steps.md")
# the generic step files at the top of steps/, in the order the glossary shows them
GENERIC_AREAS = {"browser": "Browser", "mail": "Mail", "api": "API", "database": "Database"}
DATABASE_AREA = GENERIC_AREAS["database"]
SHARED_AREA = "shared"
PRODUCT_NAMES = "Each product's page and database names"
KEYWORDS = {"given": "Given", "when": "When", "then": "Then", "step": "Given/When/Then"}
# parse's built-in formats, in words (https://pypi.org/project/parse/, "Format Specification")
BUILT_IN = {
    "": "any text",
    "w": "one word: letters, digits or _",
    "W": "characters other than letters, digits and _",
    "l": "letters",
    "s": "white space",
    "S": "anything but white space",
    "d": "a whole number, e.g. 3 or -2",
    "D": "anything but digits",
    "n": "a whole number with thousands separators, e.g. 1,000",
    "f": "a decimal number, e.g. 2.5",
    "F": "a decimal number, e.g. 2.5 (exact)",
    "g": "a number, e.g. 2, 2.5 or 1e3",
    "e": "a number in exponent form, e.g. 1.5e3",
    "%": "a percentage, e.g. 50%",
    "ti": "an ISO 8601 date and time, e.g. 2026-01-31T09:00:00",
}
NO_EXAMPLE = "(none: no feature uses this step)"
_PLAIN = re.compile(r"[\w ,'-]+")


class GlossaryError(RuntimeError):
    """The steps cannot be read (a step file fails to load, the products module is wrong)."""


@dataclass(frozen=True)
class Placeholder:
    name: str
    type_name: str
    accepts: str


@dataclass
class Entry:
    """One step function: its patterns (one per decorator), description, example, placeholders."""

    patterns: list[str]
    description: str
    example: str | None
    placeholders: list[Placeholder]
    location: str
    matchers: list[Matcher] = field(repr=False, default_factory=list)


@dataclass(frozen=True)
class Area:
    title: str
    where: str
    entries: tuple[Entry, ...]
    notes: tuple[str, ...] = ()


# --- reading the registry


def load_step_registry(base: Path) -> list[Matcher]:
    """Loads environment.py and the step files under base as behave's runner does, and returns
    the step definitions it registered, in the order of their files and lines."""
    registry.clear()
    config = Configuration(command_args=["--dry-run", "--no-summary"], load_config=False)
    config.paths = [str(base / "features")] if (base / "features").is_dir() else [str(base)]
    runner = Runner(config)
    try:
        with runner.path_manager:
            runner.setup_paths()
            runner.load_hooks()
            runner.load_step_definitions()
    except Exception as error:
        raise GlossaryError(f"the step files under {base} do not load: {error}") from error
    seen: dict[int, Matcher] = {}
    for matchers in registry.steps.values():
        for matcher in matchers:
            seen.setdefault(id(matcher), matcher)
    return sorted(seen.values(), key=lambda m: (m.location.filename, m.location.line))


def _docstring_lines(func: Callable) -> list[str]:
    return [line.strip() for line in (inspect.getdoc(func) or "").splitlines()]


def description_of(func: Callable) -> str:
    """The docstring's first line, with the lines that finish its sentence when it wraps."""
    lines = _docstring_lines(func)
    first: list[str] = []
    for line in lines:
        if not line or line.startswith("Example:"):
            break
        first.append(line)
        if line.endswith((".", ":", "?", "!")):
            break
    return " ".join(first)


def declared_example(func: Callable) -> str | None:
    for line in _docstring_lines(func):
        if line.startswith("Example:"):
            return line.removeprefix("Example:").strip()
    return None


def type_description(type_name: str, text_around: str) -> str:
    """What a placeholder of this format accepts, in words."""
    if type_name in BUILT_IN:
        quoted = text_around.startswith('"') and text_around.endswith('"')
        return BUILT_IN[type_name] + (" (between the quotes)" if quoted and not type_name else "")
    parser = ParseMatcher.TYPE_REGISTRY.get(type_name)
    if parser is None:
        return f"the format {type_name!r}, which no module registers"
    doc = " ".join(line for line in _docstring_lines(parser) if line)
    if doc:
        return doc
    pattern = getattr(parser, "pattern", None)
    if pattern and (choices := literal_choices(pattern)):
        return "one of: " + ", ".join(f"`{choice}`" for choice in choices)
    if pattern:
        return f"text matching `{pattern}`"
    return f"what {parser.__qualname__} accepts"


def literal_choices(pattern: str) -> list[str] | None:
    """The words of a pattern that only lists them (`a|b c|d\\.e`), else None."""
    choices = []
    for alternative in re.split(r"(?<!\\)\|", pattern):
        text = re.sub(r"\\(.)", r"\1", alternative)
        if re.escape(text) != alternative and not _PLAIN.fullmatch(alternative):
            return None
        choices.append(text)
    return choices


def _tokens(pattern: str) -> list[str | tuple[str, str]]:
    """The pattern as literal texts (escaped braces undone, neighbours joined) and fields
    (name, format)."""
    tokens: list[str | tuple[str, str]] = []
    for literal, name, spec, _ in Formatter().parse(pattern):
        if literal and tokens and isinstance(tokens[-1], str):
            tokens[-1] += literal
        elif literal:
            tokens.append(literal)
        if name is not None:
            tokens.append((name, spec or ""))
    return tokens


def _braced(tokens: list[str | tuple[str, str]], index: int) -> bool:
    """A field written between literal braces: `as {{{name:w}}}`, the Gherkin `as {tenant}`."""
    before = tokens[index - 1] if index > 0 else ""
    after = tokens[index + 1] if index + 1 < len(tokens) else ""
    return (
        isinstance(before, str)
        and before.endswith("{")
        and isinstance(after, str)
        and after.startswith("}")
    )


def placeholders_of(pattern: str) -> list[Placeholder]:
    found: list[Placeholder] = []
    tokens = _tokens(pattern)
    for index, token in enumerate(tokens):
        if isinstance(token, str) or token[0] in {p.name for p in found}:
            continue
        name, spec = token
        before = tokens[index - 1] if index > 0 else ""
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        around = (before[-1:] if isinstance(before, str) else "") + (
            after[:1] if isinstance(after, str) else ""
        )
        accepts = type_description(spec, around)
        if _braced(tokens, index):
            accepts = f"a name you choose, written in braces (`{{{name}}}`): {accepts}"
        found.append(Placeholder(name, spec, accepts))
    return found


def display_pattern(pattern: str) -> str:
    """The pattern as a feature writes it: `{name}` for each placeholder, its format left to
    the placeholder's line; `as {{{name:w}}}` (literal braces around it) reads `as {name}`."""
    tokens = _tokens(pattern)
    texts = [token if isinstance(token, str) else f"{{{token[0]}}}" for token in tokens]
    for index, token in enumerate(tokens):
        if not isinstance(token, str) and _braced(tokens, index):
            texts[index - 1] = texts[index - 1][:-1]
            texts[index + 1] = texts[index + 1][1:]
    return "".join(texts)


def entries_of(matchers: Iterable[Matcher], base: Path) -> list[Entry]:
    """One entry per step function, its decorators' patterns together."""
    by_function: dict[Callable, Entry] = {}
    for matcher in matchers:
        entry = by_function.get(matcher.func)
        if entry is None:
            placeholders = (
                placeholders_of(matcher.pattern) if isinstance(matcher, ParseMatcher) else []
            )
            entry = by_function[matcher.func] = Entry(
                patterns=[],
                description=description_of(matcher.func),
                example=declared_example(matcher.func),
                placeholders=placeholders,
                location=_relative(matcher.location.filename, base),
            )
        else:
            names = {p.name for p in entry.placeholders}
            if isinstance(matcher, ParseMatcher):
                entry.placeholders += [
                    p for p in placeholders_of(matcher.pattern) if p.name not in names
                ]
        entry.matchers.append(matcher)
    for entry in by_function.values():
        entry.patterns = pattern_lines(entry.matchers)
    return list(by_function.values())


def pattern_lines(matchers: Sequence[Matcher]) -> list[str]:
    """`Given/When I open "{path}"`: one line per pattern, its keywords together, the shortest
    pattern (the one without ` within "{region}"`) first."""
    keywords: dict[str, list[str]] = {}
    for matcher in matchers:
        keywords.setdefault(matcher.pattern, []).append(matcher.step_type)
    lines = []
    for pattern in sorted(keywords, key=len):
        types = sorted(set(keywords[pattern]), key=list(KEYWORDS).index)
        lines.append(f"{'/'.join(KEYWORDS[t] for t in types)} {display_pattern(pattern)}")
    return lines


def _relative(filename: str, base: Path) -> str:
    path = Path(filename)
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --- examples from the features


def feature_steps(features: Iterable[Path]) -> Iterable[tuple[str, str, str]]:
    """(step type, text, Gherkin line) of every step of the features, outlines expanded."""
    for path in features:
        try:
            feature: Feature | None = parse_file(str(path))
        except FileNotFoundError:  # removed while the glossary was read
            continue
        if feature is None:
            continue
        for scenario in feature.walk_scenarios():
            for step in scenario.all_steps:
                yield step.step_type, step.name, f"{step.keyword.strip()} {step.name}"


def find_examples(entries: Sequence[Entry], features: Iterable[Path]) -> None:
    """Gives each entry without an example the first feature line it matches."""
    waiting = [entry for entry in entries if entry.example is None]
    if not waiting:
        return
    for step_type, text, line in feature_steps(features):
        for entry in list(waiting):
            if any(_matches(m, step_type, text) for m in entry.matchers):
                entry.example = _keyword_of(step_type, line)
                waiting.remove(entry)
        if not waiting:
            return


def _matches(matcher: Matcher, step_type: str, text: str) -> bool:
    if matcher.step_type not in (step_type, "step"):
        return False
    try:
        return matcher.check_match(text) is not None
    except Exception:  # a type converter refusing the text: not this step
        return False


def _keyword_of(step_type: str, line: str) -> str:
    """`And x` reads as `Given x` (or When/Then) outside its scenario."""
    keyword, _, rest = line.partition(" ")
    if keyword in ("And", "But", "*"):
        return f"{KEYWORDS.get(step_type, keyword)} {rest}"
    return line


# --- grouping


def areas_of(entries: Sequence[Entry], products: Iterable[Product]) -> list[Area]:
    """Browser, mail, API and database (the generic files at the top of steps/), then each
    product (the step folders or files its declaration names), then the shared steps, then
    any other step file."""
    generic = {f"steps/{stem}.py": title for stem, title in GENERIC_AREAS.items()}
    groups: dict[tuple[str, str], list[Entry]] = {}
    order: list[tuple[str, str]] = [(title, path) for path, title in generic.items()]
    declared = [(product.title, step_path) for product in products for step_path in product.steps]
    order += declared
    shared = ("Shared by the products", f"steps/{SHARED_AREA}")
    order.append(shared)
    for entry in entries:
        key = _area_key(entry.location, generic, declared, shared)
        if key not in order:
            order.append(key)
        groups.setdefault(key, []).append(entry)
    areas = [
        Area(title, where, tuple(groups[(title, where)]))
        for title, where in order
        if (title, where) in groups
    ]
    generic_count = sum(1 for area in areas if area.title in GENERIC_AREAS.values())
    return [*areas[:generic_count], names_area(products), *areas[generic_count:]]


def names_area(products: Iterable[Product]) -> Area:
    """What `{page}` and `{database}` of the generic steps name, product by product."""
    notes = []
    for product in products:
        databases = ", ".join(f"`{name}`" for name in product.databases)
        aliases = ", ".join(f"`{alias}` ({name})" for alias, name in product.aliases.items())
        pages = ", ".join(f"`{name}` ({path})" for name, path in product.page_paths.items())
        notes.append(
            f"{product.title} (`@{product.tag}`): databases {databases}"
            + (f"; also called {aliases}" if aliases else "")
            + f"; pages {pages or '(none named)'}"
        )
    return Area(PRODUCT_NAMES, "products/", (), tuple(notes))


def _area_key(location, generic, declared, shared) -> tuple[str, str]:
    if location in generic:
        return generic[location], location
    for title, step_path in [*declared, shared]:
        if location == step_path or location.startswith(step_path.rstrip("/") + "/"):
            return title, step_path
    return f"Other steps: {location}", location


def unexplained_generic_steps(areas: Sequence[Area]) -> list[str]:
    """The generic steps without a description or an example: `where: pattern: what lacks`."""
    generic = set(GENERIC_AREAS.values())
    found = []
    for area in areas:
        for entry in area.entries if area.title in generic else ():
            lacking = [
                what
                for what, present in (
                    ("description", entry.description),
                    ("example", entry.example),
                )
                if not present
            ]
            if lacking:
                found.append(
                    f"{entry.location}: {entry.patterns[0]}: no {' and no '.join(lacking)}"
                )
    return found


# --- writing


def notation() -> str:
    """The notation of values in database checks, API fields and conditions, as documented."""
    return (conditions.__doc__ or "").strip()


def as_text(areas: Sequence[Area]) -> str:
    out: list[str] = []
    for area in areas:
        if area.title == DATABASE_AREA:
            out += ["The notation of values  (spanner/conditions.py)", "", notation(), ""]
        out.append(f"{area.title}  ({area.where})")
        out.append("=" * len(out[-1]))
        out.extend([*area.notes, ""] if area.notes else [])
        for entry in area.entries:
            out.extend(entry.patterns)
            out.append(f"    {entry.description or '(no description)'}")
            out.append(f"    Example: {entry.example or NO_EXAMPLE}")
            for placeholder in entry.placeholders:
                out.append(f"    {_named(placeholder)}: {placeholder.accepts}")
            out.append("")
    return "\n".join(out)


def as_markdown(areas: Sequence[Area]) -> str:
    out = [
        "# The steps",
        "",
        "Generated by `make steps` (`python -m harness.steps_glossary --markdown`) from the",
        "step definitions themselves; a test fails when this file is stale. The generic steps",
        "(browser, mail, API, database) work for any product; a product's own steps follow.",
        "",
        "Contents: " + ", ".join(f"[{a.title}](#{_anchor(a.title)})" for a in areas),
        "",
    ]
    for area in areas:
        if area.title == DATABASE_AREA:
            out += [
                "## The notation of values",
                "",
                "In `spanner/conditions.py`; the database steps' tables and conditions and the",
                "API steps' fields read it.",
                "",
                "```text",
                notation(),
                "```",
                "",
            ]
        out += [f"## {area.title}", "", f"In `{area.where}`.", ""]
        out += [*(f"- {note}" for note in area.notes), ""] if area.notes else []
        for entry in area.entries:
            out.append("- " + "<br>".join(f"**`{_code(p)}`**" for p in entry.patterns))
            out.append(f"  {entry.description or '(no description)'}")
            example = f"`{_code(entry.example)}`" if entry.example else NO_EXAMPLE
            out.append(f"  <br>Example: {example}")
            for placeholder in entry.placeholders:
                out.append(f"  <br>{_named(placeholder, '`')}: {placeholder.accepts}")
        out.append("")
    return "\n".join(out)


def _named(placeholder: Placeholder, quote: str = "") -> str:
    """`{database}` (Database): a parse type's name after the placeholder; built-ins go unsaid."""
    name = f"{quote}{{{placeholder.name}}}{quote}"
    return name if placeholder.type_name in BUILT_IN else f"{name} ({placeholder.type_name})"


def _code(text: str) -> str:
    return text.replace("`", "'")


def _anchor(title: str) -> str:
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def glossary(base: Path, products: Iterable[Product]) -> list[Area]:
    entries = entries_of(load_step_registry(base), base)
    find_examples(entries, sorted((base / "features").glob("**/*.feature")))
    return areas_of(entries, products)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m harness.steps_glossary", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--markdown",
        nargs="?",
        const=str(MARKDOWN),
        metavar="FILE",
        help=f"write the glossary as Markdown to FILE (default {MARKDOWN}) instead of printing it",
    )
    parser.add_argument(
        "--products-module", default="products", help="module whose PRODUCTS lists the products"
    )
    args = parser.parse_args(argv)
    base = Path.cwd()
    try:
        products = load_registry(args.products_module, GlossaryError)
        areas = glossary(base, products)
    except GlossaryError as error:
        print(f"steps glossary: {error}", file=sys.stderr)
        return 1
    for problem in unexplained_generic_steps(areas):
        print(
            f"steps glossary: a generic step needs a docstring line and an Example: {problem}",
            file=sys.stderr,
        )
    if args.markdown:
        Path(args.markdown).write_text(as_markdown(areas) + "\n", encoding="utf-8")
        print(f"wrote {args.markdown}")
    else:
        print(as_text(areas))
    return 0


if __name__ == "__main__":
    sys.exit(main())
