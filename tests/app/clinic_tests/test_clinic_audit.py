"""The audit trail: entries in the order of events with the client's address, and the
guarantee that an action whose entry cannot be written does not happen. The audit write is
made to fail for real: the app's `audit` handle names a database that does not exist (or
one dropped under the running app), while `clinic` is the real one."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from datetime import UTC, datetime, timedelta

import pytest
from clinic_testkit import (
    JOHN_PATIENT,
    Provider,
    actions,
    add_provider,
    app_env,
    audit_of,
    rows,
    sign_in,
    sign_in_fully,
    text_of,
)
from csrf_client import browser_client
from fastapi.testclient import TestClient
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.instance import Instance

from app.clinic import audit, sign_in_audit
from app.clinic.mfa import step_at
from app.clinic.product import PRODUCT
from app.clinic.reconcile import main as reconcile_main
from app.clinic.reconcile import reconcile
from app.clinic.routes.common import NOT_SHOWN, NOTHING_CHANGED
from app.clinic.visits import VisitForm, record_visit
from app.platform.db import Databases
from app.platform.product import FailedSignIn
from app.platform.settings import load_settings
from app.platform.web import create_app
from spanner.databases import create_database
from spanner.emulator import Backend
from spanner.schema import schema_statements

DATABASE_PREFIX = "app-clinic-audit"
MISSING_AUDIT = "app-clinic-no-such-audit"
VISIT_FORM = {"reason": "Annual checkup", "diagnosis": "Healthy, no concerns",
              "treatment_plan": "Continue current medications"}  # fmt: skip
RX_FORM = {"medication": "Lisinopril 10mg", "dosage": "Once daily", "duration": "30 days"}
PASSWORD = "SecurePassword123!"
COOKIE = "provider_session"


@contextmanager
def app_with_audit(
    emulator: Backend, instance: Instance, databases: Databases, audit_id: str
) -> Iterator[TestClient]:
    """The clinic on the real `clinic` database and the audit database ``audit_id``."""
    env = {**app_env(emulator, instance, DATABASE_PREFIX), "APP_DATABASE_AUDIT": audit_id}
    handles = Databases(databases.client, {
        "clinic": databases.clinic,
        "audit": databases.client.instance(instance.name.rsplit("/", 1)[1]).database(audit_id),
    })  # fmt: skip
    app = create_app(PRODUCT, load_settings(PRODUCT, env), handles)
    with browser_client(app, follow_redirects=False) as client:
        yield client


@pytest.fixture()
def unaudited(
    emulator: Backend, spanner_instance: Instance, databases: Databases
) -> Iterator[TestClient]:
    """A client of the app whose audit database does not exist."""
    assert not spanner_instance.database(MISSING_AUDIT).exists()
    with app_with_audit(emulator, spanner_instance, databases, MISSING_AUDIT) as client:
        yield client


def same_session(source: TestClient, target: TestClient) -> None:
    target.cookies.set(COOKIE, source.cookies[COOKIE])


def visits_by(databases: Databases, provider_id: str) -> list[dict]:
    return rows(databases, "clinic", "SELECT VisitID FROM VisitRecords WHERE ProviderID = @p",
                p=provider_id)  # fmt: skip


def prescriptions_by(databases: Databases, provider_id: str) -> list[dict]:
    return rows(databases, "clinic",
                "SELECT PrescriptionID FROM Prescriptions WHERE ProviderID = @p",
                p=provider_id)  # fmt: skip


@pytest.fixture()
def provider(client: TestClient, databases: Databases) -> Provider:
    """A provider with John Patient in care, signed in with both factors on ``client``."""
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in_fully(client, provider)
    return provider


# The order of events -----------------------------------------------------------------------


def test_viewing_recording_and_prescribing_are_audited_in_order_with_the_ip_address(
    client: TestClient, databases: Databases, provider: Provider
) -> None:
    assert client.get(f"/patients/{JOHN_PATIENT}").status_code == 200
    r = client.post(f"/patients/{JOHN_PATIENT}/visits/new", data=VISIT_FORM)
    visit_path = r.headers["location"]
    visit_id = visit_path.rsplit("/", 1)[1]
    client.get(visit_path)  # the visit's page: reason, diagnosis, treatment plan
    r = client.post(f"{visit_path}/prescriptions/sign", data={**RX_FORM, "password": PASSWORD})
    rx_id = r.headers["location"].rsplit("=", 1)[1]
    client.get(r.headers["location"])  # the prescriptions page: medication and dosage
    entries = [e for e in audit_of(databases, provider.provider_id) if e["PatientID"]]
    assert [(e["Action"], e["ResourceType"], e["ResourceID"], e["Status"]) for e in entries] == [
        ("PATIENT_VIEWED", "patient", JOHN_PATIENT, "completed"),
        ("VISIT_CREATED", "visit", visit_id, "completed"),
        ("VISIT_VIEWED", "visit", visit_id, "completed"),
        ("PRESCRIPTION_CREATED", "prescription", rx_id, "completed"),
        ("PRESCRIPTIONS_VIEWED", "visit", visit_id, "completed"),
    ]
    for entry in entries:
        assert entry["PatientID"] == JOHN_PATIENT and entry["ProviderID"] == provider.provider_id
        assert entry["IPAddress"] == "testclient", "request.client.host, as the app saw it"
        assert entry["Seq"] == 1 and entry["CompletedAt"] >= entry["CreatedAt"]
    times = [entry["CreatedAt"] for entry in entries]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert len({e["RequestID"] for e in entries}) == 5, "one RequestID per request"
    assert entries[-1]["Details"] == f"1 shown: {rx_id}", "the prescriptions shown are named"
    assert [e["Action"] for e in audit_of(databases, provider.provider_id)] == [
        "MFA_VERIFIED", "PATIENT_VIEWED", "VISIT_CREATED", "VISIT_VIEWED", "PRESCRIPTION_CREATED",
        "PRESCRIPTIONS_VIEWED",
    ]  # fmt: skip


def test_the_ip_address_is_the_peer_not_a_forwarded_header(
    client: TestClient, databases: Databases, provider: Provider
) -> None:
    client.get(f"/patients/{JOHN_PATIENT}", headers={"X-Forwarded-For": "203.0.113.9"})
    assert audit_of(databases, provider.provider_id)[-1]["IPAddress"] == "testclient"


# An action whose entry cannot be written does not happen ------------------------------------


def test_no_patient_page_without_its_entry(
    client: TestClient, unaudited: TestClient, provider: Provider
) -> None:
    same_session(client, unaudited)
    r = unaudited.get(f"/patients/{JOHN_PATIENT}")
    assert r.status_code == 503
    assert text_of(r.text, "audit-unavailable") == NOT_SHOWN
    for data in ("John Patient", "MRN-0001001", "1968-04-12", "patient-summary", "cholesterol"):
        assert data not in r.text, data


def test_no_search_results_without_their_entry(
    client: TestClient, unaudited: TestClient, provider: Provider
) -> None:
    same_session(client, unaudited)
    r = unaudited.get("/patients/search", params={"q": "John"})
    assert r.status_code == 503 and "John Patient" not in r.text


def test_no_visit_page_nor_prescriptions_page_without_its_entry(
    client: TestClient, unaudited: TestClient, databases: Databases, provider: Provider
) -> None:
    """The visit's reason, diagnosis and treatment plan, and its prescriptions' medication
    and dosage, leave the server only after their entry is written."""
    r = client.post(f"/patients/{JOHN_PATIENT}/visits/new", data=VISIT_FORM)
    visit_path = r.headers["location"]
    r = client.post(f"{visit_path}/prescriptions/sign", data={**RX_FORM, "password": PASSWORD})
    assert r.status_code == 303, "signed"
    same_session(client, unaudited)
    for path, shown in (
        (visit_path, (VISIT_FORM["diagnosis"], VISIT_FORM["treatment_plan"])),
        (f"{visit_path}/prescriptions", (RX_FORM["medication"], RX_FORM["dosage"])),
    ):
        r = unaudited.get(path)
        assert r.status_code == 503, f"{path}: no page without its audit entry"
        assert text_of(r.text, "audit-unavailable") == NOT_SHOWN
        for data in shown:
            assert data not in r.text, f"{path} showed {data!r} unaudited"
    assert client.get(visit_path).status_code == 200, "with the audit log, the page opens"


def test_a_refusal_is_not_shown_without_its_entry(
    client: TestClient, unaudited: TestClient, provider: Provider
) -> None:
    same_session(client, unaudited)
    r = unaudited.get("/patients/patient-002")
    assert r.status_code == 503 and 'class="access-denied"' not in r.text


def test_no_visit_without_its_entry(
    client: TestClient, unaudited: TestClient, databases: Databases, provider: Provider
) -> None:
    same_session(client, unaudited)
    r = unaudited.post(f"/patients/{JOHN_PATIENT}/visits/new", data=VISIT_FORM)
    assert r.status_code == 503
    assert text_of(r.text, "audit-unavailable") == NOTHING_CHANGED
    assert visits_by(databases, provider.provider_id) == []


def test_no_prescription_without_its_entry(
    client: TestClient, unaudited: TestClient, databases: Databases, provider: Provider
) -> None:
    visit_path = client.post(f"/patients/{JOHN_PATIENT}/visits/new", data=VISIT_FORM).headers[
        "location"
    ]
    same_session(client, unaudited)
    r = unaudited.post(f"{visit_path}/prescriptions/sign", data={**RX_FORM, "password": PASSWORD})
    assert r.status_code == 503
    assert text_of(r.text, "audit-unavailable") == NOTHING_CHANGED
    assert prescriptions_by(databases, provider.provider_id) == []
    r = unaudited.post(f"{visit_path}/prescriptions/sign",
                       data={**RX_FORM, "password": "Wrong-password-1"})  # fmt: skip
    assert r.status_code == 503, "a refusal is not shown without its entry either"


def test_no_second_factor_grant_without_its_entry(
    client: TestClient, unaudited: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in(unaudited, provider.email)
    now = datetime.now(UTC)
    r = unaudited.post("/mfa", data={"code": provider.code(now)})
    assert r.status_code == 503
    assert unaudited.get("/patients/search").headers["location"] == "/mfa"
    assert unaudited.get(f"/patients/{JOHN_PATIENT}").headers["location"] == "/mfa"
    [session] = rows(databases, "clinic",
                     "SELECT MfaVerifiedAt FROM ProviderSessions WHERE ProviderID = @p",
                     p=provider.provider_id)  # fmt: skip
    assert session["MfaVerifiedAt"] is None, "the session stays password-only"
    # the code was used up by the check; the next step's code works once the log answers
    same_session(unaudited, client)
    r = client.post("/mfa", data={"code": provider.code(now + timedelta(seconds=30))})
    assert r.headers["location"] == "/patients/search"
    assert actions(databases, provider.provider_id) == ["MFA_VERIFIED"]


def test_a_change_refusal_is_not_shown_without_its_entry(
    client: TestClient, unaudited: TestClient, provider: Provider
) -> None:
    same_session(client, unaudited)
    path = ("/patients/patient-001/visits/7e1c2b9a-4f3d-4c8e-a6b5-9d0e1f2a3b4c/prescriptions/"
            "0d6a3f2e-58c4-4b1f-9e7a-2c5d8b1f4a60/change")  # fmt: skip
    r = unaudited.post(path, data={"dosage": "Twice daily"})
    assert r.status_code == 503 and 'class="change-refused"' not in r.text


def test_an_audit_database_dropped_under_the_running_app_stops_the_pages(
    emulator: Backend, spanner_instance: Instance, databases: Databases, client: TestClient,
    provider: Provider,
) -> None:  # fmt: skip
    audit_id = f"{DATABASE_PREFIX}-gone"
    create_database(spanner_instance, audit_id, schema_statements("audit"))
    with app_with_audit(emulator, spanner_instance, databases, audit_id) as app:
        same_session(client, app)
        assert app.get(f"/patients/{JOHN_PATIENT}").status_code == 200
        spanner_instance.database(audit_id).drop()
        r = app.get(f"/patients/{JOHN_PATIENT}")
        assert r.status_code == 503 and "John Patient" not in r.text
        r = app.post(f"/patients/{JOHN_PATIENT}/visits/new", data=VISIT_FORM)
        assert r.status_code == 503
    assert visits_by(databases, provider.provider_id) == []


# Intents: settled at once when the record fails, later by reconcile -------------------------


def trail() -> audit.Trail:
    return audit.Trail(str(uuid.uuid4()), "192.0.2.1")


def entry_status(databases: Databases, resource_id: str) -> list[tuple[str, bool]]:
    return [
        (row["Status"], row["CompletedAt"] is not None)
        for row in rows(
            databases,
            "audit",
            "SELECT Status, CompletedAt FROM AuditLog WHERE ResourceID = @r",
            r=resource_id,
        )  # fmt: skip
    ]


def test_an_intent_is_written_pending_without_a_completion_time(databases: Databases) -> None:
    """Until it is settled, an intent says it is pending and was never completed."""
    resource_id = str(uuid.uuid4())
    entry = audit.Entry(audit.VISIT_CREATED, "provider-x", audit.VISIT, resource_id, "patient-x")
    audit_id = audit.intend(databases.audit, trail(), entry)
    assert entry_status(databases, resource_id) == [("pending", False)]
    audit.settle(databases.audit, audit_id, audit.ABANDONED)  # not left for the reconcile test


def test_a_record_that_cannot_be_written_leaves_its_intent_abandoned(
    databases: Databases,
) -> None:
    """A visit of a patient who does not exist: Spanner refuses the interleaved row."""
    before = {
        row["ResourceID"]
        for row in rows(
            databases, "audit", "SELECT ResourceID FROM AuditLog WHERE Action = 'VISIT_CREATED'"
        )
    }
    form = VisitForm("r", "d", "t")
    with pytest.raises(Exception, match="(?i)parent|not found"):
        record_visit(databases, trail(), "provider-dr-smith", "patient-does-not-exist", form)
    [new] = [row for row in rows(
        databases, "audit",
        "SELECT ResourceID, Status, CompletedAt, PatientID FROM AuditLog "
        "WHERE Action = 'VISIT_CREATED'") if row["ResourceID"] not in before]  # fmt: skip
    assert (new["Status"], new["CompletedAt"], new["PatientID"]) == (
        "abandoned", None, "patient-does-not-exist",
    )  # fmt: skip


def test_a_failing_change_under_perform_is_abandoned_and_its_error_goes_on(
    databases: Databases,
) -> None:
    resource_id = str(uuid.uuid4())
    entry = audit.Entry(audit.VISIT_CREATED, "provider-x", audit.VISIT, resource_id, "patient-x")

    def change() -> None:
        raise RuntimeError("the record write failed")

    with pytest.raises(RuntimeError, match="the record write failed"):
        audit.perform(databases.audit, trail(), entry, change, lambda: False)
    assert entry_status(databases, resource_id) == [("abandoned", False)]


def test_an_intent_that_cannot_be_marked_completed_stays_pending_and_the_change_stands(
    spanner_instance: Instance, caplog: pytest.LogCaptureFixture
) -> None:
    """The record is written, then the audit database goes: the request still succeeds."""
    audit_db = fresh_audit_database(spanner_instance, "unsettled")
    resource_id = str(uuid.uuid4())
    entry = audit.Entry(audit.VISIT_CREATED, "provider-x", audit.VISIT, resource_id, "patient-x")

    def change() -> str:
        audit_db.drop()
        return "the record"

    with caplog.at_level(logging.ERROR, logger=audit.__name__):
        assert audit.perform(audit_db, trail(), entry, change, lambda: True) == "the record"
    assert "stays pending; reconcile will settle it" in caplog.text


def test_an_intent_that_cannot_be_settled_after_a_failed_change_lets_the_failure_go_on(
    spanner_instance: Instance, caplog: pytest.LogCaptureFixture
) -> None:
    audit_db = fresh_audit_database(spanner_instance, "unsettled2")
    resource_id = str(uuid.uuid4())
    entry = audit.Entry(audit.VISIT_CREATED, "provider-x", audit.VISIT, resource_id, "patient-x")

    def change() -> None:
        audit_db.drop()
        raise RuntimeError("the record write failed")

    with (
        caplog.at_level(logging.ERROR, logger=audit.__name__),
        pytest.raises(RuntimeError, match="the record write failed"),
    ):
        audit.perform(audit_db, trail(), entry, change, lambda: False)
    assert "stays pending; reconcile will settle it" in caplog.text


def fresh_audit_database(instance: Instance, name: str) -> Database:
    audit_id = f"{DATABASE_PREFIX}-{name}"
    create_database(instance, audit_id, schema_statements("audit"))
    return instance.database(audit_id)


def write_pending(databases: Databases, resource_type: str, resource_id: str,
                  patient_id: str, age: timedelta) -> None:  # fmt: skip
    """An intent left pending ``age`` ago, as a stopped app leaves it."""
    created = datetime.now(UTC) - age
    with databases.audit.batch() as batch:
        batch.insert("AuditLog", columns=audit.COLUMNS, values=[(
            str(uuid.uuid4()), str(uuid.uuid4()), 1, "VISIT_CREATED", "pending", resource_type,
            resource_id, patient_id, "provider-dr-smith", "192.0.2.1", None, created, None,
        )])  # fmt: skip


def test_reconcile_settles_old_intents_by_whether_their_record_exists(
    databases: Databases,
) -> None:
    seeded_visit = "7e1c2b9a-4f3d-4c8e-a6b5-9d0e1f2a3b4c"
    seeded_rx = "0d6a3f2e-58c4-4b1f-9e7a-2c5d8b1f4a60"
    lost = str(uuid.uuid4())
    young = str(uuid.uuid4())
    old = timedelta(minutes=2)
    write_pending(databases, "visit", seeded_visit, JOHN_PATIENT, old)
    write_pending(databases, "prescription", seeded_rx, JOHN_PATIENT, old)
    write_pending(databases, "visit", lost, JOHN_PATIENT, old)
    write_pending(databases, "visit", young, JOHN_PATIENT, timedelta(seconds=5))
    settled = reconcile(databases)
    assert (settled.completed, settled.abandoned) == (2, 1)
    assert entry_status(databases, seeded_visit) == [("completed", True)]
    assert entry_status(databases, seeded_rx) == [("completed", True)]
    assert entry_status(databases, lost) == [("abandoned", False)]
    assert entry_status(databases, young) == [("pending", False)], "a request may be in flight"
    # a minute later the young one is settled too, by the command line
    settled = reconcile(databases, now=datetime.now(UTC) + timedelta(minutes=1))
    assert (settled.completed, settled.abandoned) == (0, 1)
    assert reconcile(databases, timedelta(0)).completed == 0, "settled entries stay settled"


def test_reconcile_runs_from_the_command_line(
    emulator: Backend, spanner_instance: Instance, databases: Databases,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    lost = str(uuid.uuid4())
    write_pending(databases, "visit", lost, JOHN_PATIENT, timedelta(minutes=5))
    for name, value in app_env(emulator, spanner_instance, DATABASE_PREFIX).items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    with redirect_stdout(out):
        assert reconcile_main([]) == 0
    assert "abandoned 1" in out.getvalue()
    assert entry_status(databases, lost) == [("abandoned", False)]


def test_the_app_settles_old_intents_when_it_starts(
    emulator: Backend, spanner_instance: Instance, databases: Databases
) -> None:
    lost = str(uuid.uuid4())
    write_pending(databases, "visit", lost, JOHN_PATIENT, timedelta(minutes=5))
    audit_id = f"{DATABASE_PREFIX}-audit"
    with app_with_audit(emulator, spanner_instance, databases, audit_id) as app:
        assert app.get("/healthz").status_code == 200
    assert entry_status(databases, lost) == [("abandoned", False)]


def test_a_second_factor_entry_names_its_step(client: TestClient, databases: Databases) -> None:
    provider = add_provider(databases)
    sign_in(client, provider.email)
    now = datetime.now(UTC)
    client.post("/mfa", data={"code": provider.code(now)})
    details = audit_of(databases, provider.provider_id)[-1]["Details"]
    assert details in {f"step {step_at(now) + d}" for d in (-1, 0, 1)}


def test_a_refused_sign_in_that_cannot_be_audited_is_logged_and_stays_refused(
    spanner_instance: Instance, databases: Databases, caplog: pytest.LogCaptureFixture
) -> None:
    """The audit database is gone: the hook logs the loss and raises nothing (the platform
    refuses the sign-in either way)."""
    gone = fresh_audit_database(spanner_instance, "signin")
    gone.drop()
    broken = Databases(databases.client, {"clinic": databases.clinic, "audit": gone})
    failed = FailedSignIn("dr.smith@hospital.com", "192.0.2.9", was_locked=False, locks_now=False)
    with caplog.at_level(logging.ERROR, logger=sign_in_audit.__name__):
        sign_in_audit.audit_failed_sign_in(broken, failed)
    assert "a failed sign-in from 192.0.2.9 is not audited" in caplog.text
