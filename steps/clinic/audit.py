"""Healthcare clinic: the audit log, read from its own database (context.db.audit): which events
it holds about a patient and a provider, in which order (CreatedAt, then Seq within a request),
about what, completed, and from which address."""

from __future__ import annotations

from behave import then

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from products.clinic import words
from products.clinic.rules import ip_address_problem
from queries.clinic import (
    audit_about_patient,
    audit_of_patient,
    audit_of_provider,
    patient_by_name,
    prescriptions_of_visit,
    provider_by_name,
    visits_of,
)
from spanner.assertions import eventually

IN_ORDER = "the audit log tells every look at a record and every change, in the order they happened"
WITH_ADDRESS = "every audit entry has the client's IP address"
COMPLETED = "an action is done only with its audit entry: the entry of a done action is completed"
NUMBERED = "the entries of one request are numbered from 1 with no gap, so a missing one shows"
INTENT_FIRST = "a change's audit entry is written before it, as an intent, and completed after it"
# actions that show a patient's data, or look for it
VIEWING = ("PATIENT_VIEWED", "PATIENT_SEARCHED", "PATIENT_LISTED", "VISIT_VIEWED",
           "PRESCRIPTIONS_VIEWED")  # fmt: skip
# actions that write a record, under an intent written before it
CHANGES = ("VISIT_CREATED", "PRESCRIPTION_CREATED")


def _patient_id(context, name: str) -> str:
    patient = patient_by_name(context.db.clinic, name)
    assert patient is not None, f"the fixtures should hold the patient {name}"
    return patient["PatientID"]


def _provider_id(context) -> str:
    return context.learned["provider_id"]


def _address_problem(context, entry: dict) -> str | None:
    return ip_address_problem(entry["IPAddress"], loopback_only=context.app.runs_a_child)


def _check_entry(context, entry: dict) -> None:
    """Every entry the clinic writes for a done action or a refusal: completed, with an address."""
    problem = _address_problem(context, entry)
    assert problem is None, f"{WITH_ADDRESS}: {entry['Action']} has {problem}"
    assert entry["Status"] == "completed" and entry["CompletedAt"] is not None, (
        f"{COMPLETED}: {entry['Action']} is {entry['Status']}, completed at {entry['CompletedAt']}"
    )


def _summary(entries: list[dict]) -> list[tuple]:
    return [(e["Action"], e["ResourceID"], e["Details"], e["Status"]) for e in entries]


def _new_records(context, patient_id: str) -> dict[str, dict]:
    """The visit just recorded (the newest of the patient with the provider) and its
    prescription, as the audit table's words name them."""
    visits = visits_of(context.db.clinic, patient_id, _provider_id(context))
    assert visits, "the scenario recorded a visit"
    prescriptions = prescriptions_of_visit(context.db.clinic, patient_id, visits[0]["VisitID"])
    assert len(prescriptions) == 1, f"the new visit has one prescription: {prescriptions}"
    return {"the new visit": visits[0], "the new prescription": prescriptions[0]}


def _check_written_around(entry: dict, record: dict) -> None:
    """Rule: a change's entry is written first, as an intent, then the record, then the entry
    is completed: the record's commit falls between the entry's and its completion."""
    assert entry["CreatedAt"] <= record["CreatedAt"] <= entry["CompletedAt"], (
        f"{INTENT_FIRST}: {entry['Action']} written {entry['CreatedAt']}, its record "
        f"{record['CreatedAt']}, the entry completed {entry['CompletedAt']}"
    )


