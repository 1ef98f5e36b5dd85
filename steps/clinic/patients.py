"""Healthcare clinic: the patient search, a patient's record and medical history, addresses
typed by hand, and the care rule that decides which patients a provider may open."""

from __future__ import annotations

from datetime import timedelta

from behave import given, then, when
from playwright.sync_api import expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from pages.base import Screen
from pages.clinic.patients import PatientScreen, PatientSearchScreen
from pages.clinic.visits import NewVisitScreen
from products.clinic import words
from products.clinic.rules import in_care
from queries.clinic import (
    care_relationships,
    patient_by_name,
    prescriptions_of_visit,
    visits_of,
)
from spanner.clock import utc_now

CARE_RULE = "a provider opens only the records of the patients in their care"


def _patient_id(context, name: str) -> str:
    patient = patient_by_name(context.db.clinic, name)
    assert patient is not None, f"the fixtures should hold the patient {name}"
    context.learned.setdefault("patients", {})[name] = patient["PatientID"]
    return patient["PatientID"]


def _screen_of(context, page: words.TypedPage) -> Screen:
    if page.kind == "search":
        return PatientSearchScreen(context.page)
    patient_id = _patient_id(context, page.patient)
    context.learned["patient"] = page.patient
    if page.kind == "new visit":
        return NewVisitScreen(context.page, patient_id)
    return PatientScreen(context.page, patient_id)


@given("the clinic's care relationships include:")
def step_care_relationships(context):
    """Precondition from the fixtures: who cares for whom, ongoing, ended or to start."""
    now = utc_now()
    found = {
        (row["Provider"], row["Patient"]): row for row in care_relationships(context.db.clinic)
    }
    for row in context.table:
        who = f"the care of {row['patient']} by {row['provider']}"
        care = found.get((row["provider"], row["patient"]))
        assert care is not None, f"the fixtures should hold {who}: found {sorted(found)}"
        assert _care_phrase(care, now) == row["care"], (
            f"the fixtures should make {who} {row['care']}: {care}"
        )


def _care_phrase(care: dict, now) -> str:
    """How the feature says where a care relationship stands, from its row."""
    if not in_care(care["StartedAt"], care["EndedAt"], now):
        if care["StartedAt"] > now:
            return f"starts in {round((care['StartedAt'] - now) / timedelta(days=1))} days"
        return f"ended {round((now - care['EndedAt']) / timedelta(days=1))} days ago"
    if care["EndedAt"] is not None:
        return f"ends in {round((care['EndedAt'] - now) / timedelta(days=1))} days"
    return "ongoing"


@when('they search for the patient "{name}"')
def step_search(context, name):
    """Types the name into the patient search and searches."""
    PatientSearchScreen(context.page).reach().search(name)


@when("they open {patient:ClinicPatient}'s record from the results")
def step_open_from_results(context, patient):
    """Opens the patient from the search results; the patient's summary shows."""
    patient_id = _patient_id(context, patient)
    context.learned["patient"] = patient
    PatientSearchScreen(context.page).open_result(patient_id)
    summary = PatientScreen(context.page, patient_id).summary
    expect(summary, f"{CARE_RULE}: {patient} is in their care, the record opens").to_be_visible()
    record = patient_by_name(context.db.clinic, patient)
    for shown in (record["FullName"], record["MedicalRecordNumber"]):
        expect(summary, "the summary names the patient and their record number").to_contain_text(
            shown
        )


@when("they view the medical history")
def step_view_medical_history(context):
    """Shows the record's medical history: the patient's earlier visits with this provider."""
    name = context.learned["patient"]
    patient_id = context.learned["patients"][name]
    screen = PatientScreen(context.page, patient_id)
    screen.show_medical_history()
    expect(screen.medical_history).to_be_visible()
    for visit in visits_of(context.db.clinic, patient_id, context.learned["provider_id"]):
        prescribed = prescriptions_of_visit(context.db.clinic, patient_id, visit["VisitID"])
        for shown in (
            context.learned["provider"]["FullName"],
            visit["Reason"],
            visit["Diagnosis"],
            *(row["MedicationName"] for row in prescribed),
        ):
            expect(
                screen.medical_history,
                f"the medical history shows every earlier visit of {name}, with its prescriptions",
            ).to_contain_text(shown)


@when("they type the address of {page:ClinicPage}")
def step_type_address(context, page):
    """Opens the page by its address, as if typed, without following a link."""
    _screen_of(context, page).open()


@then("the search lists {patient:ClinicPatient} only")
def step_search_lists_only(context, patient):
    """Rule: the search lists only the matching patients in the provider's care."""
    patient_id = _patient_id(context, patient)
    screen = PatientSearchScreen(context.page)
    expect(screen.result(patient_id), f"{CARE_RULE}: {patient} is listed").to_have_text(patient)
    expect(
        screen.results, f"{CARE_RULE}: the search lists {patient} and no one else"
    ).to_have_count(1)


@then("the search lists no patient")
def step_search_lists_none(context):
    """Rule: no patient in the provider's care matches: the search says so and lists no one."""
    screen = PatientSearchScreen(context.page)
    rule = f"{CARE_RULE}: the search lists no patient outside their care"
    expect(screen.no_patients, rule).to_be_visible()
    expect(screen.results, rule).to_have_count(0)


@then('the record is refused: "{message}"')
def step_record_refused(context, message):
    """Rule: the patient's record does not open; the page says why and shows none of it."""
    name = context.learned["patient"]
    screen = PatientScreen(context.page, context.learned["patients"][name])
    rule = f"{CARE_RULE}: {name}'s record must not open"
    expect(screen.access_denied, rule).to_contain_text(message)
    expect(screen.summary, rule).to_have_count(0)
    expect(screen.medical_history, rule).to_have_count(0)
