"""The console's page of a tenant's locked sign-ins: who is locked out, and the button that
lifts a lock."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from pages.saas.admin import AdminTenantsScreen
from pages.saas.console import CONSOLE_PATH, send_form


class LockedSignInsScreen:
    def __init__(self, page: Page) -> None:
        self.page = page

    def open_from_console(self, domain: str) -> LockedSignInsScreen:
        """Finds the tenant in the console and follows its "Locked sign-ins" link."""
        row = AdminTenantsScreen(self.page).tenant_actions(domain)
        row.get_by_test_id("locked-sign-ins").click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Locked sign-ins")
        return self

    def person(self, email: str) -> Locator:
        """The row of the locked person with this email."""
        return self.page.get_by_test_id("locked-person").filter(
            has=self.page.get_by_test_id("locked-email").get_by_text(email, exact=True)
        )

    def unlock(self, email: str) -> None:
        """Presses the person's "Unlock sign-in" button and waits for the console's answer."""
        row = self.person(email)
        expect(row, f"{email} is not listed among the tenant's locked sign-ins").to_have_count(1)
        row.get_by_role("button", name="Unlock sign-in").click()
        expect(self.success.or_(self.page.get_by_role("alert"))).to_be_visible()

    @property
    def success(self) -> Locator:
        return self.page.get_by_test_id("unlock-success")


def send_unlock(page: Page, tenant_id: str, user_id: str) -> None:
    """Sends the unlock by hand, from the page open (with its CSRF token, as a form would)."""
    send_form(page, f"{CONSOLE_PATH}/{tenant_id}/people/{user_id}/unlock", {})
