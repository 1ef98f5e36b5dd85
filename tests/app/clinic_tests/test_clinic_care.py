"""The care rule: a provider opens a patient only while a care relationship holds (started,
not ended); the search lists only such patients; every page and form of any other patient is
refused with 403 and audited as ACCESS_DENIED. The chart and the visit form behind it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from clinic_testkit import (
    JANE_ROE,
    JOHN_FORMER,
    JOHN_PATIENT,
    JOHNNY_LATER,
    actions,
    add_care,
    add_provider,
    audit_of,
    rows,
    sign_in_fully,
    text_of,
)
from fastapi.testclient import TestClient

from app.clinic.care import in_care, may_open, name_matches, patients_in_care, search
from app.clinic.routes.common import NOT_IN_CARE
from app.platform.db import Databases

DATABASE_PREFIX = "app-clinic-care"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
VISIT = "7e1c2b9a-4f3d-4c8e-a6b5-9d0e1f2a3b4c"  # John Patient's seeded visit (Dr. Smith's)
RX = "0d6a3f2e-58c4-4b1f-9e7a-2c5d8b1f4a60"
VISIT_FORM = {"reason": "Annual checkup", "diagnosis": "Healthy, no concerns",
              "treatment_plan": "Continue current medications"}  # fmt: skip


# The rule, at chosen moments ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("started_at", "ended_at", "holds"),
    [
        (NOW - timedelta(days=400), None, True),  # ongoing
        (NOW, None, True),  # starts this very moment
        (NOW + SECOND, None, False),  # not started yet
        (NOW - timedelta(days=500), NOW - timedelta(days=10), False),  # ended
        (NOW - timedelta(days=500), NOW, False),  # ends this very moment
        (NOW - timedelta(days=500), NOW + SECOND, True),  # ends later
    ],
    ids=["ongoing", "starts-now", "not-started", "ended", "ends-now", "ends-later"],
)
def test_a_care_relationship_holds_from_its_start_until_its_end(
    started_at: datetime, ended_at: datetime | None, holds: bool
) -> None:
    assert in_care(started_at, ended_at, NOW) is holds


def test_a_name_matches_what_it_contains_whatever_the_case() -> None:
    assert name_matches("John Patient", "john patient")
    assert name_matches("John Patient", "  PATIENT ")
    assert name_matches("Johnny Later", "john")
    assert not name_matches("Jane Roe", "john")


def test_the_seeded_relationships_of_dr_smith(databases: Databases) -> None:
    now = datetime.now(UTC)
    cards = patients_in_care(databases.clinic, "provider-dr-smith", now)
    assert [c.patient_id for c in cards] == [JOHN_PATIENT]
    assert may_open(databases.clinic, "provider-dr-smith", JOHN_PATIENT, now)
    for other in (JANE_ROE, JOHN_FORMER, JOHNNY_LATER, "patient-unknown"):
        assert not may_open(databases.clinic, "provider-dr-smith", other, now), other
    assert may_open(databases.clinic, "provider-dr-jones", JANE_ROE, now)
    # Johnny Later's care starts in five days
    assert may_open(databases.clinic, "provider-dr-smith", JOHNNY_LATER, now + timedelta(days=6))
    assert [c.full_name for c in search(databases.clinic, "provider-dr-smith", "john", now)] == [
        "John Patient"
    ]


# Over HTTP ---------------------------------------------------------------------------------


@pytest.fixture()
def provider_in_care(client: TestClient, databases: Databases) -> str:
    """A signed-in provider with John Patient in care, John Former's ended, Johnny Later's
    not started; Jane Roe is another provider's."""
    now = datetime.now(UTC)
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    add_care(databases, provider.provider_id, JOHN_FORMER, now - timedelta(days=30),
             now - timedelta(days=1))  # fmt: skip
    add_care(databases, provider.provider_id, JOHNNY_LATER, now + timedelta(days=5))
    sign_in_fully(client, provider)
    return provider.provider_id


