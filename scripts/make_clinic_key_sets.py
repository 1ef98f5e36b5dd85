"""Make the fixture sets of Dr. Smith's newer signing key (healthcare.feature's rule on
signing with the provider's own key):

- fixtures/weak_signing_key/: a newer key wrapped with argon2id at less than the clinic's cost
  (19 MiB, 1 pass instead of 2), which app/clinic/keys.py must refuse to open;
- fixtures/short_memory_signing_key/: the same at 2 passes but 1 KiB of memory short of 19 MiB
  (19,455 KiB), the nearest a wrapping comes to the clinic's minimum and is still under it;
- fixtures/legacy_signing_key/: a newer key kept the earlier way (a PKCS8 PEM encrypted with
  the password), which the clinic wraps anew at its cost the first time it signs;
- fixtures/earlier_password_signing_key/: a newer key wrapped at the clinic's cost with a
  password that is not hers (the one she had before an administrator reset it), which opens
  the key but must not sign.

    .venv/bin/python scripts/make_clinic_key_sets.py --write

The key pair comes from a fixed seed; the PEM's encryption salt is random, so a second run
writes another (equally valid) file.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
from pathlib import Path

import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from app.clinic.keys import (
    MEMORY_KIB,
    NONCE_BYTES,
    PARALLELISM,
    SALT_BYTES,
    SCHEME,
    TIME_COST,
    WrapCost,
)
from app.clinic.keys import _derive as derive

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PASSWORD = "SecurePassword123!"  # Dr. Smith's (fixtures/healthcare/accounts.yaml)
PROVIDER = "provider-dr-smith"
EARLIER_PASSWORD = "EarlierPassword123!"  # opens the key of earlier_password_signing_key
CREATED_AT = "2026-01-05T08:00:00Z"  # newer than the seeded key: the one the clinic uses
WEAK = WrapCost(MEMORY_KIB, 1, PARALLELISM)  # a pass short
SHORT_MEMORY = WrapCost(MEMORY_KIB - 1, TIME_COST, PARALLELISM)  # a KiB short
CLINIC_COST = WrapCost(MEMORY_KIB, TIME_COST, PARALLELISM)


def key_pair(name: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())


def wrapping(
    private_key: Ed25519PrivateKey, key_id: str, cost: WrapCost, password: str = PASSWORD
) -> str:
    """The key wrapped as app/clinic/keys.py wraps it, at any cost (its wrap() takes the
    clinic's only), with a salt and nonce of the KeyID: the same output at every run."""
    digest = hashlib.sha256(key_id.encode()).digest()
    salt, nonce = digest[:SALT_BYTES], digest[SALT_BYTES : SALT_BYTES + NONCE_BYTES]
    raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    sealed = AESGCM(derive(password, salt, cost)).encrypt(nonce, raw, key_id.encode())
    params = f"m={cost.memory_kib},t={cost.time_cost},p={cost.parallelism}"
    b64 = [base64.b64encode(part).decode() for part in (salt, nonce, sealed)]
    return "$".join([SCHEME, params, *b64])


def legacy_pem(private_key: Ed25519PrivateKey) -> str:
    encryption = BestAvailableEncryption(PASSWORD.encode())
    return private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption).decode()


def row(key_id: str, private_key: Ed25519PrivateKey, wrapped: str) -> dict:
    public = private_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    return {
        "ProviderID": PROVIDER,
        "KeyID": key_id,
        "PublicKeyPem": public.decode(),
        "EncryptedPrivateKeyPem": wrapped,
        "CreatedAt": CREATED_AT,
    }


def sets() -> dict[str, tuple[str, dict]]:
    weak_id, legacy_id, short_id, earlier_id = (
        "0b9c1f5e-5a1e-4c1e-9d55-5e0a7c2f0001",
        "0b9c1f5e-5a1e-4c1e-9d55-5e0a7c2f0002",
        "0b9c1f5e-5a1e-4c1e-9d55-5e0a7c2f0003",
        "0b9c1f5e-5a1e-4c1e-9d55-5e0a7c2f0004",
    )
    weak, legacy = key_pair("weak signing key"), key_pair("legacy signing key")
    short, earlier = key_pair("short memory signing key"), key_pair("earlier password signing key")
    return {
        "weak_signing_key": (
            f"Dr. Smith's newer key, wrapped at {WEAK.memory_kib // 1024} MiB and "
            f"{WEAK.time_cost} pass (less than the clinic's cost) with her password",
            row(weak_id, weak, wrapping(weak, weak_id, WEAK)),
        ),
        "short_memory_signing_key": (
            f"Dr. Smith's newer key, wrapped at {SHORT_MEMORY.memory_kib} KiB (1 KiB short of "
            f"19 MiB) and {SHORT_MEMORY.time_cost} passes, less than the clinic's cost, with her "
            "password",
            row(short_id, short, wrapping(short, short_id, SHORT_MEMORY)),
        ),
        "legacy_signing_key": (
            "Dr. Smith's newer key, kept the earlier way: a PKCS8 PEM encrypted with her password",
            row(legacy_id, legacy, legacy_pem(legacy)),
        ),
        "earlier_password_signing_key": (
            f"Dr. Smith's newer key, wrapped at the clinic's cost with {EARLIER_PASSWORD}, a "
            "password that is not hers",
            row(earlier_id, earlier, wrapping(earlier, earlier_id, CLINIC_COST, EARLIER_PASSWORD)),
        ),
    }


def _block_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """A PEM as the seeded keys' files write it: a literal block."""
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def main() -> None:
    yaml.SafeDumper.add_representer(str, _block_text)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write the files (else print them)")
    args = parser.parse_args()
    for name, (what, key_row) in sets().items():
        text = f"# Made by scripts/make_clinic_key_sets.py: {what}.\n" + yaml.safe_dump(
            [key_row], sort_keys=False, allow_unicode=True
        )
        path = FIXTURES / name / "clinic" / "ProviderSigningKeys.yaml"  # <set>/<database>/<Table>
        if args.write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(FIXTURES.parent)}")
        else:
            print(f"--- {path.relative_to(FIXTURES.parent)}\n{text}")


if __name__ == "__main__":
    main()
