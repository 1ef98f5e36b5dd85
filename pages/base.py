from __future__ import annotations

from playwright.sync_api import Locator, Page


class Screen:
    """A screen of the app; subclasses name its parts by their data-testid."""

    path = "/"

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> Screen:
        self.page.goto(self.path)
        return self

    def part(self, test_id: str) -> Locator:
        return self.page.get_by_test_id(test_id)