@then(
    "the audit log of {patient:ClinicPatient} with them holds, in this order, exactly these "
    "entries, each completed and with the client's IP address:"
)
def step_audit_in_order(context, patient):
    """Rule: these events only, in order, each about its resource, completed, with an IP."""
    patient_id = _patient_id(context, patient)
    wanted = [(words.AUDIT_ACTIONS[row["what"]], row["about"]) for row in context.table]

    def check() -> None:
        entries = audit_of_patient(context.db.audit, patient_id, _provider_id(context))
        actions = [entry["Action"] for entry in entries]
        assert actions == [action for action, _ in wanted], (
            f"{IN_ORDER}: expected {[a for a, _ in wanted]}, found {_summary(entries)}"
        )
        records = _new_records(context, patient_id)
        ids = {"the patient": patient_id} | {
            about: record.get("PrescriptionID") or record["VisitID"]
            for about, record in records.items()
        }
        for entry, (action, about) in zip(entries, wanted, strict=True):
            assert entry["ResourceID"] == ids[about], (
                f"an audit entry names what it is about: {action} should name {about} "
                f"({ids[about]}), it names {entry['ResourceID']}"
            )
            _check_entry(context, entry)
            if action in CHANGES:
                _check_written_around(entry, records[about])

    eventually(check, context.settings.db_poll_timeout)


@then("the audit log of {patient:ClinicPatient} with them holds exactly {action:AuditAction}")
def step_audit_only(context, patient, action):
    """Rule: the one event about the patient is audited, completed, with the client's IP."""
    patient_id = _patient_id(context, patient)

    def check() -> None:
        entries = audit_of_patient(context.db.audit, patient_id, _provider_id(context))
        assert [entry["Action"] for entry in entries] == [action], (
            f"every refused look at a record is audited, and nothing was shown: expected "
            f"{[action]} about {patient}, found {_summary(entries)}"
        )
        assert entries[0]["ResourceID"] == patient_id, (
            f"an audit entry names what it is about: {action} should name {patient_id}, it "
            f"names {entries[0]['ResourceID']}"
        )
        _check_entry(context, entries[0])

    eventually(check, context.settings.db_poll_timeout)


@then(
    "the audit log of {patient:ClinicPatient} with them holds exactly {action:AuditAction}, "
    "naming the address tried"
)
def step_audit_only_naming(context, patient, action):
    """Rule: the one refused attempt is audited about the patient, naming what was tried."""
    step_audit_only(context, patient, action)
    method, path = context.learned["tried"]
    entries = audit_of_patient(
        context.db.audit, _patient_id(context, patient), _provider_id(context)
    )
    assert f"{method} {path}" in (entries[0]["Details"] or ""), (
        f"a refused attempt is audited with what was tried: {action} should name {method} {path}, "
        f"it says {entries[0]['Details']!r}"
    )


@then("nothing is audited about {patient:ClinicPatient}, nor of {provider:ClinicProvider}")
def step_bystanders_untouched(context, patient, provider):
    """Rule: the audit log tells only what happened: a bystander patient and provider have no
    entry."""
    found = provider_by_name(context.db.clinic, provider)
    assert found is not None, f"the fixtures should hold the provider {provider}"
    about = audit_about_patient(context.db.audit, _patient_id(context, patient))
    by = audit_of_provider(context.db.audit, found["ProviderID"])
    assert not about and not by, (
        f"an audit entry names the patient and provider it is about, no other: {patient} has "
        f"{_summary(about)}, {provider} has {_summary(by)}"
    )


@then('the audit log says why their sign-in was refused: "{why}"')
def step_refused_sign_in_why(context, why):
    """Rule: a refused sign-in's entry says why (a wrong password or an account not active, a
    locked account, or no such provider)."""
    refused = words.AUDIT_ACTIONS["a refused sign-in"]

    def check() -> None:
        entries = audit_of_provider(context.db.audit, _provider_id(context))
        said = [entry["Details"] for entry in entries if entry["Action"] == refused]
        assert said and said[-1] == why, (
            f"a refused sign-in is audited with why it was refused: expected {why!r}, the "
            f"refusals say {said}"
        )

    eventually(check, context.settings.db_poll_timeout)


