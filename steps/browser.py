"""Generic browser steps: any page of any product, in the words a person uses for it.

Elements are found as people see them (a button's or link's name, a field's label or
placeholder, the visible text), exactly as written. Every action and check may end with
` within "<region>"`: a landmark, section, form, dialog, table or list named by its
aria-label or its heading. `{name}` in any quoted value is something the scenario remembered.

The variant with ` within "<region>"` of each step is registered first (decorators apply from
the bottom up, so it is written last): behave tries steps in the order they were registered,
and the shorter wording would otherwise swallow the region into its last quoted value.
"""

from __future__ import annotations

from typing import Any

from behave import given, then, when

import harness.step_types  # noqa: F401  (Region, PageName: registered before the decorators)
from base.placeholders import resolve
from pages.any_page import AnyPage, named_path
from pages.words import one_line, words_pattern


def _page(context) -> AnyPage:
    settings = context.settings
    return AnyPage(
        context.page, settings.browser_expect_timeout, settings.browser_navigation_timeout
    )


def _words(context, value: str | None) -> Any:
    """A quoted value with the scenario's `{name}`s replaced (None stays None)."""
    return None if value is None else str(resolve(value, context.learned))


def _path_named(context, page: str) -> str:
    runtime = context.product
    path = named_path(runtime.product.page_paths, _words(context, page), runtime.product.title)
    return _words(context, path)


# -- where the browser is


@given("I open the {page:PageName} page")
@when("I open the {page:PageName} page")
def step_open_named_page(context, page):
    """Opens a page by the name the product gives it (its page_paths).

    Example: Given I open the sign-up page
    """
    _page(context).open(_path_named(context, page))


@given('I open "{path}"')
@when('I open "{path}"')
def step_open_path(context, path):
    """Opens a path of the app under test.

    Example: When I open "/dashboard?tab={tab}"
    """
    _page(context).open(_words(context, path))


@then("I am on the {page:PageName} page")
def step_on_named_page(context, page):
    """The browser shows the page the product calls by that name (any query string).

    Example: Then I am on the dashboard page
    """
    path = _path_named(context, page)
    _page(context).expect_path(path, called=_words(context, page))


@then('I am on "{path}"')
def step_on_path(context, path):
    """The browser shows that path (with that query string when one is written).

    Example: Then I am on "/onboarding/organisation"
    """
    _page(context).expect_path(_words(context, path))


@then('the page title is "{title}"')
def step_page_title(context, title):
    """The page's title, as the browser's tab shows it, is exactly this.

    Example: Then the page title is "Start your free trial · SaaS Platform"
    """
    _page(context).expect_title(_words(context, title))


# -- acting


@given('I fill in "{field}" with "{value}"')
@when('I fill in "{field}" with "{value}"')
@given('I fill in "{field}" with "{value}" within "{region:Region}"')
@when('I fill in "{field}" with "{value}" within "{region:Region}"')
def step_fill_in(context, field, value, region=None):
    """Types a value into the field with that label (or placeholder, or accessible name).

    Example: When I fill in "Company name" with "Acme Corp"
    """
    _page(context).fill(_words(context, field), _words(context, value), _words(context, region))


@given('I choose "{option}" in "{field}"')
@when('I choose "{option}" in "{field}"')
@given('I choose "{option}" in "{field}" within "{region:Region}"')
@when('I choose "{option}" in "{field}" within "{region:Region}"')
def step_choose(context, option, field, region=None):
    """Picks an option of a drop-down list, or a radio button of a group, by their names.

    Example: When I choose "Pro" in "Plan"
    """
    words = _page(context)
    words.choose(_words(context, option), _words(context, field), _words(context, region))


@given('I tick "{box}"')
@when('I tick "{box}"')
@given('I tick "{box}" within "{region:Region}"')
@when('I tick "{box}" within "{region:Region}"')
def step_tick(context, box, region=None):
    """Ticks the check box with that label (nothing changes when it is ticked already).

    Example: When I tick "I accept the terms"
    """
    _page(context).tick(_words(context, box), _words(context, region), ticked=True)


@given('I untick "{box}"')
@when('I untick "{box}"')
@given('I untick "{box}" within "{region:Region}"')
@when('I untick "{box}" within "{region:Region}"')
def step_untick(context, box, region=None):
    """Clears the check box with that label (nothing changes when it is clear already).

    Example: When I untick "Send me the newsletter"
    """
    _page(context).tick(_words(context, box), _words(context, region), ticked=False)


@given('I press "{button}"')
@when('I press "{button}"')
@given('I press "{button}" within "{region:Region}"')
@when('I press "{button}" within "{region:Region}"')
def step_press(context, button, region=None):
    """Presses the button with that name (a submit input's value is its name).

    Example: When I press "Start free trial"
    """
    _page(context).press(_words(context, button), _words(context, region))


