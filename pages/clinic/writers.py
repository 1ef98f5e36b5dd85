"""The clinic's requests as many providers send them at once (harness/concurrent_requests.py).

Each provider's browser gets ready the way a person does: the sign-in page, the password, the
second factor's page and the current code, then the patient's new-visit form. At the moment,
it sends that form filled in. Every form is loaded first and posted back with every field it
holds (hidden ones included), the provider's typing over them; cookies stay the browser's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from harness.concurrent_requests import Writer
from harness.html_forms import find_form
from pages.clinic.patients import PatientSearchScreen
from pages.clinic.sign_in import SecondFactorScreen
from pages.shared.login import LoginScreen


@dataclass(frozen=True)
class VisitNotes:
    reason: str
    diagnosis: str
    treatment_plan: str


def _send_form(
    client: httpx.Client, path: str, action: str, typed: dict[str, str], what: str
) -> httpx.Response:
    """Loads the page at ``path`` and posts its form to ``action`` with ``typed`` filled in."""
    page = client.get(path)
    assert page.status_code == 200, f"{what} answered {page.status_code}: {page.text[:300]}"
    form = find_form(page.text, action, what)
    return client.post(form.url(str(page.url)), data=form.submission(typed))


def _leads_to(response: httpx.Response, path: str, what: str) -> None:
    location = urlsplit(response.headers.get("location", "")).path
    assert response.status_code == 303 and location == path, (
        f"{what} must lead to {path}; it answered {response.status_code} "
        f"(location {location or 'none'}): {response.text[:300]}"
    )


def new_visit_path(patient_id: str) -> str:
    return f"/patients/{patient_id}/visits/new"


_VISIT_PAGE = re.compile(r"/patients/(?P<patient>[^/]+)/visits/(?P<visit>[^/]+)")


def visit_id_led_to(response: httpx.Response, patient_id: str) -> str | None:
    """The id of the visit whose page the answer leads to (where a saved visit leads), else
    None."""
    found = _VISIT_PAGE.fullmatch(urlsplit(response.headers.get("location", "")).path)
    if response.status_code != 303 or found is None or found["patient"] != patient_id:
        return None
    return found["visit"] if found["visit"] != "new" else None


def record_visit(
    email: str, password: str, current_code: Callable[[], str], patient_id: str, notes: VisitNotes
) -> Writer:
    """Signs in with both factors and opens the new-visit form; at the moment, saves it."""

    def get_ready(client: httpx.Client) -> Callable[[], httpx.Response]:
        signed_in = _send_form(
            client, LoginScreen.path, LoginScreen.path,
            {"email": email, "password": password}, f"the sign-in page, for {email}",
        )  # fmt: skip
        _leads_to(signed_in, SecondFactorScreen.path, f"the password of {email}")
        verified = _send_form(
            client, SecondFactorScreen.path, SecondFactorScreen.path,
            {"code": current_code()}, f"the second factor's page, for {email}",
        )  # fmt: skip
        _leads_to(verified, PatientSearchScreen.path, f"the current code of {email}")
        path = new_visit_path(patient_id)
        page = client.get(path)
        assert page.status_code == 200, (
            f"the new-visit form of {patient_id} answered {email} {page.status_code}: "
            f"{page.text[:300]}"
        )
        form = find_form(page.text, path, f"the new-visit form, for {email}")
        typed = {"reason": notes.reason, "diagnosis": notes.diagnosis,
                 "treatment_plan": notes.treatment_plan}  # fmt: skip
        data, url = form.submission(typed), form.url(str(page.url))
        return lambda: client.post(url, data=data)

    return get_ready