@then("the audit log of what they did holds, in this order, exactly:")
def step_audit_of_provider_in_order(context):
    """Rule: every action of the provider is audited, in order, about its patient, with an IP."""
    wanted = [(words.AUDIT_ACTIONS[row["what"]], row["about"]) for row in context.table]

    def check() -> None:
        entries = audit_of_provider(context.db.audit, _provider_id(context))
        found = [(entry["Action"], entry["PatientID"] or "") for entry in entries]
        expected = [
            (action, _patient_id(context, about) if about else "") for action, about in wanted
        ]
        missing = [what for what, (action, _) in zip(context.table, wanted, strict=True)
                   if action not in {entry["Action"] for entry in entries}]  # fmt: skip
        assert found == expected, (
            f"{IN_ORDER}, each about its patient"
            + (f"; never audited: {[row['what'] for row in missing]}" if missing else "")
            + f": expected {expected}, found {_summary(entries)}"
        )
        for entry in entries:
            _check_entry(context, entry)

    eventually(check, context.settings.db_poll_timeout)


def _check_one_about(
    context, patient: str, action: str, resource_id: str
) -> tuple[dict, list[dict]]:
    """The patient's audit log with the provider holds one such entry, about the resource,
    completed, with the client's address; the entry, and the whole log for further checks."""
    entries = audit_of_patient(
        context.db.audit, _patient_id(context, patient), _provider_id(context)
    )
    found = [entry for entry in entries if entry["Action"] == action]
    assert len(found) == 1, f"every refusal is audited: one {action}, found {_summary(entries)}"
    assert found[0]["ResourceID"] == resource_id, (
        f"an audit entry names what it is about: {action} should name {resource_id}, it names "
        f"{found[0]['ResourceID']}"
    )
    _check_entry(context, found[0])
    return found[0], entries


@then(
    "the audit log of {patient:ClinicPatient} with them holds {action:AuditAction} for that "
    "visit, because of a {reason}, and not {absent:AuditAction}"
)
def step_audit_refused_at_visit(context, patient, action, reason, absent):
    """Rule: the refusal is audited about the visit with its reason; what was refused is not."""

    def check() -> None:
        entry, entries = _check_one_about(context, patient, action, context.learned["visit_id"])
        assert entry["Details"] == reason, (
            f"a refusal is audited with its reason: {action} should say {reason!r}, it says "
            f"{entry['Details']!r}"
        )
        done = [entry for entry in entries if entry["Action"] == absent]
        assert not done, f"what was refused is not done, nor audited as done: {_summary(done)}"

    eventually(check, context.settings.db_poll_timeout)


@then(
    "the audit log of {patient:ClinicPatient} with them holds {action:AuditAction} for that "
    'prescription, naming the {field} "{value}" that was asked for'
)
def step_audit_for_prescription(context, patient, action, field, value):
    """Rule: the refused change is audited about the prescription, with the client's IP, and
    tells what was asked for."""
    prescription_id = context.learned["prescription"]["PrescriptionID"]

    def check() -> None:
        entry, _ = _check_one_about(context, patient, action, prescription_id)
        assert value in (entry["Details"] or ""), (
            f"a refused change is audited with what was asked for: {action} should name the "
            f"{field} {value!r}, its details are {entry['Details']!r}"
        )

    eventually(check, context.settings.db_poll_timeout)


@then('the audit log holds their refused code, because the code is "{reason}"')
def step_audit_mfa_failed(context, reason):
    """Rule: every refused code is audited with its reason, as the provider's last event."""

    def check() -> None:
        entries = audit_of_provider(context.db.audit, _provider_id(context))
        last = entries[-1] if entries else {}
        assert (last.get("Action"), last.get("Details")) == ("MFA_FAILED", reason), (
            f"every refused code is audited as MFA_FAILED with its reason ({reason}): the "
            f"provider's audit log is {_summary(entries)}"
        )
        _check_entry(context, last)

    eventually(check, context.settings.db_poll_timeout)


