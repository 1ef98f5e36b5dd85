"""Signing in, as every reference app shares it: its sign-in page (pages/shared/login.py)."""

from __future__ import annotations

from behave import then
from playwright.sync_api import expect

from pages.shared.login import LoginScreen


@then('sign-in is refused with "{message}"')
def step_sign_in_refused(context, message):
    """The sign-in page says why."""
    expect(
        LoginScreen(context.page).login_error,
        "only an active account with the right password signs in, and a refusal says so",
    ).to_have_text(message)
