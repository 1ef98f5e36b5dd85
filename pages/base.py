from __future__ import annotations

from typing import Self
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page


class Screen:
    """A screen of the app; subclasses name its parts by their data-testid."""

    path = "/"

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> Self:
        self.page.goto(self.path)
        return self

    def reach(self) -> Self:
        """Opens the screen unless the page already shows it: the next action is taken where a
        user would be, without loading the page again."""
        if urlsplit(self.page.url).path != self.path:
            self.page.goto(self.path)
        return self

    def part(self, test_id: str) -> Locator:
        return self.page.get_by_test_id(test_id)
