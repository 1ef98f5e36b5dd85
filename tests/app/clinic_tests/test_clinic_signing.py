"""Signed prescriptions: Ed25519 over the canonical form, broken by a change of any field; the
key opens with the provider's password only; over HTTP a signed prescription verifies, a
wrong password signs nothing, and a signed prescription cannot be changed."""

from __future__ import annotations

import base64
import json
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta

import pytest
from clinic_testkit import (
    JOHN_PATIENT,
    PASSWORD,
    SMITH,
    actions,
    add_provider,
    audit_of,
    rows,
    sign_in_fully,
    text_of,
    verifies,
)
from fastapi.testclient import TestClient

from app.clinic import audit
from app.clinic.keys import new_signing_key, unlock
from app.clinic.prescriptions import CHANGE_REFUSED, SIGNING_REFUSED
from app.clinic.signing import SignedContent, canonical_form, sign
from app.platform.db import Databases
from products.clinic import rules
from queries.clinic import signing_key

DATABASE_PREFIX = "app-clinic-signing"
KEY = new_signing_key(PASSWORD)
PRIVATE = unlock(KEY, PASSWORD)
CONTENT = SignedContent(
    prescription_id="0d6a3f2e-58c4-4b1f-9e7a-2c5d8b1f4a60",
    visit_id="7e1c2b9a-4f3d-4c8e-a6b5-9d0e1f2a3b4c",
    patient_id="patient-001",
    provider_id="provider-dr-smith",
    medication="Lisinopril 10mg",
    dosage="Once daily",
    duration="30 days",
    signed_at=datetime(2026, 11, 30, 13, 5, 9, 123456, tzinfo=UTC),
)
SEEDED_RX = ("patient-001", "7e1c2b9a-4f3d-4c8e-a6b5-9d0e1f2a3b4c",
             "0d6a3f2e-58c4-4b1f-9e7a-2c5d8b1f4a60")  # fmt: skip
VISIT_FORM = {"reason": "Annual checkup", "diagnosis": "Healthy, no concerns",
              "treatment_plan": "Continue current medications"}  # fmt: skip
RX_FORM = {"medication": "Lisinopril 10mg", "dosage": "Once daily", "duration": "30 days"}


def changed(value: object) -> object:
    if isinstance(value, datetime):
        return value + timedelta(microseconds=1)
    return f"{value}x"


# The signature itself ----------------------------------------------------------------------


