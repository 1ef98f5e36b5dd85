"""The operators' console: finding tenants and suspending them."""

from __future__ import annotations

from playwright.sync_api import Locator

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
