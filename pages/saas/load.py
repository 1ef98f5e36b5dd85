"""The sign-in a load burst makes, on Playwright's async API (harness/load/burst.py's
LoginSteps): the shared login page, then the tenant's dashboard showing the company's name."""

from __future__ import annotations

from playwright.async_api import Page, expect

from harness.load.burst import Credentials
from pages.login import LoginScreen


class SignInToDashboard:
    def __init__(self, company: str) -> None:
        self.company = company

    async def prepare(self, page: Page, person: Credentials) -> None:
        await page.goto(LoginScreen.path)
        await page.get_by_test_id("email").fill(person.email)
        await page.get_by_test_id("password").fill(person.password)

    async def submit(self, page: Page) -> None:
        await page.get_by_test_id("login").click()

    async def arrived(self, page: Page, timeout_ms: float) -> None:
        """The dashboard shows once it names the company (its data loaded)."""
        await expect(page.get_by_test_id("tenant-name")).to_have_text(
            self.company, timeout=timeout_ms
        )
