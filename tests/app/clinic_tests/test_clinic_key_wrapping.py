"""Signing keys wrapped with the provider's password: argon2id (OWASP's minimum: 19 MiB, two
passes, one lane) then AES-256-GCM, bound to the key's id; a wrapping of lower cost opens
nothing; a key wrapped the earlier way (PKCS8 PEM, PBKDF2 at 2,048 iterations) still signs,
once, and is then stored wrapped anew; the committed fixtures are the script's output."""

from __future__ import annotations

import base64
import importlib.util
import sys
import time
from pathlib import Path

import pytest
from clinic_testkit import JOHN_PATIENT, PASSWORD, add_provider, rows, sign_in_fully
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
)
from fastapi.testclient import TestClient

from app.clinic import keys
from app.clinic.keys import SigningKey, WrapCost, new_signing_key, unlock, wrap_cost
from app.platform.db import Databases

DATABASE_PREFIX = "app-clinic-keys"
# scripts/ is not a package the project installs: the script is loaded from its file
_SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "make_clinic_keys.py"
_spec = importlib.util.spec_from_file_location("make_clinic_keys", _SCRIPT)
assert _spec is not None and _spec.loader is not None
make_clinic_keys = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = make_clinic_keys  # its dataclasses look themselves up there
_spec.loader.exec_module(make_clinic_keys)
WORK_FACTOR = "the key wrapping's work factor (argon2id, 19 MiB, 2 passes)"
RX_FORM = {"medication": "Lisinopril 10mg", "dosage": "Once daily", "duration": "30 days"}
VISIT_FORM = {"reason": "Checkup", "diagnosis": "Healthy", "treatment_plan": "None"}


def test_a_new_key_is_wrapped_with_argon2id_at_owasps_minimum_and_aes_gcm() -> None:
    wrapped = new_signing_key(PASSWORD).encrypted_private_key_pem
    assert wrap_cost(wrapped) == WrapCost(memory_kib=19 * 1024, time_cost=2, parallelism=1), (
        WORK_FACTOR
    )
    scheme, _, salt, nonce, sealed = wrapped.split("$")
    assert scheme == "argon2id-aes256gcm"
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(nonce)) == 12
    assert len(base64.b64decode(sealed)) == 32 + 16, "the raw key and GCM's tag"
    assert PASSWORD not in wrapped and "PRIVATE KEY" not in wrapped


def test_a_wrong_guess_costs_a_full_argon2id() -> None:
    """A guess with a copy of the database costs one argon2id: milliseconds, not the 0.3 ms
    of PBKDF2 at 2,048 iterations (measured at its lowest of 3: a busy machine only adds)."""
    key = new_signing_key(PASSWORD)
    seconds = []
    for guess in ("guess-1", "guess-2", "guess-3"):
        started = time.perf_counter()
        assert unlock(key, guess) is None
        seconds.append(time.perf_counter() - started)
    assert min(seconds) > 0.005, f"{WORK_FACTOR}: a wrong guess took {min(seconds) * 1000:.2f} ms"


def test_the_key_opens_with_its_password_and_its_own_id_only() -> None:
    key = new_signing_key(PASSWORD)
    assert unlock(key, PASSWORD) is not None
    assert unlock(key, PASSWORD + "x") is None
    moved = SigningKey("another-key-id", key.public_key_pem, key.encrypted_private_key_pem)
    assert unlock(moved, PASSWORD) is None, "the wrapping is bound to its key's id"
    scheme, params, salt, nonce, sealed = key.encrypted_private_key_pem.split("$")
    flipped = base64.b64encode(bytes([base64.b64decode(sealed)[0] ^ 1]) +
                               base64.b64decode(sealed)[1:]).decode()  # fmt: skip
    tampered = "$".join((scheme, params, salt, nonce, flipped))
    assert unlock(SigningKey(key.key_id, key.public_key_pem, tampered), PASSWORD) is None


def test_a_wrapping_that_states_a_lower_cost_opens_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A row cannot be downgraded: a key wrapped at a lower cost does not open, even with the
    right password."""
    monkeypatch.setattr(keys, "MEMORY_KIB", 1024)
    monkeypatch.setattr(keys, "TIME_COST", 1)
    weak = new_signing_key(PASSWORD)
    assert wrap_cost(weak.encrypted_private_key_pem) == WrapCost(1024, 1, 1)
    assert unlock(weak, PASSWORD) is None, f"{WORK_FACTOR}: a cheaper wrapping must not open"


def test_a_wrapping_at_a_higher_cost_than_the_minimum_opens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The minimum is a floor: a key wrapped more dearly (a later, stronger setting) opens."""
    monkeypatch.setattr(keys, "MEMORY_KIB", keys.MIN_MEMORY_KIB + 1024)
    monkeypatch.setattr(keys, "TIME_COST", keys.MIN_TIME_COST + 1)
    strong = new_signing_key(PASSWORD)
    assert wrap_cost(strong.encrypted_private_key_pem) == WrapCost(
        keys.MIN_MEMORY_KIB + 1024, keys.MIN_TIME_COST + 1, 1
    )
    assert unlock(strong, PASSWORD) is not None, "a dearer wrapping than the minimum must open"


