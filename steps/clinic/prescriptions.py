"""Healthcare clinic: recording a visit, prescribing and signing with the password, and what
becomes of a signed prescription: its Ed25519 signature checked with the provider's public key
over the canonical form (products/clinic/rules.py), never with the app's own code."""

from __future__ import annotations

from urllib.parse import urlsplit

from behave import given, then, when
from playwright.sync_api import expect

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from pages.clinic.patients import PatientScreen
from pages.clinic.prescriptions import PrescribeScreen, PrescriptionsScreen, SigningScreen
from pages.clinic.visits import NewVisitScreen, VisitScreen
from products.clinic.rules import canonical_form, signature_problem
from products.clinic.words import written_out
from queries.clinic import (
    patient_by_name,
    prescriptions_of,
    prescriptions_of_visit,
    provider_by_name,
    signing_key,
    visits_of,
)
from spanner.assertions import eventually

SIGNED_BY_THE_PROVIDER = "a prescription is signed with the provider's own key over its content"
SIGNED_STAYS = "a signed prescription cannot be changed"


def _patient_id(context, name: str) -> str:
    patient = patient_by_name(context.db.clinic, name)
    assert patient is not None, f"the fixtures should hold the patient {name}"
    context.learned.setdefault("patients", {})[name] = patient["PatientID"]
    context.learned["patient"] = name
    return patient["PatientID"]


def _provider_id(context, name: str) -> str:
    provider = provider_by_name(context.db.clinic, name)
    assert provider is not None, f"the fixtures should hold the provider {name}"
    return provider["ProviderID"]


def _current_patient_id(context) -> str:
    return context.learned["patients"][context.learned["patient"]]


def _signature_problem(context, prescription: dict) -> str | None:
    """Why the prescription's signature does not verify with the signer's key (None: it does)."""
    key = signing_key(context.db.clinic, prescription["ProviderID"], prescription["SignatureKeyID"])
    if key is None:
        return f"{prescription['ProviderID']} has no signing key {prescription['SignatureKeyID']}"
    return signature_problem(
        key["PublicKeyPem"], prescription["ProviderSignature"], canonical_form(prescription)
    )


def _written(context, what: str, columns: tuple[str, ...]) -> list[str]:
    """The table's one row (a visit or a prescription), "{N letters}" spelled out; kept as
    what was written."""
    assert len(context.table.rows) == 1, f"one {what}: {', '.join(columns)}"
    row = context.table.rows[0]
    written = [written_out(row[column]) for column in columns]
    context.learned[f"{what} written"] = written
    return written


def _prescription_row(context) -> list[str]:
    return _written(context, "prescription", ("medication", "dosage", "duration"))


def _visit_row(context) -> list[str]:
    return _written(context, "visit", ("reason", "diagnosis", "treatment plan"))


def _visit_ids(context, patient_id: str) -> set[str]:
    visits = visits_of(context.db.clinic, patient_id, context.learned["provider_id"])
    return {visit["VisitID"] for visit in visits}


def _note_visits_before(context, patient_id: str) -> None:
    context.learned["visits before"] = _visit_ids(context, patient_id)


def _visit_just_recorded(context, patient_id: str) -> dict:
    """The newest visit of the patient with the provider, which must be the one just saved."""
    visits = visits_of(context.db.clinic, patient_id, context.learned["provider_id"])
    assert visits, f"no visit of {patient_id} with the provider is stored"
    newest = visits[0]
    shown = context.learned["visit shown"]
    assert newest["VisitID"] == shown not in context.learned["visits before"], (
        f"the visit just recorded ({shown}) is stored as the newest: the newest is {newest}"
    )
    return newest


def _visit_prescriptions(context) -> PrescriptionsScreen:
    """The prescriptions of the visit the scenario is about, opened by address."""
    return PrescriptionsScreen(
        context.page, _current_patient_id(context), context.learned["visit_id"]
    ).open()


def _the_one_prescription(context) -> dict:
    """The visit's one prescription, the one just signed."""
    found = prescriptions_of_visit(
        context.db.clinic, _current_patient_id(context), context.learned["visit_id"]
    )
    assert len(found) == 1, f"the visit has the one prescription just signed: {found}"
    return found[0]


