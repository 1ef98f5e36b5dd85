"""Every page and form of a patient, reached as a provider could: a page by typing its address
in the browser, a form by sending it (with the session's cookies) without the page that holds
it, as a hand-made request would. What the clinic answered is kept as an Answer."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from playwright.sync_api import Page

from pages.clinic.requests import post_form


@dataclass(frozen=True)
class Answer:
    """The clinic's answer: its status, the path it ended on (a page: after redirects; a form:
    where its redirect leads, else its own address), its text."""

    status: int
    path: str
    text: str


@dataclass(frozen=True)
class PatientPlaces:
    """The addresses of one patient's pages; ``visit_id``/``prescription_id``: the visit and
    prescription the visit's places are about (empty when the patient has none)."""

    page: Page
    patient_id: str
    full_name: str
    visit_id: str = ""
    prescription_id: str = ""

    def _paths(self) -> dict[str, tuple[str, str]]:
        record = f"/patients/{self.patient_id}"
        visit = f"{record}/visits/{self.visit_id}"
        prescriptions = f"{visit}/prescriptions"
        return {
            "search for the name": ("GET", f"/patients/search?{urlencode({'q': self.full_name})}"),
            "open the record": ("GET", record),
            "open the new-visit form": ("GET", f"{record}/visits/new"),
            "send the new-visit form": ("POST", f"{record}/visits/new"),
            "open the earlier visit": ("GET", visit),
            "open the earlier visit's prescriptions": ("GET", prescriptions),
            "open the earlier visit's prescription form": ("GET", f"{prescriptions}/new"),
            "send the earlier visit's prescription form": ("POST", f"{prescriptions}/new"),
            "sign a prescription at the earlier visit": ("POST", f"{prescriptions}/sign"),
            "change the earlier visit's prescription": (
                "POST",
                f"{prescriptions}/{self.prescription_id}/change",
            ),
        }

    def address(self, place: str) -> tuple[str, str]:
        """The method and path of the place."""
        return self._paths()[place]

    def reach(self, place: str, form: dict[str, str]) -> Answer:
        """Opens the page by its address, or sends its form; the clinic's answer."""
        method, path = self.address(place)
        if method == "GET":
            response = self.page.goto(path)
            assert response is not None, f"the browser got no answer from {path}"
            return Answer(response.status, urlsplit(self.page.url).path, self.page.content())
        # the form's own answer, not the page a redirect leads to: a refused form must say so
        sent = post_form(self.page, path, form, max_redirects=0)
        location = sent.headers.get("location")
        landed = urlsplit(location).path if location else path
        return Answer(sent.status, landed, sent.text())
