"""The operators' console: finding tenants and suspending them."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Locator, expect

from pages.base import Screen


class AdminTenantsScreen(Screen):
    path = "/admin/tenants"

    def search(self, text: str) -> None:
        self.part("search").fill(text)
        self.part("search-button").click()

    def suspend_first_result(self, reason: str) -> None:
        row = self.part("tenant-row").first
        row.get_by_test_id("tenant-actions").click()
        row.get_by_test_id("suspend-tenant").click()
        self.part("suspension-reason").fill(reason)
        self.part("confirm-suspension").click()

    @property
    def suspension_success(self) -> Locator:
        return self.page.locator(".suspension-success")

    def tenant_actions(self, domain: str) -> Locator:
        """Finds the tenant by its exact domain and opens its actions; returns its row."""
        self.page.goto(f"{self.path}?{urlencode({'q': domain})}")  # the search, as a link
        row = self.part("tenant-row").filter(has=self.page.get_by_text(domain, exact=True))
        row.get_by_test_id("tenant-actions").click()
        return row

    def start_suspension(self, domain: str) -> None:
        """Finds the tenant by its exact domain and opens its suspension form."""
        self.tenant_actions(domain).get_by_test_id("suspend-tenant").click()

    def reinstate(self, domain: str) -> None:
        """Finds the tenant, reinstates it, and waits for the console's answer."""
        self.tenant_actions(domain).get_by_test_id("reinstate-tenant").click()
        expect(self.reinstatement_success).to_be_visible()

    @property
    def suspension_error(self) -> Locator:
        return self.page.locator(".suspension-error")

    @property
    def reinstatement_success(self) -> Locator:
        return self.page.locator(".reinstatement-success")

    def write_reason(self, reason: str) -> None:
        self.reason_box.fill(reason)

    def suspend(self, domain: str, reason: str) -> None:
        """Sends the tenant's suspension form with this reason; waits for the console's answer."""
        self.start_suspension(domain)
        self.write_reason(reason)
        self.part("confirm-suspension").click()
        expect(self.suspension_answer).to_be_visible()

    @property
    def reason_box(self) -> Locator:
        return self.part("suspension-reason")

    @property
    def reason_problem(self) -> Locator:
        return self.page.locator("#suspension_reason-error")

    @property
    def suspension_answer(self) -> Locator:
        """The success notice, or what the console says is wrong with the suspension."""
        return self.page.locator(".suspension-success, #suspension_reason-error, .suspension-error")

    @property
    def refusal(self) -> Locator:
        """What the console says when it refuses an action it has no form for."""
        return self.page.locator(".error-message")

    @property
    def listed_tenants(self) -> Locator:
        return self.part("tenant-row")

    @property
    def tenant_search(self) -> Locator:
        return self.part("search")
