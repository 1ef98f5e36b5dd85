"""The sign-in a load burst makes, on Playwright's async API (harness/load/burst.py's
LoginSteps): the shared login page, then the tenant's dashboard showing the company's name."""

from __future__ import annotations

from playwright.async_api import Page

from harness.load.burst import Credentials
from pages.shared.login import LoginScreen

# how often each page is asked whether its dashboard shows: fifty pages polling on every
# animation frame would load the test machine more than the sign-ins do
POLL_MS = 100
TENANT_NAME_SHOWN = """name => {
  const shown = document.querySelector('[data-testid="tenant-name"]');
  return shown !== null && shown.offsetParent !== null && shown.textContent.trim() === name;
}"""


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
        """The dashboard shows once it names the company (its data loaded), checked every
        POLL_MS: the end-to-end time is known to that much."""
        try:
            await page.wait_for_function(
                TENANT_NAME_SHOWN, arg=self.company, polling=POLL_MS, timeout=timeout_ms
            )
        except Exception as error:
            raise AssertionError(
                f"the dashboard did not name {self.company!r} within {timeout_ms / 1000:.0f} s "
                f"({type(error).__name__})"
            ) from None