def _prescribe_and_sign(context, screen: PrescriptionsScreen, password: str) -> None:
    """From the visit's prescriptions: the prescribe form, then the signing page."""
    screen.start_new_prescription()
    form = PrescribeScreen(context.page)
    form.prescribe(*_prescription_row(context))
    signing = SigningScreen(context.page)
    expect(
        signing.password_field,
        "a prescription within its longest lengths (counted in characters) goes on to its "
        "signing page, with no complaint about its fields",
    ).to_be_visible()
    signing.sign(password)


def _confirm_signed(screen: PrescriptionsScreen) -> None:
    expect(
        screen.prescription_signed, f"{SIGNED_BY_THE_PROVIDER}: the clinic confirms it"
    ).to_be_visible()


# --- preconditions from the fixtures


@given(
    "the clinic holds a visit of {patient:ClinicPatient} with {provider:ClinicProvider}, with no "
    "prescription yet"
)
def step_visit_without_prescription(context, patient, provider):
    """Precondition from the fixtures: a visit of the patient with the provider, no prescription."""
    patient_id, provider_id = _patient_id(context, patient), _provider_id(context, provider)
    visits = visits_of(context.db.clinic, patient_id, provider_id)
    open_visits = [
        visit
        for visit in visits
        if not prescriptions_of_visit(context.db.clinic, patient_id, visit["VisitID"])
    ]
    assert open_visits, (
        f"the fixtures should hold a visit of {patient} with {provider} without a prescription: "
        f"{[visit['VisitID'] for visit in visits]}"
    )
    context.learned["visit_id"] = open_visits[0]["VisitID"]


@given(
    "the clinic holds a prescription {provider:ClinicProvider} signed for {patient:ClinicPatient} at "
    "an earlier visit, whose signature verifies"
)
def step_signed_prescription(context, patient, provider):
    """Precondition from the fixtures: a signed prescription whose signature verifies."""
    patient_id, provider_id = _patient_id(context, patient), _provider_id(context, provider)
    signed = prescriptions_of(context.db.clinic, patient_id, provider_id)
    assert signed, f"the fixtures should hold a prescription {provider} signed for {patient}"
    prescription = signed[0]
    problem = _signature_problem(context, prescription)
    assert problem is None, (
        f"the fixtures should hold a prescription whose signature verifies: {problem} "
        f"({prescription['PrescriptionID']})"
    )
    context.learned.update(prescription=prescription, visit_id=prescription["VisitID"])


# --- recording a visit, prescribing


@when("they record a visit:")
def step_record_visit(context):
    """From the patient's record: a new visit from the table, saved; notes the earlier ones."""
    patient_id = _current_patient_id(context)
    _note_visits_before(context, patient_id)
    PatientScreen(context.page, patient_id).reach().start_new_visit()
    NewVisitScreen(context.page, patient_id).record(*_visit_row(context))
    screen = VisitScreen.shown(context.page, patient_id)
    expect(screen.visit_saved, "the visit is saved").to_be_visible()
    context.learned["visit shown"] = screen.visit_id


@when("they try to record a visit for {patient:ClinicPatient}:")
def step_try_record_visit(context, patient):
    """Opens a new visit of the patient by address and saves the table's visit, whatever the
    clinic answers."""
    patient_id = _patient_id(context, patient)
    _note_visits_before(context, patient_id)
    NewVisitScreen(context.page, patient_id).open().record(*_visit_row(context))
    # where saving led: the visit's page (its id last) when it was recorded, else the form
    context.learned["visit shown"] = urlsplit(context.page.url).path.rsplit("/", 1)[-1]


@then("the visit is not recorded, and the clinic says:")
def step_visit_refused(context):
    """Rule: a field over its length refuses the visit with a message per field; nothing stored."""
    rule = "a visit's reason, diagnosis and treatment plan are kept up to their longest"
    patient_id = _current_patient_id(context)
    expect(NewVisitScreen(context.page, patient_id).field_errors, rule).to_have_text(
        [row["message"] for row in context.table]
    )
    added = _visit_ids(context, patient_id) - context.learned["visits before"]
    assert not added, f"{rule}: a refused visit is not stored, yet {sorted(added)} is"


@then("the newest visit of {patient:ClinicPatient} with them is stored as written")
def step_newest_visit_as_written(context, patient):
    """Rule: the visit just saved is stored with its three fields exactly as typed."""
    patient_id = _patient_id(context, patient)
    written = context.learned["visit written"]
    field_errors = NewVisitScreen(context.page, patient_id).field_errors
    assert context.learned["visit shown"] != "new", (
        "a visit's reason, diagnosis and treatment plan are kept up to their longest, counted in "
        f"characters: the visit of {[len(text) for text in written]} characters was refused: "
        f"{field_errors.all_inner_texts()}"
    )

    def check() -> None:
        newest = _visit_just_recorded(context, patient_id)
        stored = [newest["Reason"], newest["Diagnosis"], newest["TreatmentPlan"]]
        lengths = [len(text) for text in stored]
        assert stored == written, (
            "a visit's reason, diagnosis and treatment plan are kept up to their longest, as "
            f"written: stored {lengths} characters, written {[len(text) for text in written]}"
        )

    eventually(check, context.settings.db_poll_timeout)


