"""Any page of any product, read and worked the way a person does it.

Elements are found by what people see: a role and its accessible name, a label, a
placeholder, the visible text; a data-testid only when nothing else names the element. Names
match exactly (Playwright's own matching would take "Browse the catalogue" for "Catalogue").
Every method takes an optional region (pages/regions.py) that scopes it to part of the page.
Waits are Playwright's own, bounded by the suite's browser timeouts; a failure is a
PageMismatch (pages/finding.py) that says what the page offered instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from pages.candidates import (
    CHOICE_ROLES,
    FIELD_ROLES,
    button_candidates,
    checkbox_candidates,
    choice_candidates,
    download_candidates,
    field_candidates,
    file_candidates,
    link_candidates,
)
from pages.downloads import Downloaded
from pages.finding import PageMismatch, Sought, fail, find_one, union, where
from pages.offered import names_by_role, nearest_first, quoted_list, short_text
from pages.regions import describe_region, whole_page
from pages.regions import region as region_of
from pages.words import one_line, words_pattern

_FILE_LABELS = """root => [...root.querySelectorAll('input[type=file]')].map(input =>
  (input.labels && input.labels[0] && input.labels[0].innerText.trim())
  || input.getAttribute('aria-label') || input.name || '').filter(Boolean)"""
_SELECT_OPTIONS = "s => [...s.options].map(o => (o.label || o.textContent).trim())"
_SHOWN_VALUE = """e => e.tagName === 'SELECT'
  ? [...e.selectedOptions].map(o => (o.label || o.textContent).trim()).join(', ')
  : ('value' in e ? e.value : e.innerText)"""


class PageNameError(AssertionError):
    """A feature names a page its product does not name."""


def named_path(page_paths: Mapping[str, str], name: str, product_title: str) -> str:
    """The path of the page the product calls `name` (products/<product> page_paths)."""
    if name in page_paths:
        return page_paths[name]
    known = nearest_first(name, sorted(page_paths))
    listed = (
        quoted_list(known, limit=len(known))
        if known
        else "none (its declaration has no page_paths)"
    )
    raise PageNameError(
        f'The {product_title} has no page called "{name}": its pages are {listed}. '
        "Name one of them, or add the page to the product's page_paths."
    )


class AnyPage:
    def __init__(self, page: Page, expect_timeout: float, navigation_timeout: float) -> None:
        self.page = page
        self.timeout = expect_timeout  # seconds: how long a step waits for what it looks for
        self.navigation_timeout = navigation_timeout

    # -- where the browser is

    def open(self, path: str) -> None:
        """Opens the path; the app failing to answer (a 5xx, or no answer) fails the step. A
        4xx page opens: what it says is for the next steps to check."""
        try:
            response = self.page.goto(path)
        except PlaywrightError as error:
            reason = str(error).strip().splitlines()[0]
            fail(self.page, f"Could not open {path}: {reason}.")
        if response is not None and response.status >= 500:
            fail(
                self.page,
                f"Opened {path}, but the app answered {response.status} "
                f"{response.status_text}: {short_text(self.body)}.",
            )

    def expect_path(self, path: str, called: str | None = None) -> None:
        """The browser shows `path` (the query, when `path` has one, must match too)."""
        query = "" if "?" in path else r"(?:\?[^#]*)?"
        pattern = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]+" + re.escape(path) + query + "(?:#.*)?$")
        try:
            expect(self.page).to_have_url(pattern, timeout=self.timeout * 1000)
        except AssertionError:
            page = f"the {called} page ({path})" if called else path
            fail(
                self.page,
                f"Expected to be on {page} within {self.timeout:g} s, but the browser is on "
                f"{where(self.page)}, which reads {short_text(self.page.locator('body'))}.",
            )

    def expect_title(self, title: str) -> None:
        try:
            expect(self.page).to_have_title(title, timeout=self.timeout * 1000)
        except AssertionError:
            fail(
                self.page,
                f'Expected the page title "{title}" within {self.timeout:g} s, but the title '
                f'of {where(self.page)} is "{self.page.title()}".',
            )

    # -- finding

    def scope(self, region: str | None) -> Locator:
        return region_of(self.page, region, self.timeout)

    def _one(
        self,
        sought: Sought,
        candidates: Callable[[Locator, str], list[Locator]],
        visible: bool = True,
        offered: Callable[[Locator], list[str]] | None = None,
    ) -> Locator:
        """The one element that `candidates` finds in the sought region; when none is there
        but the page has one outside the region, the failure says so."""
        scope = self.scope(sought.region)
        return find_one(
            self.page,
            scope,
            sought,
            candidates(scope, sought.name),
            self.timeout,
            visible=visible,
            offered=None if offered is None else lambda: offered(scope),
            more=lambda: self._outside(sought.region, scope, candidates(self.body, sought.name)),
        )

    @property
    def body(self) -> Locator:
        return whole_page(self.page)

    def _outside(self, region: str | None, scope: Locator, on_page: list[Locator]) -> str:
        """For a failure within a region: whether the page has it elsewhere, and what the
        region was taken to be."""
        if region is None:
            return ""
        found = union(on_page).filter(visible=True).count() > 0
        taken = f'The region "{region}" is {describe_region(scope)}'
        if found:
            return f"{taken}; the page has it outside that region."
        return f"{taken}."

    def field(self, name: str, region: str | None = None) -> Locator:
        """A field a person types in or picks from: by its label, placeholder, or name."""
        return self._one(Sought("field", name, region, FIELD_ROLES), field_candidates)

    def button(self, name: str, region: str | None = None) -> Locator:
        return self._one(Sought("button", name, region, ("button",)), button_candidates)

    def link(self, name: str, region: str | None = None) -> Locator:
        return self._one(Sought("link", name, region, ("link",)), link_candidates)

    def checkbox(self, name: str, region: str | None = None) -> Locator:
        sought = Sought("check box", name, region, ("checkbox", "switch"), "check boxes")
        return self._one(sought, checkbox_candidates, visible=False)

    # -- acting

    def _act(self, what: str, action: Callable[[], object]) -> None:
        """Runs a click, fill or check; when the element does not take it (disabled, read
        only, covered), fails in one paragraph with Playwright's last word on why."""
        try:
            action()
        except PlaywrightError as error:
            fail(self.page, f"Could not {what} on {where(self.page)}: {_why(error)}.")

    def fill(self, name: str, value: str, region: str | None = None) -> None:
        field = self.field(name, region)
        self._act(f'fill in "{name}"', lambda: field.fill(value))

    def choose(self, option: str, name: str, region: str | None = None) -> None:
        """Picks `option` in a drop-down list, or the radio button `option` of a group."""
        sought = Sought("choice", name, region, CHOICE_ROLES, "lists and groups of choices")
        field = self._one(sought, choice_candidates)
        if field.evaluate("e => e.tagName") == "SELECT":
            options = field.evaluate(_SELECT_OPTIONS)
            if option not in options:
                fail(self.page, self._no_option(option, name, options))
            self._act(f'choose "{option}" in "{name}"', lambda: field.select_option(label=option))
            return
        radio = field.get_by_role("radio", name=option, exact=True)
        if radio.count() == 1:
            self._act(f'choose "{option}" in "{name}"', radio.check)
            return
        if field.get_attribute("role") == "combobox":  # a list of its own, opened by a click
            field.click()
            self.page.get_by_role("option", name=option, exact=True).click()
            return
        fail(self.page, self._no_option(option, name, names_by_role(field, ("radio",))))

    def _no_option(self, option: str, name: str, options: list[str]) -> str:
        offered = quoted_list(nearest_first(option, options)) if options else "none"
        return f'"{name}" on {where(self.page)} has no choice "{option}"; its choices: {offered}.'

    def tick(self, name: str, region: str | None = None, ticked: bool = True) -> None:
        box = self.checkbox(name, region)
        verb = "tick" if ticked else "untick"
        self._act(f'{verb} "{name}"', box.check if ticked else box.uncheck)

    def press(self, name: str, region: str | None = None) -> None:
        button = self.button(name, region)
        self._act(f'press "{name}"', button.click)

    def follow(self, name: str, region: str | None = None) -> None:
        link = self.link(name, region)
        self._act(f'follow the link "{name}"', link.click)

    def upload(self, file: Path, name: str, region: str | None = None) -> None:
        """Gives `file` to the file field labelled `name` (or to the button that asks for it)."""
        target = self._one(
            Sought("file field", name, region),
            file_candidates,
            visible=False,
            offered=lambda scope: [
                *scope.evaluate(_FILE_LABELS),
                *names_by_role(scope, ("button",)),
            ],
        )
        if target.evaluate("e => e.tagName === 'INPUT' && e.type === 'file'"):
            self._act(f'upload {file.name} as "{name}"', lambda: target.set_input_files(file))
            return
        with self.page.expect_file_chooser(timeout=self.timeout * 1000) as chooser:
            target.click()
        chooser.value.set_files(file)

    def download(self, name: str, folder: Path, region: str | None = None) -> Downloaded:
        """Clicks the link or button `name` and waits for the file it sends."""
        sought = Sought("link or button", name, region, ("link", "button"), "links and buttons")
        target = self._one(sought, download_candidates)
        try:
            with self.page.expect_download(timeout=self.navigation_timeout * 1000) as info:
                target.click()
        except PlaywrightError:
            fail(
                self.page,
                f'Clicked "{name}" on {where(self.page)}, but no download started within '
                f"{self.navigation_timeout:g} s; the browser is now on {where(self.page)}, "
                f"which reads {short_text(self.page.locator('body'))}.",
            )
        download = info.value
        failure = download.failure()
        if failure:
            fail(self.page, f'The download from "{name}" failed: {failure}.')
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / download.suggested_filename
        download.save_as(path)
        return Downloaded(download.suggested_filename, path)

    # -- checking what it shows

    def _text(self, words: str, scope: Locator) -> Locator:
        return scope.get_by_text(words_pattern(words)).filter(visible=True)

    def expect_text(self, words: str, region: str | None = None) -> None:
        scope = self.scope(region)
        try:
            expect(self._text(words, scope).first).to_be_visible(timeout=self.timeout * 1000)
        except AssertionError:
            within = f' within "{region}"' if region else ""
            outside = self._outside(region, scope, [self._text(words, self.body)])
            hidden = scope.get_by_text(words_pattern(words)).count() > 0
            fail(
                self.page,
                f'Expected to see "{words}"{within} on {where(self.page)} within '
                f"{self.timeout:g} s, but it is "
                f"{'hidden' if hidden else 'not there'} (the words match whole and "
                f"in the same case); {'it' if region else 'the page'} reads "
                f"{short_text(scope)}. {outside}".rstrip(),
            )

    def expect_no_text(self, words: str, region: str | None = None) -> None:
        scope = self.scope(region)
        shown = self._text(words, scope)
        try:
            expect(shown).to_have_count(0, timeout=self.timeout * 1000)
        except AssertionError:
            within = f' within "{region}"' if region else ""
            try:
                context = one_line(shown.first.inner_text(timeout=1000), 200)
            except PlaywrightError:
                context = "(gone again)"
            fail(
                self.page,
                f'Expected not to see "{words}"{within} on {where(self.page)}, but it is still '
                f'shown after {self.timeout:g} s, in "{context}".',
            )

    def shown_value(self, name: str, region: str | None = None) -> str:
        """What the field shows: its value, or a drop-down list's chosen option."""
        return self.field(name, region).evaluate(_SHOWN_VALUE)

    def expect_value(self, name: str, value: str, region: str | None = None) -> None:
        field = self.field(name, region)
        if field.evaluate("e => e.tagName") == "SELECT":
            check = expect(field.locator("option:checked"))
            expected = lambda: check.to_have_text(value, timeout=self.timeout * 1000)  # noqa: E731
        else:
            expected = lambda: expect(field).to_have_value(value, timeout=self.timeout * 1000)  # noqa: E731
        try:
            expected()
        except AssertionError:
            shown = field.evaluate(_SHOWN_VALUE)
            fail(
                self.page,
                f'The "{name}" field on {where(self.page)} shows "{shown}", not "{value}" '
                f"(waited {self.timeout:g} s).",
            )

    def text_after(self, label: str, region: str | None = None) -> str:
        """The words after `label` on its line ("Current plan: Pro" -> "Pro"; a table's next
        cell), or on the next line when the label stands alone ("Tenant" above "t-1")."""
        scope = self.scope(region)
        same_line, next_line = _after_patterns(label)
        either = re.compile(f"{same_line.pattern}|{next_line.pattern}")
        try:
            expect(scope).to_contain_text(either, use_inner_text=True, timeout=self.timeout * 1000)
        except AssertionError:
            within = f' within "{region}"' if region else ""
            outside = ""
            if region is not None:
                on_page = either.search(self.body.inner_text()) is not None
                taken = f'The region "{region}" is {describe_region(scope)}'
                outside = (
                    f"{taken}; the page has it outside that region." if on_page else f"{taken}."
                )
            fail(
                self.page,
                f'Looked for a text after "{label}"{within} on {where(self.page)} for '
                f"{self.timeout:g} s and found none; {'it' if region else 'the page'} reads "
                f"{short_text(scope)}. {outside}".rstrip(),
            )
        text = scope.inner_text()
        found = same_line.search(text) or next_line.search(text)
        if found is None:
            raise PageMismatch(f'"{label}" on {where(self.page)} changed while it was read')
        return found.group(1).strip()


def _why(error: PlaywrightError) -> str:
    """`Timeout 1000ms exceeded (element is not enabled)` from a Playwright error and the last
    thing its call log says about the element."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    first = lines[0].split(": ", 1)[-1].rstrip(".") if lines else type(error).__name__
    about = [line.lstrip("- ").rstrip(".") for line in lines if line.startswith("- element ")]
    return f"{first} ({about[-1]})" if about else first


def _after_patterns(label: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = words_pattern(label).pattern
    return (
        re.compile(words + r"[ \t]*:?[ \t]*([^\s:][^\t\n]*)"),
        re.compile(words + r"[ \t]*:?[ \t]*\n\s*([^\t\n]+)"),
    )


__all__ = ["AnyPage", "Downloaded", "PageMismatch", "PageNameError", "named_path"]
