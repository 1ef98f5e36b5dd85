"""Electronic signatures of prescriptions: Ed25519 over the prescription's canonical form.

The canonical form is the JSON of the eight signed fields with sorted keys, no spaces and
UTF-8 text (not \\u escapes); ``signed_at`` is SignedAt in UTC with microseconds. Anyone with
the provider's public key can check a stored prescription without the app: the suite does,
computing the form independently (products/clinic/rules.py); the app itself never verifies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.clinic.dates import utc_text


@dataclass(frozen=True)
class SignedContent:
    """What a provider's signature covers: who prescribes what, to whom, in which visit, when."""

    prescription_id: str
    visit_id: str
    patient_id: str
    provider_id: str
    medication: str
    dosage: str
    duration: str
    signed_at: datetime


def canonical_form(content: SignedContent) -> bytes:
    """The exact bytes that are signed and verified."""
    fields = {
        "prescription_id": content.prescription_id,
        "visit_id": content.visit_id,
        "patient_id": content.patient_id,
        "provider_id": content.provider_id,
        "medication": content.medication,
        "dosage": content.dosage,
        "duration": content.duration,
        "signed_at": utc_text(content.signed_at),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(private_key: Ed25519PrivateKey, content: SignedContent) -> bytes:
    """The 64-byte Ed25519 signature of the content's canonical form."""
    return private_key.sign(canonical_form(content))