@when("they prescribe, and sign with their password:")
def step_prescribe_and_sign(context):
    """From the visit just saved: prescribes from the table, signs with the password."""
    patient_id, visit_id = _current_patient_id(context), context.learned["visit shown"]
    VisitScreen(context.page, patient_id, visit_id).reach().open_prescriptions()
    screen = PrescriptionsScreen(context.page, patient_id, visit_id)
    _prescribe_and_sign(context, screen, context.accounts.password_of(context.learned["email"]))
    _confirm_signed(screen)


@when('they prescribe at that visit, and sign with the password "{password}":')
def step_prescribe_with_password(context, password):
    """Opens the visit's prescriptions by address, prescribes, signs with that password."""
    _prescribe_and_sign(context, _visit_prescriptions(context), password)


@when("they prescribe at that visit, and sign without a password:")
def step_prescribe_without_password(context):
    """Opens the visit's prescriptions by address, prescribes, and signs with the password
    left empty (the signing form does not stop it)."""
    _prescribe_and_sign(context, _visit_prescriptions(context), "")


@when("they try to prescribe at that visit:")
def step_try_prescribe(context):
    """Opens the visit's prescriptions by address and sends the table's prescription to be
    signed, whatever the clinic answers."""
    _visit_prescriptions(context).start_new_prescription()
    PrescribeScreen(context.page).prescribe(*_prescription_row(context))


@when("they prescribe at that visit, and sign with their password:")
def step_prescribe_at_visit(context):
    """Opens the visit's prescriptions by address, prescribes, signs with their password."""
    screen = _visit_prescriptions(context)
    _prescribe_and_sign(context, screen, context.accounts.password_of(context.learned["email"]))
    _confirm_signed(screen)


@when("they try to prescribe at that visit, and sign with their password:")
def step_try_prescribe_with_their_password(context):
    """Opens the visit's prescriptions by address, prescribes, signs with their own password,
    whatever the clinic answers."""
    password = context.accounts.password_of(context.learned["email"])
    _prescribe_and_sign(context, _visit_prescriptions(context), password)


@when("they send a prescription straight to signing at that visit:")
def step_send_to_signing(context):
    """Sends the table's prescription with their password to the visit's signing address, as
    a hand-made request would, without the form that checks it first."""
    medication, dosage, duration = _prescription_row(context)
    screen = PrescriptionsScreen(
        context.page, _current_patient_id(context), context.learned["visit_id"]
    )
    password = context.accounts.password_of(context.learned["email"])
    response = screen.send_to_signing(
        {"medication": medication, "dosage": dosage, "duration": duration, "password": password}
    )
    context.learned["signing answer"] = (response.status, response.text())


@then("the prescription is not signed, and the clinic says:")
def step_signing_refused_by_length(context):
    """Rule: the signing address checks the lengths again: over them, nothing is signed."""
    status, text = context.learned["signing answer"]
    rule = "a prescription's medication, dosage and duration are kept up to their longest"
    missing = [row["message"] for row in context.table if row["message"] not in text]
    assert status == 400 and not missing, (
        f"{rule}, at the signing address too: it answered {status}, without {missing}"
    )


@then("the prescription goes no further than its form, and the clinic says:")
def step_prescription_refused(context):
    """Rule: a field over its length keeps the prescription on its form, a message per field."""
    expect(
        PrescribeScreen(context.page).field_errors,
        "a prescription's medication, dosage and duration are kept up to their longest",
    ).to_have_text([row["message"] for row in context.table])


@then(
    "the visit's prescription is stored as written, with their signature, which verifies with "
    "their public key"
)
def step_prescription_as_written(context):
    """Rule: the signed prescription keeps its three fields exactly as typed, and verifies."""
    prescription = _the_one_prescription(context)
    stored = [prescription[key] for key in ("MedicationName", "Dosage", "Duration")]
    written = context.learned["prescription written"]
    assert stored == written, (
        "a prescription's medication, dosage and duration are kept up to their longest, as "
        f"written: stored {[len(text) for text in stored]} characters, written "
        f"{[len(text) for text in written]}"
    )
    problem = _signature_problem(context, prescription)
    assert problem is None, f"{SIGNED_BY_THE_PROVIDER}: {problem}"


