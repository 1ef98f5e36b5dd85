"""The test project's own checks, so that its features need no other generic steps."""

from __future__ import annotations

from behave import given, step, then
from playwright.sync_api import expect


@then('the browser shows "{text}"')
def step_browser_shows(context, text):
    expect(context.page.locator("body")).to_contain_text(text)


@then('I have learned {name:w} as "{value}"')
def step_learned(context, name, value):
    assert context.learned[name] == value, f"{name} is {context.learned[name]!r}, not {value!r}"


@given('"{email}" has signed in in the browser with "{password}"')
def step_signed_in_in_browser(context, email, password):
    context.page.goto("/signin")
    context.page.get_by_label("Email").fill(email)
    context.page.get_by_label("Password").fill(password)
    context.page.get_by_role("button", name="Sign in").click()
    expect(context.page.locator("body")).to_contain_text(f"Hello {email}")
    context.learned["signed_in"] = email


@step("I open the remembered link {name:w}")
def step_open_remembered(context, name):
    context.page.goto(context.learned[name])
    expect(context.page.locator("body")).to_contain_text("Invitation c-42")
