"""A module's assignment: the file to hand in, notes, and what the academy made of it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import FilePayload, Locator

from pages.base import Screen


class AssignmentScreen(Screen):
    def hand_in(self, file: Path | FilePayload, notes: str) -> None:
        self.part("file-upload").set_input_files(file)
        self.part("assignment-notes").fill(notes)
        with self.page.expect_navigation():
            self.part("submit").click()

    def lift_the_notes_limit(self) -> None:
        """What a student's browser tools can do: the notes box no longer stops at its limit."""
        self.part("assignment-notes").evaluate("box => box.removeAttribute('maxlength')")

    @property
    def submit_button(self) -> Locator:
        return self.part("submit")

    @property
    def assignment_error(self) -> Locator:
        return self.page.locator(".assignment-error")

    @property
    def assignment_submitted(self) -> Locator:
        return self.page.locator(".assignment-submitted")
