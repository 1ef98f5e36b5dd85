"""Healthcare clinic: the key a prescription is signed with, as the clinic keeps it (its private
half wrapped with argon2id and AES-256-GCM, or kept the earlier way in a PEM), read from Spanner
and opened with the suite's own code, never with the app's.

A wrapping is `argon2id-aes256gcm$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<nonce>$<sealed>`
(base64), the key's id bound to it as associated data (app/clinic/keys.py tells the format)."""

from __future__ import annotations

import base64

from argon2.low_level import Type, hash_secret_raw
from behave import given, then
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import products.step_types  # noqa: F401  (registers the parse types the patterns below name)
from products.clinic.rules import EARLIER_WAY, wrapping_cost
from queries.clinic import provider_by_email, signing_key_in_use

CLINIC_COST = (19 * 1024, 2, 1)  # KiB, passes, lanes: OWASP's minimum for argon2id
KEY_BYTES = 32  # AES-256


def _signed_in_provider(context) -> str:
    provider = provider_by_email(context.db.clinic, context.learned["email"])
    assert provider is not None, f"the fixtures should hold {context.learned['email']}"
    return provider["ProviderID"]


def _key_in_use(context) -> dict:
    key = signing_key_in_use(context.db.clinic, _signed_in_provider(context))
    assert key is not None, f"{context.learned['email']} should have a signing key"
    return key


def _parts(kept: str) -> list[bytes]:
    """The salt, nonce and sealed key of a wrapping."""
    return [base64.b64decode(part) for part in kept.strip().split("$")[2:]]


def _opens_with(key: dict, password: str) -> bool:
    """Whether the password opens the wrapped key (its GCM tag checks), at the cost it states."""
    kept = key["EncryptedPrivateKeyPem"]
    cost = wrapping_cost(kept)
    assert cost is not None, f"not an argon2id wrapping: {kept[:60]!r}..."
    memory_kib, passes, lanes = cost
    salt, nonce, sealed = _parts(kept)
    derived = hash_secret_raw(
        password.encode(), salt, time_cost=passes, memory_cost=memory_kib,
        parallelism=lanes, hash_len=KEY_BYTES, type=Type.ID,
    )  # fmt: skip
    try:
        AESGCM(derived).decrypt(nonce, sealed, key["KeyID"].encode())
    except InvalidTag:
        return False
    return True


def _their_password(context) -> str:
    """The signed-in provider's own password, from the feature's accounts."""
    return context.accounts.password_of(context.learned["email"])


def _check_wrapping(context, memory_kib: int, passes: int, password: str) -> None:
    """The key in use is wrapped at that cost, and opens with that password."""
    key = _key_in_use(context)
    kept = key["EncryptedPrivateKeyPem"]
    assert wrapping_cost(kept) == (memory_kib, passes, 1), (
        f"the signing key in use should be wrapped with argon2id at {memory_kib} KiB of memory, "
        f"{passes} pass(es) and 1 lane; it is kept as {kept[:60]!r}..."
    )
    assert _opens_with(key, password), (
        f"the signing key in use should open with the password it was wrapped with: it does "
        f"not ({kept[:60]!r}...)"
    )


@given(
    "their signing key in use is wrapped with their password at {mib:d} MiB of memory and "
    "{passes:d} pass, less than the clinic's cost"
)
def step_key_wrapped_cheaply(context, mib, passes):
    """What the scenario's fixtures (@fixture.weak_signing_key) hold, checked."""
    _check_wrapping(context, mib * 1024, passes, _their_password(context))


@given(
    "their signing key in use is wrapped with their password at {kib:d} KiB of memory and "
    "{passes:d} passes, less than the clinic's cost"
)
def step_key_wrapped_short_of_memory(context, kib, passes):
    """What the scenario's fixtures (@fixture.short_memory_signing_key) hold, checked."""
    _check_wrapping(context, kib, passes, _their_password(context))


@given(
    'their signing key in use is wrapped at the clinic\'s cost with "{password}", a password '
    "that is not theirs"
)
def step_key_of_another_password(context, password):
    """What the scenario's fixtures (@fixture.earlier_password_signing_key) hold, checked."""
    theirs = _their_password(context)
    assert password != theirs, f"{password!r} is {context.learned['email']}'s own password"
    _check_wrapping(context, CLINIC_COST[0], CLINIC_COST[1], password)
    assert not _opens_with(_key_in_use(context), theirs), (
        "the signing key in use should not open with the provider's own password"
    )


@given("their signing key in use is kept the earlier way, in a PEM encrypted with their password")
def step_key_kept_the_earlier_way(context):
    """What the scenario's fixtures (@fixture.legacy_signing_key) hold, checked."""
    kept = _key_in_use(context)["EncryptedPrivateKeyPem"]
    assert kept.lstrip().startswith(EARLIER_WAY), f"kept as {kept[:60]!r}..."
    context.learned["key kept"] = kept


@then(
    "their signing key in use is now wrapped with their password at {mib:d} MiB of memory and "
    "{passes:d} passes, the clinic's cost"
)
def step_key_wrapped_anew(context, mib, passes):
    """Rule: a key kept the earlier way is wrapped anew, at the clinic's cost, once it signs."""
    _check_wrapping(context, mib * 1024, passes, _their_password(context))


@then("its new wrapping holds a salt of {salt:d} bytes and a nonce of {nonce:d} bytes")
def step_wrapping_sizes(context, salt, nonce):
    """Rule: the stored format's salt (argon2id) and nonce (AES-GCM) have their sizes."""
    kept = _key_in_use(context)["EncryptedPrivateKeyPem"]
    found = [len(part) for part in _parts(kept)[:2]]
    assert found == [salt, nonce], (
        f"a wrapping holds a {salt}-byte salt and a {nonce}-byte nonce, as its readers expect: "
        f"the key in use has {found[0]} and {found[1]} ({kept[:60]!r}...)"
    )


@then("their signing key in use is still kept the earlier way, as it was")
def step_key_still_kept_the_earlier_way(context):
    """Rule: a key is wrapped anew only by a signature: a refused one leaves it as it was."""
    kept = _key_in_use(context)["EncryptedPrivateKeyPem"]
    assert kept == context.learned["key kept"], (
        f"a refused signature changes nothing: the key in use is now kept as {kept[:60]!r}..."
    )
