"""A visit's prescriptions: the list, the prescribe form, the signing page, and a change sent
to a signed prescription's address."""

from __future__ import annotations

from playwright.sync_api import APIResponse, Locator, Page

from pages.base import Screen
from pages.clinic.requests import post_form


class PrescriptionsScreen(Screen):
    def __init__(self, page: Page, patient_id: str, visit_id: str) -> None:
        super().__init__(page)
        self.path = f"/patients/{patient_id}/visits/{visit_id}/prescriptions"

    def start_new_prescription(self) -> None:
        with self.page.expect_navigation():
            self.part("new-prescription").click()

    @property
    def prescription_signed(self) -> Locator:
        return self.page.locator(".prescription-signed")

    def send_change(self, prescription_id: str, changes: dict[str, str]) -> APIResponse:
        """POSTs a change to the prescription's address with the session's cookies, as a
        typed request would: the form offers no way to change a signed prescription."""
        return post_form(self.page, f"{self.path}/{prescription_id}/change", changes)

    def send_to_signing(self, form: dict[str, str]) -> APIResponse:
        """POSTs a prescription and a password to the visit's signing address with the
        session's cookies, without the form that leads there."""
        return post_form(self.page, f"{self.path}/sign", form)


class PrescribeScreen(Screen):
    """The prescribe form; it leads to the signing page."""

    def prescribe(self, medication: str, dosage: str, duration: str) -> None:
        self.part("medication").fill(medication)
        self.part("dosage").fill(dosage)
        self.part("duration").fill(duration)
        with self.page.expect_navigation():
            self.part("prescribe").click()

    @property
    def field_errors(self) -> Locator:
        """What the clinic says is wrong with the fields, in the form's order."""
        return self.page.locator(".field-error")


class SigningScreen(Screen):
    """Shows the prescription and asks for the provider's password again."""

    @property
    def password_field(self) -> Locator:
        return self.part("signature-password")

    def sign(self, password: str) -> None:
        self.password_field.fill(password)
        with self.page.expect_navigation():
            self.part("sign-prescription").click()

    @property
    def signature_error(self) -> Locator:
        return self.page.locator(".signature-error")