def test_the_search_lists_only_the_patients_in_care_and_is_audited(
    client: TestClient, databases: Databases, provider_in_care: str
) -> None:
    r = client.get("/patients/search", params={"q": "John"})
    assert r.status_code == 200
    assert f'data-testid="patient-{JOHN_PATIENT}" href="/patients/{JOHN_PATIENT}">John Patient<' \
        in r.text  # fmt: skip
    for other in (JANE_ROE, JOHN_FORMER, JOHNNY_LATER):
        assert f"patient-{other}" not in r.text, other
    searched, listed = audit_of(databases, provider_in_care)[-2:]
    assert (searched["Action"], searched["PatientID"], searched["ResourceType"]) == (
        "PATIENT_SEARCHED", None, "patient_search",
    )  # fmt: skip
    assert searched["Details"] == "query 'John': 1 found"
    assert (listed["Action"], listed["PatientID"], listed["ResourceID"]) == (
        "PATIENT_LISTED", JOHN_PATIENT, JOHN_PATIENT,
    ), "the search audits which patient it listed"  # fmt: skip
    assert listed["RequestID"] == searched["RequestID"] and listed["Seq"] == 2
    r = client.get("/patients/search", params={"q": "Jane"})
    assert "no-patients" in r.text and "patient-" + JANE_ROE not in r.text
    assert actions(databases, provider_in_care)[-1] == "PATIENT_SEARCHED", "none listed"


def test_the_search_form_alone_is_not_audited(
    client: TestClient, databases: Databases, provider_in_care: str
) -> None:
    for params in ({}, {"q": "  "}):
        r = client.get("/patients/search", params=params)
        assert r.status_code == 200 and 'data-testid="patient-search"' in r.text
    assert actions(databases, provider_in_care) == ["MFA_VERIFIED"]


def test_opening_a_patient_in_care_shows_the_summary_and_history_once_audited(
    client: TestClient, databases: Databases, provider_in_care: str
) -> None:
    r = client.get(f"/patients/{JOHN_PATIENT}")
    assert r.status_code == 200
    assert "John Patient" in text_of(r.text, "patient-summary")
    assert "1968-04-12" in r.text and "MRN-0001001" in r.text
    assert 'class="medical-history" hidden' in r.text, "the history waits for its button"
    assert "Follow-up of high cholesterol" in r.text and "Dr. Alice Smith" in r.text
    assert "Atorvastatin 20mg" in r.text
    assert 'data-testid="medical-history"' in r.text and 'data-testid="new-visit"' in r.text
    entry = audit_of(databases, provider_in_care)[-1]
    assert (entry["Action"], entry["Status"], entry["PatientID"], entry["ResourceID"]) == (
        "PATIENT_VIEWED", "completed", JOHN_PATIENT, JOHN_PATIENT,
    )  # fmt: skip


@pytest.mark.parametrize("patient_id", [JANE_ROE, JOHN_FORMER, JOHNNY_LATER, "patient-999"])
def test_opening_a_patient_outside_ones_care_is_refused_and_audited(
    client: TestClient, databases: Databases, provider_in_care: str, patient_id: str
) -> None:
    r = client.get(f"/patients/{patient_id}")
    assert r.status_code == 403
    assert text_of(r.text, "access-denied") == NOT_IN_CARE
    assert "patient-summary" not in r.text
    entry = audit_of(databases, provider_in_care)[-1]
    assert (entry["Action"], entry["PatientID"], entry["ProviderID"]) == (
        "ACCESS_DENIED", patient_id, provider_in_care,
    )  # fmt: skip
    assert entry["Details"] == f"not in care: GET /patients/{patient_id}"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/patients/{p}/visits/new"),
        ("POST", "/patients/{p}/visits/new"),
        ("GET", "/patients/{p}/visits/" + VISIT),
        ("GET", "/patients/{p}/visits/" + VISIT + "/prescriptions"),
        ("GET", "/patients/{p}/visits/" + VISIT + "/prescriptions/new"),
        ("POST", "/patients/{p}/visits/" + VISIT + "/prescriptions/new"),
        ("POST", "/patients/{p}/visits/" + VISIT + "/prescriptions/sign"),
        ("POST", "/patients/{p}/visits/" + VISIT + "/prescriptions/" + RX + "/change"),
    ],
)
def test_every_page_and_form_of_a_patient_outside_ones_care_is_refused(
    client: TestClient, databases: Databases, provider_in_care: str, method: str, path: str
) -> None:
    r = client.request(method, path.format(p=JOHN_FORMER), data=VISIT_FORM)
    assert r.status_code == 403 and 'class="access-denied"' in r.text
    assert actions(databases, provider_in_care)[-1] == "ACCESS_DENIED"
    assert rows(databases, "clinic", "SELECT VisitID FROM VisitRecords WHERE PatientID = @p",
                p=JOHN_FORMER) == []  # fmt: skip


