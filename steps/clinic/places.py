"""Healthcare clinic: every page and form of a patient, reached by address or by sending its
form, and what the clinic must answer there: the care rule's refusal, the second factor first,
no page without its audit entry; and what must stay as it was (nothing shown, nothing written).
The audit log made unwritable for real (its table renamed in the emulator) and given back."""

from __future__ import annotations

from behave import given, then, when

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from pages.clinic.places import Answer, PatientPlaces
from pages.clinic.sign_in import SecondFactorScreen
from queries.clinic import (
    bring_audit_log_back,
    patient_by_name,
    prescriptions_of_patient,
    take_audit_log_offline,
    visits_of_patient,
)

CARE_RULE = "a provider opens and changes only the records of the patients in their care"
BOTH_FACTORS = "every page and form of a patient needs both factors, the password and a code"
AUDITED_FIRST = "no record is shown and nothing is changed unless its audit entry is written"
NO_SUCH_PAGE = "an address whose id is not one the clinic writes is no page of the clinic"
OFFLINE_NAME = "AuditLogOffline"
REDIRECTS = (302, 303, 307)

# What the forms send: a complete, valid visit and prescription, so that only the rule under
# test can stop them (the change asks for another dosage).
VISIT_FORM = {
    "reason": "Routine check",
    "diagnosis": "No findings",
    "treatment_plan": "None needed",
}
PRESCRIPTION_FORM = {"medication": "Cetirizine 10mg", "dosage": "Once daily", "duration": "14 days"}
CHANGE_FORM = {"dosage": "Four times daily"}


def _records(context, patient_id: str) -> tuple[list[dict], list[dict]]:
    """The patient's visits and prescriptions, with every provider, as stored."""
    return (
        visits_of_patient(context.db.clinic, patient_id),
        prescriptions_of_patient(context.db.clinic, patient_id),
    )


def _form(context, place: str) -> dict[str, str]:
    if place == "send the new-visit form":
        return VISIT_FORM
    if place == "send the earlier visit's prescription form":
        return PRESCRIPTION_FORM
    if place == "sign a prescription at the earlier visit":
        return PRESCRIPTION_FORM | {"password": context.accounts.password_of(_email(context))}
    if place == "change the earlier visit's prescription":
        return CHANGE_FORM
    return {}


def _email(context) -> str:
    return context.learned["email"]


def _answer(context) -> Answer:
    answer = context.learned.get("answer")
    assert answer is not None, "the scenario should have reached a page or form of a patient"
    return answer


def _tried(context) -> str:
    method, path = context.learned["tried"]
    return f"{method} {path}"


@when("they {place:ClinicPlace} of {patient:ClinicPatient}")
def step_reach_place(context, place, patient):
    """Opens the patient's page by its address, or sends its form, whatever the clinic answers.
    "The earlier visit": the patient's oldest visit, with its first prescription."""
    found = patient_by_name(context.db.clinic, patient)
    assert found is not None, f"the fixtures should hold the patient {patient}"
    patient_id = found["PatientID"]
    visits, prescriptions = _records(context, patient_id)
    visit_id = visits[0]["VisitID"] if visits else "no-visit"
    prescribed = [row for row in prescriptions if row["VisitID"] == visit_id]
    places = PatientPlaces(
        context.page,
        patient_id,
        found["FullName"],
        visit_id,
        prescribed[0]["PrescriptionID"] if prescribed else "no-prescription",
    )
    context.learned.setdefault("patients", {})[patient] = patient_id
    context.learned.update(
        patient=patient,
        records_before={patient: (visits, prescriptions)},
        tried=places.address(place),
        answer=places.reach(place, _form(context, place)),
    )


@then('the clinic refuses it: "{message}"')
def step_refused(context, message):
    """Rule: outside the provider's care every page and form answers the refusal (403)."""
    answer = _answer(context)
    rule = f"{CARE_RULE}: {_tried(context)} for {context.learned['patient']} must be refused"
    assert answer.status == 403 and message in answer.text, (
        f"{rule}, the clinic answered {answer.status} at {answer.path}"
    )


