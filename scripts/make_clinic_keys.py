"""Make the clinic's seeded signing keys and signed prescription (committed fixtures).

Every provider of fixtures/common/clinic/clinic/ has an Ed25519 key whose private half is
wrapped with their password (argon2id + AES-256-GCM, app/clinic/keys.py), and patient-001's
earlier visit has a prescription signed with Dr. Smith's key over its canonical form
(app/clinic/signing.py).

    .venv/bin/python scripts/make_clinic_keys.py          # print the files' rows
    .venv/bin/python scripts/make_clinic_keys.py --write  # write them into the fixtures
    .venv/bin/python scripts/make_clinic_keys.py --new-keys --write  # replace the key pairs

By default the key pairs stay (every signature of the fixtures stays valid): each private key
is opened with the password, from the file as it is (the earlier PKCS8 PEM or the current
wrapping), and wrapped again with a salt and nonce derived from its KeyID, so the output is
the same at every run (a test checks the committed file against it). ``--new-keys`` makes
random pairs (then fixtures/healthcare/clinic/Prescriptions.yaml must be signed again).

It writes ProviderSigningKeys.yaml and Prescriptions.yaml; the other tables of the seed
(Providers, ProviderMfa, Patients, CareRelationships, VisitRecords) are written by hand.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from app.clinic.dates import utc_text
from app.clinic.keys import NONCE_BYTES, SALT_BYTES, SigningKey, new_signing_key, unlock, wrap
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
        "# Made by scripts/make_clinic_keys.py. Each private key is wrapped with the provider's\n"
        "# password, SecurePassword123! (argon2id + AES-256-GCM, app/clinic/keys.py); its salt\n"
        "# and nonce are derived from its KeyID so that the script's output never changes.\n"
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


def _derived(label: str, key_id: str, size: int) -> bytes:
    return hashlib.sha256(f"clinic fixture {label}:{key_id}".encode()).digest()[:size]


def rewrapped(key: SigningKey) -> SigningKey:
    """The same key pair, wrapped the current way with a salt and nonce of its KeyID."""
    private_key = unlock(key, PASSWORD)
    assert private_key is not None, f"key {key.key_id} does not open with the password"
    wrapped = wrap(
        private_key, PASSWORD, key.key_id,
        salt=_derived("salt", key.key_id, SALT_BYTES),
        nonce=_derived("nonce", key.key_id, NONCE_BYTES),
    )  # fmt: skip
    return SigningKey(key.key_id, key.public_key_pem, wrapped)


def committed_keys() -> dict[str, SigningKey]:
    """The keys of the committed ProviderSigningKeys.yaml, by provider."""
    rows = yaml.safe_load((FIXTURES / "ProviderSigningKeys.yaml").read_text(encoding="utf-8"))
    return {
        row["ProviderID"]: SigningKey(
            row["KeyID"], row["PublicKeyPem"], row["EncryptedPrivateKeyPem"]
        )
        for row in rows
    }


def make(new_keys: bool = False) -> dict[str, str]:
    """The two files' text, by file name; the signature checked before it is written."""
    if new_keys:
        keys = {provider_id: new_signing_key(PASSWORD) for provider_id in PROVIDERS}
    else:
        keys = committed_keys()
    keys = {provider_id: rewrapped(key) for provider_id, key in keys.items()}
    signer = keys[SEEDED.content.provider_id]
    private_key = unlock(signer, PASSWORD)
    assert isinstance(private_key, Ed25519PrivateKey), "the key does not open with the password"
    signature = sign(private_key, SEEDED.content)
    # raises InvalidSignature should the signature not verify with the public key
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
    parser.add_argument(
        "--new-keys", action="store_true", help="random key pairs, not the committed"
    )
    args = parser.parse_args(argv)
    for name, text in make(args.new_keys).items():
        if args.write:
            (FIXTURES / name).write_text(text, encoding="utf-8")
            print(f"wrote {FIXTURES / name}")
        else:
            print(f"# {name}\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
