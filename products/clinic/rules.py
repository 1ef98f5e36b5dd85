"""The clinic's rules, computed independently of the app under test: the codes of a provider's
authenticator app (TOTP), the canonical form of a prescription and its Ed25519 signature, the
lock of the second factor, the care rule and what an audit entry's address must be.

Nothing here imports the app: the codes come from pyotp with the secret seeded in Spanner, the
canonical form is written out again from the contract, the signature is checked with the
provider's public key read from Spanner.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

# --- the second factor: time-based one-time passwords (RFC 6238), as authenticator apps make them

STEP_SECONDS = 30  # a code belongs to one 30-second step of Unix time
DRIFT_STEPS = 1  # the code of the step before or after the current one is accepted too
EXPIRED_STEPS = 10  # a code of an older step, up to this many steps back, is "expired"
MAX_FAILED_CODES = 5  # this many wrong codes in a row lock the second factor ...
LOCK_DURATION = timedelta(minutes=15)  # ... for this long
SIGNATURE_BYTES = 64  # an Ed25519 signature


def step_of(moment: float) -> int:
    """The 30-second step a moment (Unix seconds) falls in."""
    return int(moment // STEP_SECONDS)


def code_of_step(secret: str, step: int) -> str:
    """The 6-digit code an authenticator app with this base32 secret shows during the step."""
    return pyotp.TOTP(secret, digits=6, interval=STEP_SECONDS).generate_otp(step)


def wrong_code(secret: str, moment: float) -> str:
    """A 6-digit code that is no code of the secret from EXPIRED_STEPS + 2 steps back to two
    steps ahead: wrong, not merely expired, even if a step boundary passes meanwhile."""
    step = step_of(moment)
    taken = {code_of_step(secret, s) for s in range(step - EXPIRED_STEPS - 2, step + 3)}
    return next(code for code in (f"{n:06d}" for n in range(10**6)) if code not in taken)


def lock_ends(failed_at: datetime) -> datetime:
    """When a second factor locked by the wrong code entered at `failed_at` opens again."""
    return failed_at + LOCK_DURATION


# --- the care rule


def in_care(started_at: datetime, ended_at: datetime | None, now: datetime) -> bool:
    """A provider cares for a patient from the care's start until its end (none: ongoing)."""
    return started_at <= now and (ended_at is None or ended_at > now)


# --- signed prescriptions


def signed_at_text(signed_at: datetime) -> str:
    """SignedAt as the canonical form writes it: UTC, microseconds, a Z."""
    return signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_form(prescription: Mapping[str, Any]) -> bytes:
    """The bytes a provider signs: the prescription's content as JSON with sorted keys, no
    spaces, UTF-8 (a Prescriptions row: PrescriptionID, VisitID, PatientID, ProviderID,
    MedicationName, Dosage, Duration, SignedAt)."""
    content = {
        "prescription_id": prescription["PrescriptionID"],
        "visit_id": prescription["VisitID"],
        "patient_id": prescription["PatientID"],
        "provider_id": prescription["ProviderID"],
        "medication": prescription["MedicationName"],
        "dosage": prescription["Dosage"],
        "duration": prescription["Duration"],
        "signed_at": signed_at_text(prescription["SignedAt"]),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature_problem(public_key_pem: str, signature: bytes | None, message: bytes) -> str | None:
    """Why the signature does not verify with the public key over the message (None: it does)."""
    if not signature:
        return "there is no signature"
    if len(signature) != SIGNATURE_BYTES:
        return f"an Ed25519 signature has {SIGNATURE_BYTES} bytes, this one {len(signature)}"
    key = load_pem_public_key(public_key_pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        return f"the provider's public key is no Ed25519 key but a {type(key).__name__}"
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return "the signature does not verify over the prescription's canonical form"
    return None


# --- the audit log


def ip_address_problem(address: str | None, loopback_only: bool) -> str | None:
    """Why an audit entry's address is not the client's (None: it is). The suite's own app is
    reached over loopback (127.0.0.1), so there the client's address is exactly that."""
    if not address:
        return "no IP address"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return f"{address!r} is not an IP address"
    if loopback_only and str(parsed) != "127.0.0.1":
        return (
            f"{address} is not the browser's address (127.0.0.1: it talks to the app on loopback)"
        )
    return None


# --- how a signing key's private half is kept: argon2id + AES-256-GCM, or the earlier PEM

WRAPPING_SCHEME = "argon2id-aes256gcm"
EARLIER_WAY = "-----BEGIN ENCRYPTED PRIVATE KEY-----"


def wrapping_cost(kept: str) -> tuple[int, int, int] | None:
    """(memory in KiB, passes, lanes) a kept key states in its argon2id wrapping; None when it
    is not kept that way."""
    scheme, _, rest = kept.strip().partition("$")
    if scheme != WRAPPING_SCHEME:
        return None
    values = dict(part.split("=", 1) for part in rest.split("$", 1)[0].split(","))
    return int(values["m"]), int(values["t"]), int(values["p"])
