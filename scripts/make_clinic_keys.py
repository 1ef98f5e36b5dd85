"""Make the clinic's seeded signing keys and signed prescription (committed fixtures).

Every provider of fixtures/common/clinic/clinic/ has an Ed25519 key whose private half is
encrypted with their password, and patient-001's earlier visit has a prescription signed
with Dr. Smith's key over its canonical form (app/clinic/signing.py). Keys are random, so
they are made once with this script and the output is committed; nothing makes a key at run
time. Run it again only to replace the keys (the signature is remade with them):

    .venv/bin/python scripts/make_clinic_keys.py          # print the two files' rows
    .venv/bin/python scripts/make_clinic_keys.py --write  # write them into the fixtures

It writes ProviderSigningKeys.yaml and Prescriptions.yaml; the other tables of the seed
(Providers, ProviderMfa, Patients, CareRelationships, VisitRecords) are written by hand.
"""

from __future__ import annotations

import argparse
import base64
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.serialization import load_pem_public_key

from app.clinic.dates import utc_text
from app.clinic.keys import SigningKey, new_signing_key, unlock
from app.clinic.signing import SignedContent, canonical_form, sign

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "common" / "clinic" / "clinic"
PASSWORD = "SecurePassword123!"  # every seeded provider's (fixtures/healthcare/accounts.yaml)
PROVIDERS = ("provider-dr-smith", "provider-dr-jones")
KEYS_CREATED_AT = "2025-09-01T08:00:00Z"


@dataclass(frozen=True)
class SeededPrescription:
    """The prescription of patient-001's earlier visit (VisitRecords.yaml)."""

    content: SignedContent
    created_at: str


SEEDED = SeededPrescription(
    SignedContent(
        prescription_id="0d6a3f2e-58c4-4b1f-9e7a-2c5d8b1f4a60",
        visit_id="7e1c2b9a-4f3d-4c8e-a6b5-9d0e1f2a3b4c",
        patient_id="patient-001",
        provider_id="provider-dr-smith",
        medication="Atorvastatin 20mg",
        dosage="Once daily at bedtime",
        duration="90 days",
        signed_at=datetime(2026, 9, 14, 9, 41, 12, 345678, tzinfo=UTC),
    ),
    created_at="2026-09-14T09:41:13Z",
)


def block(text: str, indent: str = "    ") -> str:
    """A YAML literal block of the (PEM) text."""
    return "|\n" + "".join(f"{indent}{line}\n" for line in text.strip().splitlines())


def keys_yaml(keys: dict[str, SigningKey]) -> str:
    rows = [
        "# Made by scripts/make_clinic_keys.py (run it again to replace the keys). Each private\n"
        "# key is PKCS8 PEM encrypted with the provider's password, SecurePassword123!.\n"
    ]
    for provider_id, key in keys.items():
        rows.append(
            f"- ProviderID: {provider_id}\n"
            f"  KeyID: {key.key_id}\n"
            f"  PublicKeyPem: {block(key.public_key_pem)}"
            f"  EncryptedPrivateKeyPem: {block(key.encrypted_private_key_pem)}"
            f"  CreatedAt: {KEYS_CREATED_AT}\n"
        )
    return "".join(rows)


def prescriptions_yaml(key: SigningKey, signature: bytes) -> str:
    c = SEEDED.content
    return (
        "# Made by scripts/make_clinic_keys.py: ProviderSignature is Dr. Smith's Ed25519\n"
        "# signature (base64) of the canonical form of these fields (app/clinic/signing.py).\n"
        f"- PatientID: {c.patient_id}\n"
        f"  VisitID: {c.visit_id}\n"
        f"  PrescriptionID: {c.prescription_id}\n"
        f"  ProviderID: {c.provider_id}\n"
        f"  MedicationName: {c.medication}\n"
        f"  Dosage: {c.dosage}\n"
        f"  Duration: {c.duration}\n"
        f"  SignedAt: {utc_text(c.signed_at)}\n"
        f"  SignatureKeyID: {key.key_id}\n"
        f"  ProviderSignature: {base64.b64encode(signature).decode()}\n"
        f"  CreatedAt: {SEEDED.created_at}\n"
    )


def make() -> dict[str, str]:
    """The two files' text, by file name; the signature checked before it is written."""
    keys = {provider_id: new_signing_key(PASSWORD) for provider_id in PROVIDERS}
    signer = keys[SEEDED.content.provider_id]
    private_key = unlock(signer, PASSWORD)
    assert private_key is not None, "the new key does not open with the password"
    signature = sign(private_key, SEEDED.content)
    # raises InvalidSignature should the signature not verify with the new public key
    load_pem_public_key(signer.public_key_pem.encode()).verify(
        signature, canonical_form(SEEDED.content)
    )
    return {
        "ProviderSigningKeys.yaml": keys_yaml(keys),
        "Prescriptions.yaml": prescriptions_yaml(signer, signature),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write the files into {FIXTURES}")
    args = parser.parse_args(argv)
    for name, text in make().items():
        if args.write:
            (FIXTURES / name).write_text(text, encoding="utf-8")
            print(f"wrote {FIXTURES / name}")
        else:
            print(f"# {name}\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