def test_a_visit_is_recorded_and_shown_to_its_author(
    client: TestClient, databases: Databases, provider_in_care: str
) -> None:
    r = client.get(f"/patients/{JOHN_PATIENT}/visits/new")
    for testid in ("visit-reason", "diagnosis", "treatment-plan", "save-visit"):
        assert f'data-testid="{testid}"' in r.text
    r = client.post(f"/patients/{JOHN_PATIENT}/visits/new",
                    data={k: f"  {v} " for k, v in VISIT_FORM.items()})  # fmt: skip
    assert r.status_code == 303
    visit_id = r.headers["location"].rsplit("/", 1)[1]
    assert r.headers["location"] == f"/patients/{JOHN_PATIENT}/visits/{visit_id}"
    [row] = rows(databases, "clinic",
                 "SELECT ProviderID, Reason, Diagnosis, TreatmentPlan FROM VisitRecords "
                 "WHERE PatientID = @p AND VisitID = @v", p=JOHN_PATIENT, v=visit_id)  # fmt: skip
    assert row == {"ProviderID": provider_in_care, "Reason": VISIT_FORM["reason"],
                   "Diagnosis": VISIT_FORM["diagnosis"],
                   "TreatmentPlan": VISIT_FORM["treatment_plan"]}  # fmt: skip
    page = client.get(r.headers["location"])
    assert "visit-saved" in page.text and "Annual checkup" in page.text
    assert 'data-testid="prescriptions"' in page.text
    assert actions(databases, provider_in_care)[-2:] == ["VISIT_CREATED", "VISIT_VIEWED"], (
        "the visit's page is audited before it is sent"
    )


def test_another_providers_visit_page_is_not_found(
    client: TestClient, provider_in_care: str
) -> None:
    assert client.get(f"/patients/{JOHN_PATIENT}/visits/{VISIT}").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reason", "   ", "Enter the reason for the visit."),
        ("diagnosis", "", "Enter the diagnosis."),
        ("treatment_plan", "", "Enter the treatment plan."),
        ("reason", "r" * 501, "The reason for the visit must be at most 500 characters."),
        ("diagnosis", "d" * 1001, "The diagnosis must be at most 1000 characters."),
        ("treatment_plan", "t" * 2001, "The treatment plan must be at most 2000 characters."),
    ],
)
def test_the_visit_form_refuses_missing_and_long_fields_and_stores_nothing(
    client: TestClient,
    databases: Databases,
    provider_in_care: str,
    field: str,
    value: str,
    message: str,
) -> None:
    r = client.post(f"/patients/{JOHN_PATIENT}/visits/new", data={**VISIT_FORM, field: value})
    assert r.status_code == 400
    assert text_of(r.text, "field-error") == message
    assert rows(databases, "clinic", "SELECT VisitID FROM VisitRecords WHERE ProviderID = @p",
                p=provider_in_care) == []  # fmt: skip


def test_the_visit_limits_themselves_are_accepted(
    client: TestClient, provider_in_care: str
) -> None:
    r = client.post(f"/patients/{JOHN_PATIENT}/visits/new",
                    data={"reason": "r" * 500, "diagnosis": "d" * 1000,
                          "treatment_plan": "t" * 2000})  # fmt: skip
    assert r.status_code == 303
