"""The sign-in page every reference app shares, for users and operators alike."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.base import Screen


class LoginScreen(Screen):
    path = "/login"

    def log_in(self, email: str, password: str) -> None:
        self.part("email").fill(email)
        self.part("password").fill(password)
        self.part("login").click()

    @property
    def login_error(self) -> Locator:
        return self.page.locator(".login-error")

    @property
    def sign_in_form(self) -> Locator:
        return self.part("login")