def test_the_canonical_form_is_sorted_compact_json_with_the_time_in_utc_microseconds() -> None:
    form = canonical_form(CONTENT)
    assert form == (
        b'{"dosage":"Once daily","duration":"30 days","medication":"Lisinopril 10mg",'
        b'"patient_id":"patient-001","prescription_id":"0d6a3f2e-58c4-4b1f-9e7a-2c5d8b1f4a60",'
        b'"provider_id":"provider-dr-smith","signed_at":"2026-11-30T13:05:09.123456Z",'
        b'"visit_id":"7e1c2b9a-4f3d-4c8e-a6b5-9d0e1f2a3b4c"}'
    )
    other_zone = CONTENT.signed_at.astimezone(datetime.now().astimezone().tzinfo)
    assert canonical_form(replace(CONTENT, signed_at=other_zone)) == form
    whole_second = replace(CONTENT, signed_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert json.loads(canonical_form(whole_second))["signed_at"] == "2026-01-02T03:04:05.000000Z"


def test_the_canonical_form_keeps_text_as_utf8() -> None:
    form = canonical_form(replace(CONTENT, medication="Amoxicillin 500 µg"))
    assert "Amoxicillin 500 µg".encode() in form


def test_a_signed_prescription_verifies_with_the_providers_public_key() -> None:
    assert PRIVATE is not None
    signature = sign(PRIVATE, CONTENT)
    assert len(signature) == rules.SIGNATURE_BYTES
    assert verifies(KEY.public_key_pem, CONTENT, signature)


@pytest.mark.parametrize("name", [f.name for f in fields(SignedContent)])
def test_changing_any_single_field_breaks_the_verification(name: str) -> None:
    assert PRIVATE is not None
    signature = sign(PRIVATE, CONTENT)
    tampered = replace(CONTENT, **{name: changed(getattr(CONTENT, name))})
    assert not verifies(KEY.public_key_pem, tampered, signature)


def test_another_providers_key_does_not_verify_and_a_changed_signature_does_not_either() -> None:
    assert PRIVATE is not None
    signature = sign(PRIVATE, CONTENT)
    assert not verifies(new_signing_key(PASSWORD).public_key_pem, CONTENT, signature)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not verifies(KEY.public_key_pem, CONTENT, flipped)


def test_the_key_opens_with_the_providers_password_only() -> None:
    assert unlock(KEY, PASSWORD) is not None
    for wrong in ("", "securepassword123!", PASSWORD + " "):
        assert unlock(KEY, wrong) is None
    assert KEY.encrypted_private_key_pem.startswith("argon2id-aes256gcm$")


# Over HTTP ---------------------------------------------------------------------------------


def stored(databases: Databases, patient_id: str, visit_id: str) -> list[dict]:
    return rows(
        databases, "clinic",
        "SELECT PrescriptionID, ProviderID, MedicationName, Dosage, Duration, SignedAt, "
        "SignatureKeyID, ProviderSignature FROM Prescriptions "
        "WHERE PatientID = @p AND VisitID = @v",
        p=patient_id, v=visit_id,
    )  # fmt: skip


def content_of(row: dict, patient_id: str, visit_id: str) -> SignedContent:
    return SignedContent(
        row["PrescriptionID"], visit_id, patient_id, row["ProviderID"], row["MedicationName"],
        row["Dosage"], row["Duration"], row["SignedAt"],
    )  # fmt: skip


def test_the_seeded_prescription_verifies_with_the_seeded_public_key(
    databases: Databases,
) -> None:
    patient_id, visit_id, rx_id = SEEDED_RX
    [row] = stored(databases, patient_id, visit_id)
    assert row["PrescriptionID"] == rx_id
    public_pem = signing_key(databases.clinic, SMITH, row["SignatureKeyID"])["PublicKeyPem"]
    signature = base64.b64decode(row["ProviderSignature"])
    assert verifies(public_pem, content_of(row, patient_id, visit_id), signature)


def new_visit(client: TestClient) -> str:
    r = client.post(f"/patients/{JOHN_PATIENT}/visits/new", data=VISIT_FORM)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def test_prescribing_shows_the_content_to_sign_and_signing_stores_a_verifiable_signature(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in_fully(client, provider)
    visit_path = new_visit(client)
    visit_id = visit_path.rsplit("/", 1)[1]
    r = client.post(f"{visit_path}/prescriptions/new", data=RX_FORM)
    assert r.status_code == 200
    for name, value in RX_FORM.items():
        assert f'data-testid="signing-{name}">{value}<' in r.text
        assert f'type="hidden" name="{name}" value="{value}"' in r.text
    before = datetime.now(UTC)
    r = client.post(f"{visit_path}/prescriptions/sign", data={**RX_FORM, "password": PASSWORD})
    assert r.status_code == 303
    [row] = stored(databases, JOHN_PATIENT, visit_id)
    assert r.headers["location"] == f"{visit_path}/prescriptions?signed={row['PrescriptionID']}"
    assert (row["MedicationName"], row["Dosage"], row["Duration"]) == tuple(RX_FORM.values())
    assert row["SignatureKeyID"] == provider.key.key_id
    assert before <= row["SignedAt"] <= datetime.now(UTC)
    signature = base64.b64decode(row["ProviderSignature"])
    assert len(signature) == rules.SIGNATURE_BYTES
    assert verifies(provider.key.public_key_pem, content_of(row, JOHN_PATIENT, visit_id), signature)
    page = client.get(r.headers["location"])
    assert "prescription-signed" in page.text
    assert f'data-testid="prescription-{row["PrescriptionID"]}"' in page.text


def test_a_wrong_signature_password_creates_nothing_and_is_audited(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in_fully(client, provider)
    visit_path = new_visit(client)
    visit_id = visit_path.rsplit("/", 1)[1]
    r = client.post(
        f"{visit_path}/prescriptions/sign", data={**RX_FORM, "password": "WrongPassword123!"}
    )
    assert r.status_code == 403
    assert text_of(r.text, "signature-error") == SIGNING_REFUSED
    assert 'data-testid="signature-password"' in r.text, "the provider may try again"
    assert stored(databases, JOHN_PATIENT, visit_id) == []
    entry = audit_of(databases, provider.provider_id)[-1]
    assert (entry["Action"], entry["PatientID"], entry["ResourceID"]) == (
        "PRESCRIPTION_SIGNING_REFUSED", JOHN_PATIENT, visit_id,
    )  # fmt: skip


def test_a_password_that_does_not_open_the_key_cannot_sign(
    client: TestClient, databases: Databases
) -> None:
    """The password is right for signing in, but the key was encrypted with another one."""
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    other = new_signing_key("An0ther-Passw0rd!")
    with databases.clinic.batch() as batch:
        batch.update("ProviderSigningKeys",
                     columns=("ProviderID", "KeyID", "EncryptedPrivateKeyPem"),
                     values=[(provider.provider_id, provider.key.key_id,
                              other.encrypted_private_key_pem)])  # fmt: skip
    sign_in_fully(client, provider)
    visit_path = new_visit(client)
    r = client.post(f"{visit_path}/prescriptions/sign", data={**RX_FORM, "password": PASSWORD})
    assert r.status_code == 403
    assert stored(databases, JOHN_PATIENT, visit_path.rsplit("/", 1)[1]) == []


def test_the_content_is_validated_again_when_signing(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in_fully(client, provider)
    visit_path = new_visit(client)
    r = client.post(f"{visit_path}/prescriptions/sign",
                    data={**RX_FORM, "duration": "x" * 101, "password": PASSWORD})  # fmt: skip
    assert r.status_code == 400
    assert text_of(r.text, "field-error") == "The duration must be at most 100 characters."
    assert stored(databases, JOHN_PATIENT, visit_path.rsplit("/", 1)[1]) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("medication", "  ", "Enter the medication."),
        ("dosage", "", "Enter the dosage."),
        ("duration", "", "Enter the duration."),
        ("medication", "m" * 201, "The medication must be at most 200 characters."),
        ("dosage", "d" * 201, "The dosage must be at most 200 characters."),
    ],
)
def test_the_prescription_form_refuses_missing_and_long_fields(
    client: TestClient, databases: Databases, field: str, value: str, message: str
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in_fully(client, provider)
    visit_path = new_visit(client)
    r = client.post(f"{visit_path}/prescriptions/new", data={**RX_FORM, field: value})
    assert r.status_code == 400
    assert text_of(r.text, "field-error") == message


def test_the_limits_themselves_are_accepted(client: TestClient, databases: Databases) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in_fully(client, provider)
    visit_path = new_visit(client)
    r = client.post(
        f"{visit_path}/prescriptions/new",
        data={"medication": "m" * 200, "dosage": "d" * 200, "duration": "u" * 100},
    )
    assert r.status_code == 200 and 'data-testid="sign-prescription"' in r.text


def test_a_signed_prescription_cannot_be_changed(client: TestClient, databases: Databases) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in_fully(client, provider)
    patient_id, visit_id, rx_id = SEEDED_RX
    [before] = stored(databases, patient_id, visit_id)
    r = client.post(
        f"/patients/{patient_id}/visits/{visit_id}/prescriptions/{rx_id}/change",
        data={"dosage": "Twice daily", "duration": "60 days"},
    )
    assert r.status_code == 409
    assert text_of(r.text, "change-refused") == CHANGE_REFUSED
    assert stored(databases, patient_id, visit_id) == [before], "the row is untouched"
    entry = audit_of(databases, provider.provider_id)[-1]
    assert (entry["Action"], entry["ResourceType"], entry["ResourceID"], entry["PatientID"]) == (
        "PRESCRIPTION_CHANGE_REFUSED", "prescription", rx_id, patient_id,
    )  # fmt: skip
    assert "Twice daily" in entry["Details"]


def test_a_change_asking_for_any_length_is_refused_and_audited_within_the_details_column(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in_fully(client, provider)
    patient_id, visit_id, rx_id = SEEDED_RX
    r = client.post(
        f"/patients/{patient_id}/visits/{visit_id}/prescriptions/{rx_id}/change",
        data={"dosage": "x" * 600},
    )
    assert r.status_code == 409
    entry = audit_of(databases, provider.provider_id)[-1]
    assert entry["Action"] == "PRESCRIPTION_CHANGE_REFUSED"
    assert len(entry["Details"]) == audit.MAX_DETAILS == 500


def test_changing_a_prescription_that_does_not_exist_is_not_found(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in_fully(client, provider)
    _, visit_id, _ = SEEDED_RX
    r = client.post(f"/patients/{JOHN_PATIENT}/visits/{visit_id}/prescriptions/nothing/change")
    assert r.status_code == 404
    assert actions(databases, provider.provider_id) == ["MFA_VERIFIED"]
