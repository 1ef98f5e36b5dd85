"""Signing in to the clinic: the brief's provider login (the shared sign-in page), the second
factor, and signing out."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Cookie, Locator, Page

from pages.base import Screen
from pages.clinic.requests import post_form
from pages.shared.login import LoginScreen


class ProviderLoginScreen(LoginScreen):
    """The brief's address for providers; the clinic sends it on to the shared sign-in page."""

    path = "/provider/login"

    def send(self, email: str, password: str) -> str:
        """Sends the sign-in form as a request with the browser's cookies, without loading the
        page (for a scenario that starts signed in); the path the clinic leads to."""
        response = post_form(self.page, LoginScreen.path, {"email": email, "password": password})
        return urlsplit(response.url).path


class SecondFactorScreen(Screen):
    """Where a provider enters the current code of their authenticator app. ``answer_status``
    is the HTTP status of the clinic's answer to the last code sent (after its redirects)."""

    path = "/mfa"
    answer_status: int | None = None

    @property
    def prompt(self) -> Locator:
        return self.page.locator(".mfa-required")

    def enter_code(self, code: str) -> str:
        """Sends the code; returns once the clinic's answer has loaded, with its path."""
        self.part("mfa-code").fill(code)
        with self.page.expect_navigation() as navigation:
            self.part("verify-mfa").click()
        answer = navigation.value
        self.answer_status = answer.status if answer is not None else None
        return urlsplit(self.page.url).path

    def send_code(self, code: str) -> str:
        """Sends the code as a request with the browser's cookies, without loading the page;
        the path the clinic leads to."""
        response = post_form(self.page, self.path, {"code": code})
        self.answer_status = response.status
        return urlsplit(response.url).path

    @property
    def mfa_error(self) -> Locator:
        return self.page.locator(".mfa-error")


SIGN_OUT_PATH = "/provider/logout"


def sign_out(screen: Screen) -> str:
    """Ends the browser's session: the clinic's sign-out (audited), sent with the session's
    cookies as the header's button sends it; the path it leads to."""
    return urlsplit(post_form(screen.page, SIGN_OUT_PATH, {}).url).path


def session_cookies(page: Page) -> list[Cookie]:
    """The browser's provider-session cookie (named with the __Host- prefix behind https)."""
    return [c for c in page.context.cookies() if c["name"].endswith("provider_session")]


def sign_out_by_button(page: Page) -> None:
    """Clicks the header's sign-out button; returns once the next page has loaded."""
    with page.expect_navigation():
        page.get_by_test_id("logout").click()
