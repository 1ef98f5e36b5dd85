"""The dashboard as it works through an unreliable network: what it shows (from the platform
or from the copy saved on this device), the offline indicator, and changes waiting to be sent."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from pages.base import Screen


class OfflineDashboard(Screen):
    path = "/dashboard"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.root = self.part("dashboard")

    # --- how long the page itself waits (published by its script)
    def api_timeout_seconds(self) -> float:
        # the script publishes it when it starts: wait for the script, not for a clock
        expect(self.root).to_have_attribute("data-api-timeout-ms", re.compile(r"^\d+$"))
        value = self.root.get_attribute("data-api-timeout-ms")
        if value is None:
            raise AssertionError("the dashboard does not say how long it waits for the platform")
        return int(value) / 1000

    def retry_interval_seconds(self) -> float:
        value = self.root.get_attribute("data-retry-interval-ms")
        if value is None:
            raise AssertionError("the dashboard does not say how often it asks the platform again")
        return int(value) / 1000

    # --- what it shows
    @property
    def offline_indicator(self) -> Locator:
        return self.page.locator(".offline-indicator")

    @property
    def live_data(self) -> Locator:
        return self.part("live-data")

    @property
    def cached_data(self) -> Locator:
        return self.part("cached-data")

    @property
    def no_saved_copy(self) -> Locator:
        return self.part("no-saved-copy")

    @staticmethod
    def tenant_name(block: Locator) -> Locator:
        return block.get_by_test_id("tenant-name")

    @staticmethod
    def plan(block: Locator) -> Locator:
        return block.get_by_test_id("dashboard-plan")

    @staticmethod
    def display_name(block: Locator) -> Locator:
        return block.get_by_test_id("display-name")

    @property
    def queued_for_sync(self) -> Locator:
        return self.page.locator(".queued-for-sync")

    @property
    def queued_name(self) -> Locator:
        return self.part("queued-name")

    @property
    def sync_refused(self) -> Locator:
        return self.part("sync-refused")

    # --- what a person does on it
    def change_display_name(self, name: str) -> None:
        self.part("update-profile").click()
        self.part("name").fill(name)
        self.part("save").click()