@pytest.mark.parametrize("scheme", ["aes256gcm", "argon2id-aes256gcm-v2", "scrypt-aes256gcm"])
def test_a_wrapping_of_another_scheme_opens_nothing(scheme: str) -> None:
    """Only our scheme is opened, whichever way another name sorts against it (the rest of the
    wrapping is ours, so only the scheme's check can refuse it)."""
    key = new_signing_key(PASSWORD)
    _, rest = key.encrypted_private_key_pem.split("$", 1)
    renamed = SigningKey(key.key_id, key.public_key_pem, f"{scheme}${rest}")
    assert unlock(renamed, PASSWORD) is None, f"a {scheme!r} wrapping must not open"
    with pytest.raises(ValueError, match="not a argon2id-aes256gcm wrapping"):
        wrap_cost(renamed.encrypted_private_key_pem)


def test_a_private_half_that_does_not_match_its_public_half_opens_nothing() -> None:
    """A stored pair whose halves do not belong together signs nothing, whichever way the
    public halves' texts sort."""
    key = new_signing_key(PASSWORD)
    others = [keys.public_pem(Ed25519PrivateKey.generate()) for _ in range(200)]
    before = min(others)
    after = max(others)
    assert before < key.public_key_pem < after, "200 random public keys sort on both sides"
    for public in (before, after):
        mismatched = SigningKey(key.key_id, public, key.encrypted_private_key_pem)
        assert unlock(mismatched, PASSWORD) is None, "a pair that does not match must not open"


def legacy_key() -> SigningKey:
    """A key stored the earlier way: PKCS8 PEM with BestAvailableEncryption (PBKDF2)."""
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(PASSWORD.encode())
    ).decode()
    return SigningKey("legacy-key-0001", keys.public_pem(private_key), pem)


def test_a_legacy_key_still_opens_with_its_password_only() -> None:
    key = legacy_key()
    assert keys.is_legacy(key)
    assert unlock(key, PASSWORD) is not None
    assert unlock(key, "wrong password!") is None


def keep_a_legacy_key(databases: Databases, provider):
    """The provider's signing key replaced by one kept the earlier way (PBKDF2 PEM); that key."""
    old = legacy_key()
    with databases.clinic.batch() as batch:
        batch.update("ProviderSigningKeys",
                     columns=("ProviderID", "KeyID", "PublicKeyPem", "EncryptedPrivateKeyPem"),
                     values=[(provider.provider_id, provider.key.key_id, old.public_key_pem,
                              old.encrypted_private_key_pem)])  # fmt: skip
    return old


def test_a_legacy_key_signs_once_and_is_then_stored_wrapped_anew(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    old = keep_a_legacy_key(databases, provider)
    sign_in_fully(client, provider)
    visit = client.post(f"/patients/{JOHN_PATIENT}/visits/new", data=VISIT_FORM).headers["location"]
    r = client.post(f"{visit}/prescriptions/sign", data={**RX_FORM, "password": PASSWORD})
    assert r.status_code == 303, "the legacy key signs"
    (row,) = rows(databases, "clinic",
                  "SELECT EncryptedPrivateKeyPem FROM ProviderSigningKeys WHERE ProviderID = @p",
                  p=provider.provider_id)  # fmt: skip
    stored = SigningKey(provider.key.key_id, old.public_key_pem, row["EncryptedPrivateKeyPem"])
    assert not keys.is_legacy(stored), "the PBKDF2 wrapping is gone after its first signature"
    assert wrap_cost(stored.encrypted_private_key_pem).time_cost == 2, WORK_FACTOR
    assert unlock(stored, PASSWORD) is not None, "the same key, wrapped anew, still opens"


def test_a_legacy_key_is_wrapped_anew_once_and_a_second_try_says_it_was_done_already(
    databases: Databases,
) -> None:
    """rewrap_legacy's answer: True when this request stored the new wrapping, False when the
    row no longer holds the legacy text (another request did it first)."""
    provider = add_provider(databases)
    old = keep_a_legacy_key(databases, provider)
    key = SigningKey(provider.key.key_id, old.public_key_pem, old.encrypted_private_key_pem)
    private_key = unlock(key, PASSWORD)
    assert private_key is not None
    assert keys.rewrap_legacy(databases.clinic, provider.provider_id, key, private_key, PASSWORD)
    assert not keys.rewrap_legacy(
        databases.clinic, provider.provider_id, key, private_key, PASSWORD
    ), "the row holds the new wrapping already: the second try stores nothing"


def test_the_committed_fixture_keys_are_the_scripts_output_and_none_is_legacy() -> None:
    made = make_clinic_keys.make()
    for name, text in made.items():
        committed = (make_clinic_keys.FIXTURES / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} differs from scripts/make_clinic_keys.py's output"
    for key in make_clinic_keys.committed_keys().values():
        assert not keys.is_legacy(key) and wrap_cost(key.encrypted_private_key_pem).time_cost == 2
        assert unlock(key, make_clinic_keys.PASSWORD) is not None
