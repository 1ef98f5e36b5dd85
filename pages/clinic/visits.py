"""Recording a visit, and the visit's page once it is saved."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page

from pages.base import Screen


class NewVisitScreen(Screen):
    def __init__(self, page: Page, patient_id: str) -> None:
        super().__init__(page)
        self.path = f"/patients/{patient_id}/visits/new"

    def record(self, reason: str, diagnosis: str, treatment_plan: str) -> None:
        """Fills the visit's form and saves it; returns once the clinic's answer has loaded."""
        self.part("visit-reason").fill(reason)
        self.part("diagnosis").fill(diagnosis)
        self.part("treatment-plan").fill(treatment_plan)
        with self.page.expect_navigation():
            self.part("save-visit").click()

    @property
    def field_errors(self) -> Locator:
        """What the clinic says is wrong with the fields, in the form's order."""
        return self.page.locator(".field-error")


class VisitScreen(Screen):
    def __init__(self, page: Page, patient_id: str, visit_id: str) -> None:
        super().__init__(page)
        self.visit_id = visit_id
        self.path = f"/patients/{patient_id}/visits/{visit_id}"

    @classmethod
    def shown(cls, page: Page, patient_id: str) -> VisitScreen:
        """The visit whose page the browser shows (where saving a new visit leads)."""
        path = urlsplit(page.url).path
        found = re.fullmatch(rf"/patients/{re.escape(patient_id)}/visits/([^/]+)", path)
        assert found, f"saving a visit leads to the visit's page, not to {path}"
        return cls(page, patient_id, found.group(1))

    @property
    def visit_saved(self) -> Locator:
        return self.page.locator(".visit-saved")

    def open_prescriptions(self) -> None:
        with self.page.expect_navigation():
            self.part("prescriptions").click()