@given('I follow the link "{link}"')
@when('I follow the link "{link}"')
@given('I follow the link "{link}" within "{region:Region}"')
@when('I follow the link "{link}" within "{region:Region}"')
def step_follow_link(context, link, region=None):
    """Clicks the link with that text.

    Example: When I follow the link "Log in"
    """
    _page(context).follow(_words(context, link), _words(context, region))


@given('I upload "{file}" as "{field}"')
@when('I upload "{file}" as "{field}"')
@given('I upload "{file}" as "{field}" within "{region:Region}"')
@when('I upload "{file}" as "{field}" within "{region:Region}"')
def step_upload(context, file, field, region=None):
    """Gives a file from the feature's fixtures (fixtures/<feature>/files/) to a file field.

    Example: When I upload "logo.png" as "Company logo"
    """
    name = _words(context, file)
    path = context.fixtures.sample_file(context.fixture_folder, name)
    if not path.is_file():
        folder = path.parent
        present = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        listed = ", ".join(present) if present else "no files"
        raise AssertionError(
            f'No file "{name}" to upload: it belongs in {folder}, which holds {listed}.'
        )
    _page(context).upload(path, _words(context, field), _words(context, region))


@when('I download "{link}"')
@when('I download "{link}" within "{region:Region}"')
def step_download(context, link, region=None):
    """Clicks the link or button with that name and waits for the file it sends.

    Example: When I download "Download certificate"
    """
    folder = context.settings.output / "downloads" / context.settings.run_id
    page = _page(context)
    context.download = page.download(_words(context, link), folder, _words(context, region))


# -- checking what the page shows


@then('I see "{text}"')
@then('I see "{text}" within "{region:Region}"')
def step_see(context, text, region=None):
    """The page shows these words (whole words, same case) within the suite's wait.

    Example: Then I see "Pro" within "Current plan"
    """
    _page(context).expect_text(_words(context, text), _words(context, region))


@then('I do not see "{text}"')
@then('I do not see "{text}" within "{region:Region}"')
def step_do_not_see(context, text, region=None):
    """The page does not show these words (or stops showing them within the suite's wait).

    Example: Then I do not see "Your trial has ended"
    """
    _page(context).expect_no_text(_words(context, text), _words(context, region))


@then('the "{field}" field shows "{value}"')
@then('the "{field}" field shows "{value}" within "{region:Region}"')
def step_field_shows(context, field, value, region=None):
    """The field holds exactly this value (a drop-down list: the chosen option's name).

    Example: Then the "Domain" field shows "acme.example.com"
    """
    page = _page(context)
    page.expect_value(_words(context, field), _words(context, value), _words(context, region))


@then('the download is called "{name}"')
def step_download_name(context, name):
    """The file downloaded last has exactly this name.

    Example: Then the download is called "certificate-ACME-1.pdf"
    """
    expected = _words(context, name)
    downloaded = _last_download(context)
    assert downloaded.name == expected, (
        f'The download is called "{downloaded.name}", not "{expected}".'
    )


@then('the download says "{words}"')
def step_download_says(context, words):
    """The file downloaded last holds these words (a PDF's text, or the file as text).

    Example: Then the download says "Certificate of completion"
    """
    expected = _words(context, words)
    downloaded = _last_download(context)
    text = downloaded.text()
    assert words_pattern(expected).search(text), (
        f'The download "{downloaded.name}" does not say "{expected}" (whole words, same case); '
        f'it says "{one_line(text)}".'
    )


def _last_download(context):
    downloaded = getattr(context, "download", None)
    assert downloaded is not None, (
        'No file was downloaded in this scenario: a step `When I download "<link or button>"` '
        "comes first."
    )
    return downloaded


# -- remembering what the page shows


@when('I remember the "{field}" field as {{{name:w}}}')
@when('I remember the "{field}" field within "{region:Region}" as {{{name:w}}}')
def step_remember_field(context, field, name, region=None):
    """Keeps what the field shows under a name, for `{name}` in later steps.

    Example: When I remember the "Domain" field as {domain}
    """
    page = _page(context)
    context.learned[name] = page.shown_value(_words(context, field), _words(context, region))


@when('I remember the text after "{label}" as {{{name:w}}}')
@when('I remember the text after "{label}" within "{region:Region}" as {{{name:w}}}')
def step_remember_text_after(context, label, name, region=None):
    """Keeps the words after a label ("Tenant ID: t-42" -> "t-42") under a name.

    Example: When I remember the text after "Tenant ID" as {tenant}
    """
    page = _page(context)
    context.learned[name] = page.text_after(_words(context, label), _words(context, region))
