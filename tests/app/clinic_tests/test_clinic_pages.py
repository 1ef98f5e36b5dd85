"""Pages need both factors: without a session every /patients address leads to /login, with
the password only to /mfa, and nothing is shown or audited; the brief's addresses."""

from __future__ import annotations

import pytest
from clinic_testkit import (
    JOHN_PATIENT,
    SMITH_EMAIL,
    actions,
    add_provider,
    audit_of,
    sign_in,
    verify,
)
from fastapi.testclient import TestClient

from app.platform.db import Databases

DATABASE_PREFIX = "app-clinic-pages"
VISIT = "7e1c2b9a-4f3d-4c8e-a6b5-9d0e1f2a3b4c"  # John Patient's seeded visit
RX = "0d6a3f2e-58c4-4b1f-9e7a-2c5d8b1f4a60"  # and its prescription
VISIT_PATH = f"/patients/{JOHN_PATIENT}/visits/{VISIT}"
FORM = {"reason": "r", "diagnosis": "d", "treatment_plan": "t", "medication": "m",
        "dosage": "d", "duration": "1 day", "password": "SecurePassword123!"}  # fmt: skip

PAGES = [
    ("GET", "/patients"),
    ("GET", "/patients/search"),
    ("GET", "/patients/search?q=John"),
    ("GET", f"/patients/{JOHN_PATIENT}"),
    ("GET", f"/patients/{JOHN_PATIENT}/visits/new"),
    ("POST", f"/patients/{JOHN_PATIENT}/visits/new"),
    ("GET", VISIT_PATH),
    ("GET", f"{VISIT_PATH}/prescriptions"),
    ("GET", f"{VISIT_PATH}/prescriptions/new"),
    ("POST", f"{VISIT_PATH}/prescriptions/new"),
    ("POST", f"{VISIT_PATH}/prescriptions/sign"),
    ("POST", f"{VISIT_PATH}/prescriptions/{RX}/change"),
    ("GET", "/patients/no-such-page/at/all"),
]


def ask(client: TestClient, method: str, path: str) -> tuple[int, str | None]:
    r = client.request(method, path, data=FORM if method == "POST" else None)
    return r.status_code, r.headers.get("location")


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_without_a_session_every_patient_address_leads_to_the_login(
    client: TestClient, method: str, path: str
) -> None:
    assert ask(client, method, path) == (303, "/login")


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_with_the_password_only_every_patient_address_leads_to_the_second_factor(
    client: TestClient, databases: Databases, method: str, path: str
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in(client, provider.email)
    assert ask(client, method, path) == (303, "/mfa")
    assert audit_of(databases, provider.provider_id) == [], "nothing is audited as viewed"


def test_the_password_only_session_opens_the_pages_once_the_second_factor_is_given(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in(client, provider.email)
    r = client.get("/mfa")
    assert 'class="mfa-required' in r.text and 'data-testid="mfa-code"' in r.text
    assert client.get(f"/patients/{JOHN_PATIENT}").headers["location"] == "/mfa"
    verify(client, provider)
    assert client.get("/mfa").headers["location"] == "/patients/search"
    r = client.get(f"/patients/{JOHN_PATIENT}")
    assert r.status_code == 200 and 'class="patient-summary"' in r.text
    assert actions(databases, provider.provider_id) == ["MFA_VERIFIED", "PATIENT_VIEWED"]


def test_the_second_factor_page_needs_the_password_first(client: TestClient) -> None:
    assert ask(client, "GET", "/mfa") == (303, "/login")
    assert ask(client, "POST", "/mfa") == (303, "/login")


def test_the_briefs_sign_in_address_and_the_start_page(client: TestClient) -> None:
    assert ask(client, "GET", "/provider/login") == (303, "/login")
    assert ask(client, "GET", "/") == (303, "/patients/search")
    r = client.get("/login")
    assert "<title>Log in · Healthcare clinic</title>" in r.text
    for testid in ("email", "password", "login"):
        assert f'data-testid="{testid}"' in r.text


def test_a_seeded_provider_signs_in_with_the_password_and_lands_on_the_second_factor(
    client: TestClient,
) -> None:
    r = client.post("/login", data={"email": SMITH_EMAIL, "password": "wrong"})
    assert r.status_code == 401
    sign_in(client, SMITH_EMAIL)
    assert "provider_session" in client.cookies
    assert client.get("/patients/search").headers["location"] == "/mfa"
    client.post("/logout")
    assert client.get("/mfa").headers["location"] == "/login"


def test_a_disabled_provider_cannot_sign_in(client: TestClient, databases: Databases) -> None:
    provider = add_provider(databases)
    with databases.clinic.batch() as batch:
        batch.update("Providers", columns=("ProviderID", "Status"),
                     values=[(provider.provider_id, "disabled")])  # fmt: skip
    r = client.post("/login", data={"email": provider.email, "password": "SecurePassword123!"})
    assert r.status_code == 401