@then("the audit log holds their accepted code")
def step_audit_mfa_verified(context):
    """Rule: the second factor granted is audited; it is the provider's last event."""

    def check() -> None:
        entries = audit_of_provider(context.db.audit, _provider_id(context))
        assert entries and entries[-1]["Action"] == "MFA_VERIFIED", (
            f"no access without its audit entry: the second factor granted is audited as "
            f"MFA_VERIFIED, the provider's audit log is {_summary(entries)}"
        )
        _check_entry(context, entries[-1])

    eventually(check, context.settings.db_poll_timeout)


@then("the audit log of their second factor holds, in this order, exactly:")
def step_audit_second_factor(context):
    """Rule: every code entered is audited in order, with its reason, and the lock after."""
    wanted = [(words.AUDIT_ACTIONS[row["what"]], row["reason"]) for row in context.table]

    def check() -> None:
        entries = audit_of_provider(context.db.audit, _provider_id(context))
        found = [
            (entry["Action"], entry["Details"] if reason else "")
            for entry, (_, reason) in zip(entries, wanted, strict=False)
        ]
        assert len(entries) == len(wanted) and found == wanted, (
            f"{IN_ORDER}: every code entered is audited, with its reason: expected {wanted}, "
            f"found {_summary(entries)}"
        )
        for entry in entries:
            _check_entry(context, entry)

    eventually(check, context.settings.db_poll_timeout)


@then("nothing is audited as viewed")
def step_nothing_viewed(context):
    """Rule: a page refused for want of the second factor is not audited as viewed."""
    entries = audit_of_provider(context.db.audit, _provider_id(context))
    viewed = [
        entry for entry in entries if entry["Action"] in VIEWING or entry["PatientID"] is not None
    ]
    assert not viewed, (
        f"every patient page needs both factors: nothing was shown, so nothing is audited as "
        f"viewed: {_summary(viewed)}"
    )


@then('the automatic sign-out is audited with why: "{details}"')
def step_audit_idle_sign_out_why(context, details):
    """Rule: the automatic sign-out's entry says how long the session was idle, in whole
    minutes, and the limit it went past."""
    action = words.AUDIT_ACTIONS["an automatic sign-out when idle"]

    def check() -> None:
        entries = audit_of_provider(context.db.audit, _provider_id(context))
        found = [entry["Details"] for entry in entries if entry["Action"] == action]
        assert found == [details], (
            f"an automatic sign-out is audited once, saying why ({details!r}): found {found}"
        )

    eventually(check, context.settings.db_poll_timeout)


@then("no automatic sign-out of them is audited")
def step_no_idle_sign_out_audited(context):
    """Rule: a session idle for less than the timeout goes on, so no automatic sign-out is
    audited for its provider (the page they reached was sent after any such entry)."""
    action = words.AUDIT_ACTIONS["an automatic sign-out when idle"]
    entries = audit_of_provider(context.db.audit, _provider_id(context))
    found = [entry for entry in entries if entry["Action"] == action]
    assert not found, (
        f"a provider's session idle for 15 minutes ends, not sooner: they went on, yet the "
        f"audit log holds an automatic sign-out of theirs: {_summary(found)}"
    )


@then("the audit log numbers each request's entries from 1, with no gap")
def step_audit_numbered(context):
    """Rule: the entries one request writes are numbered 1, 2, 3 ... (Seq), so that an entry
    missing from a request shows. Every request of the provider in the scenario is checked."""

    def check() -> None:
        entries = audit_of_provider(context.db.audit, _provider_id(context))
        assert entries, f"{NUMBERED}: the audit log holds nothing of the provider"
        by_request: dict[str, list[dict]] = {}
        for entry in entries:
            by_request.setdefault(entry["RequestID"], []).append(entry)
        for request_id, written in by_request.items():
            numbers = sorted(entry["Seq"] for entry in written)
            assert numbers == list(range(1, len(written) + 1)), (
                f"{NUMBERED}: request {request_id} numbered its {len(written)} entries "
                f"{numbers}: {_summary(written)}"
            )

    eventually(check, context.settings.db_poll_timeout)