@then("the clinic leads them to the second factor")
def step_led_to_second_factor(context):
    """Rule: with the password only, every page and form leads to the second factor's form."""
    answer = _answer(context)
    rule = f"{BOTH_FACTORS}: {_tried(context)} with the password only"
    shown = answer.status in REDIRECTS or "mfa-required" in answer.text
    assert answer.path == SecondFactorScreen.path and shown, (
        f"{rule} must lead to the second factor, the clinic answered {answer.status} at "
        f"{answer.path}"
    )


@then('the clinic answers "{message}"')
def step_clinic_answers(context, message):
    """Rule: a page or form whose audit entry cannot be written answers 503 with the reason."""
    _expect_answer(context, 503, message, AUDITED_FIRST, f"answer {message!r}")


@then("the answer shows nothing of {patient:ClinicPatient}'s record")
def step_shows_nothing(context, patient):
    """Rule: no name, record number, visit or prescription of the patient is in the answer."""
    found = patient_by_name(context.db.clinic, patient)
    visits, prescriptions = _records(context, found["PatientID"])
    texts = [found["FullName"], found["MedicalRecordNumber"]]
    texts += [v[column] for v in visits for column in ("Reason", "Diagnosis", "TreatmentPlan")]
    texts += [p[column] for p in prescriptions for column in ("MedicationName", "Dosage")]
    shown = [text for text in texts if text in _answer(context).text]
    assert not shown, (
        f"a refused page shows nothing of the patient's record: {_tried(context)} showed {shown}"
    )


@then("the answer shows {patient:ClinicPatient}'s record")
def step_shows_record(context, patient):
    """Rule: a patient in the provider's care opens: the record names them and their number."""
    found = patient_by_name(context.db.clinic, patient)
    answer = _answer(context)
    missing = [
        text
        for text in (found["FullName"], found["MedicalRecordNumber"])
        if text not in answer.text
    ]
    assert answer.status == 200 and not missing, (
        f"{CARE_RULE}: {patient} is in their care until the care's end, so {_tried(context)} "
        f"opens: the clinic answered {answer.status} at {answer.path}, without {missing}"
    )


@then("nothing is written in {patient:ClinicPatient}'s record")
def step_nothing_written(context, patient):
    """Rule: a refused form writes no visit and no prescription, and changes none."""
    before = context.learned["records_before"][patient]
    after = _records(context, context.learned["patients"][patient])
    assert after == before, (
        f"a refused form changes nothing in the patient's record: after {_tried(context)}, "
        f"{patient} has {len(after[0])} visits and {len(after[1])} prescriptions (before: "
        f"{len(before[0])} and {len(before[1])}), or one of them changed"
    )


@given("the clinic's audit log cannot be written")
def step_audit_offline(context):
    """Makes the audit database's log unwritable for real (its table renamed in Spanner) until
    the scenario ends, when it is given back with every row it held."""
    take_audit_log_offline(context.db.audit, OFFLINE_NAME)
    context.add_cleanup(bring_audit_log_back, context.db.audit, OFFLINE_NAME)


@when('they open {patient:ClinicPatient}\'s record at an address with "{extra}" added to their id')
def step_open_record_at_unwritten_id(context, patient, extra):
    """Opens the record's address by the patient's id with those characters after it: an id
    the clinic never writes (its ids are letters, digits, ".", "_" and "-", 64 at most)."""
    found = patient_by_name(context.db.clinic, patient)
    assert found is not None, f"the fixtures should hold the patient {patient}"
    places = PatientPlaces(context.page, found["PatientID"] + extra, found["FullName"])
    context.learned.setdefault("patients", {})[patient] = found["PatientID"]
    context.learned.update(
        patient=patient,
        tried=places.address("open the record"),
        answer=places.reach("open the record", {}),
    )


@then('the clinic answers that there is no such page: "{message}"')
def step_no_such_page(context, message):
    """Rule: an address whose id is not one the clinic writes is no page: 404, with the words."""
    told = f"answer that there is no such page ({message!r})"
    _expect_answer(context, 404, message, NO_SUCH_PAGE, told)


def _expect_answer(context, status: int, message: str, rule: str, told: str) -> None:
    """The last page tried answered `status` with `message` in it, else the rule fails."""
    answer = _answer(context)
    assert answer.status == status and message in answer.text, (
        f"{rule}: {_tried(context)} must {told}, the clinic answered {answer.status} at "
        f"{answer.path}"
    )
