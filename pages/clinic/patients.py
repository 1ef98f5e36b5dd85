"""The patient search and a patient's record: the summary, the medical history, a new visit."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from pages.base import Screen


class PatientSearchScreen(Screen):
    path = "/patients/search"

    @property
    def search_box(self) -> Locator:
        return self.part("patient-search")

    def search(self, name: str) -> None:
        """Searches by name; returns once the results have loaded."""
        self.search_box.fill(name)
        with self.page.expect_navigation():
            self.part("search").click()

    def result(self, patient_id: str) -> Locator:
        return self.part(f"patient-{patient_id}")

    @property
    def results(self) -> Locator:
        """Every patient listed: links named patient-<PatientID>."""
        return self.page.locator('a[data-testid^="patient-"]')

    @property
    def no_patients(self) -> Locator:
        return self.page.locator(".no-patients")

    def open_result(self, patient_id: str) -> None:
        with self.page.expect_navigation():
            self.result(patient_id).click()


class PatientScreen(Screen):
    """A patient's record: the summary, the medical history (shown on request), a new visit."""

    def __init__(self, page: Page, patient_id: str) -> None:
        super().__init__(page)
        self.path = f"/patients/{patient_id}"

    @property
    def summary(self) -> Locator:
        return self.page.locator(".patient-summary")

    def show_medical_history(self) -> None:
        self.part("medical-history").click()

    @property
    def medical_history(self) -> Locator:
        return self.page.locator(".medical-history")

    def start_new_visit(self) -> None:
        with self.page.expect_navigation():
            self.part("new-visit").click()

    @property
    def access_denied(self) -> Locator:
        return self.page.locator(".access-denied")
