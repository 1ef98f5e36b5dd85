"""Healthcare clinic: a patient's care team saving visits at once while Spanner aborts commits.

The writers are released together by harness/concurrent_requests.py; what each provider's
browser does is in pages/clinic/writers.py; the generic checks (faults on, no server error,
retries counted) are in steps/shared/many_writers.py.
"""

from __future__ import annotations

import time
from functools import partial

from behave import then, when

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from harness.writer_bursts import release_writers
from pages.clinic.writers import VisitNotes, record_visit, visit_id_led_to
from products.clinic.rules import code_of_step, step_of
from queries.clinic import patient_by_name, visits_of_patient
from queries.clinic.many_writers import audit_entries_of_action, care_team_of
from spanner.assertions import assert_rows

EACH_VISIT_ONCE = (
    "visits of one patient saved at the same moment are each recorded once, and each one's "
    "creation is audited once"
)


def current_code(secret: str) -> str:
    """The code the provider's authenticator shows at the moment it is entered."""
    return code_of_step(secret, step_of(time.time()))


@when(
    "the {count:d} providers of {patient:ClinicPatient}'s care team each save a new visit of "
    "{same:ClinicPatient} at the same moment"
)
def step_care_team_saves_visits(context, count, patient, same):
    """Each provider signs in with both factors and opens the new-visit form in a browser of
    their own; then all save it together, each with notes that name them."""
    assert same == patient, f"the visits are of {patient}'s care team's patient, not {same}"
    found = patient_by_name(context.db.clinic, patient)
    assert found is not None, f"the fixtures should hold the patient {patient}"
    team = care_team_of(context.db.clinic, found["PatientID"])
    assert len(team) == count, (
        f"the fixtures should give {patient} a care team of {count}: "
        f"{[member['Email'] for member in team]}"
    )
    writers = [
        record_visit(
            member["Email"], context.accounts.password_of(member["Email"]),
            partial(current_code, member["Secret"]), found["PatientID"],
            VisitNotes(f"Follow-up by {member['Email']}", "Stable", "Review in a month"),
        )
        for member in team
    ]  # fmt: skip
    before = visits_of_patient(context.db.clinic, found["PatientID"])
    burst = release_writers(context, writers, f"{count} visits of {patient} at once")
    context.learned.update(burst=burst, team=team, patient_id=found["PatientID"], patient=patient,
                           visits_before=before)  # fmt: skip


@then("each provider is shown the page of the visit they saved")
def step_each_led_to_visit(context):
    """Every answer leads to a visit's page of the patient: the visit was saved."""
    burst, patient_id = context.learned["burst"], context.learned["patient_id"]
    saved = [
        visit_id_led_to(o.response, patient_id) if o.response else None for o in burst.outcomes
    ]
    unsaved = [
        f"{context.learned['team'][o.writer]['Email']}: {o.describe()}"
        for o, visit_id in zip(burst.outcomes, saved, strict=True)
        if visit_id is None
    ]
    assert not unsaved, f"{EACH_VISIT_ONCE}: {len(unsaved)} were not saved: {'; '.join(unsaved)}"
    context.learned["visit ids"] = saved


@then(
    "{patient:ClinicPatient} has each of those {count:d} visits exactly once, by the provider who "
    "saved it"
)
def step_visits_once(context, patient, count):
    """The patient's visits are those before and the ones saved: each id once, with its
    provider."""
    team, visit_ids = context.learned["team"], context.learned["visit ids"]
    expected = [
        {"VisitID": visit_id, "ProviderID": member["ProviderID"],
         "Reason": f"Follow-up by {member['Email']}"}
        for member, visit_id in zip(team, visit_ids, strict=True)
    ]  # fmt: skip
    assert len(expected) == count, f"{count} visits were to be saved, {len(expected)} were"
    earlier = [
        {key: row[key] for key in ("VisitID", "ProviderID", "Reason")}
        for row in context.learned["visits_before"]
    ]
    assert_rows(
        lambda: visits_of_patient(context.db.clinic, context.learned["patient_id"]),
        earlier + expected,
        f"{EACH_VISIT_ONCE}; visits of {patient}",
        exact=True,
        timeout=0,
    )


@then("each of those visits' creation is audited exactly once, and completed")
def step_visit_audit_once(context):
    """One VISIT_CREATED entry per visit saved, naming it and its provider, completed."""
    team, visit_ids = context.learned["team"], context.learned["visit ids"]
    expected = [
        {"Action": "VISIT_CREATED", "Status": "completed", "ResourceType": "visit",
         "ResourceID": visit_id, "ProviderID": member["ProviderID"], "CompletedAt": "<not null>"}
        for member, visit_id in zip(team, visit_ids, strict=True)
    ]  # fmt: skip
    assert_rows(
        lambda: audit_entries_of_action(
            context.db.audit, context.learned["patient_id"], "VISIT_CREATED"
        ),
        expected,
        f"{EACH_VISIT_ONCE}; visit creations audited about {context.learned['patient']}",
        exact=True,
        timeout=context.settings.db_poll_timeout,
    )