FIELDS = {"medication": "MedicationName", "dosage": "Dosage", "duration": "Duration"}


@when('they try to change its {field} to "{value}"')
def step_change_field(context, field, value):
    """Sends a change of one field of the signed prescription to its address, as typed; the
    other fields as signed."""
    prescription = context.learned["prescription"]
    assert field in FIELDS, f"a prescription has a {', '.join(FIELDS)}, not a {field}"
    screen = PrescriptionsScreen(context.page, prescription["PatientID"], prescription["VisitID"])
    changes = {name: prescription[column] for name, column in FIELDS.items()} | {field: value}
    response = screen.send_change(prescription["PrescriptionID"], changes)
    context.learned["change answer"] = (response.status, response.text())


# --- outcomes


@then(
    'the newest visit of {patient:ClinicPatient} with them has the reason "{reason}" and the '
    'diagnosis "{diagnosis}"'
)
def step_newest_visit(context, patient, reason, diagnosis):
    """The brief's query: the newest visit of the patient with them is the one just saved."""
    patient_id = _patient_id(context, patient)

    def check() -> None:
        newest = _visit_just_recorded(context, patient_id)
        found = {"Reason": newest["Reason"], "Diagnosis": newest["Diagnosis"]}
        assert found == {"Reason": reason, "Diagnosis": diagnosis}, (
            f"a visit is stored as the provider recorded it: {found}"
        )
        context.learned["visit_id"] = newest["VisitID"]

    eventually(check, context.settings.db_poll_timeout)


@then(
    'its prescription is "{medication}", "{dosage}", with their signature, which verifies with '
    "their public key"
)
def step_prescription_verifies(context, medication, dosage):
    """Rule: Ed25519 over the canonical form, verified with their public key from Spanner."""
    provider_id = context.learned["provider_id"]
    prescription = _the_one_prescription(context)
    content = {key: prescription[key] for key in ("MedicationName", "Dosage", "ProviderID")}
    expected = {"MedicationName": medication, "Dosage": dosage, "ProviderID": provider_id}
    assert content == expected, f"a prescription is stored as prescribed: {content}"
    problem = _signature_problem(context, prescription)
    assert problem is None, (
        f"{SIGNED_BY_THE_PROVIDER}: {problem} (prescription {prescription['PrescriptionID']}, "
        f"key {prescription['SignatureKeyID']})"
    )
    context.learned["prescription"] = prescription


@then('the prescription is not signed: "{message}"')
def step_not_signed(context, message):
    """The signing page says why; the clinic confirms no signature."""
    rule = "a prescription is signed only with the provider's own password"
    expect(SigningScreen(context.page).signature_error, rule).to_contain_text(message)
    visit = PrescriptionsScreen(
        context.page, _current_patient_id(context), context.learned["visit_id"]
    )
    expect(visit.prescription_signed, rule).to_have_count(0)


@then("the visit still has no prescription")
def step_visit_has_no_prescription(context):
    """Rule: a prescription that is not signed is not stored at all."""
    found = prescriptions_of_visit(
        context.db.clinic, _current_patient_id(context), context.learned["visit_id"]
    )
    assert not found, (
        f"a prescription is signed only with the provider's own password, and one that is not "
        f"signed is not stored: {found}"
    )


@then('the change is refused: "{message}"')
def step_change_refused(context, message):
    """Rule: the clinic answers a change of a signed prescription with a refusal (409)."""
    status, text = context.learned["change answer"]
    assert status == 409 and message in text, (
        f"{SIGNED_STAYS}: the change was answered {status}, {text[:200]!r}"
    )


@then("the prescription is as it was signed, and its signature still verifies")
def step_prescription_unchanged(context):
    """Rule: the stored prescription is the one signed, column for column."""
    before = context.learned["prescription"]
    after = prescriptions_of_visit(context.db.clinic, before["PatientID"], before["VisitID"])
    now = next((row for row in after if row["PrescriptionID"] == before["PrescriptionID"]), None)
    assert now == before, f"{SIGNED_STAYS}: signed {before}, now {now}"
    problem = _signature_problem(context, now)
    assert problem is None, f"{SIGNED_STAYS}: {problem}"
