"""Providers' signing keys: Ed25519 pairs whose private half is stored wrapped with the
provider's password, so that signing needs the password again and the database alone cannot
sign.

The wrapping (``wrap``): a 256-bit key derived from the password by argon2id (argon2-cffi's
hash_secret_raw, at OWASP's minimum: 19 MiB, 2 passes, 1 lane, and a 16-byte random salt)
encrypts the raw 32-byte private key with AES-256-GCM (a 12-byte random nonce); the key's id
is the associated data, so a wrapped key moved to another row does not open. Stored as text:

    argon2id-aes256gcm$m=19456,t=2,p=1$<salt>$<nonce>$<ciphertext and tag>   (base64)

A guess at the password with a copy of the database costs one argon2id (~50-100 ms, 19 MiB),
where the earlier PKCS8 PEM (PBKDF2, 2,048 iterations) cost 0.3 ms. A wrapping whose stated
cost is below the minimum is refused (nothing opens with it), so a row cannot be downgraded.

Earlier keys (PKCS8 PEM, ``is_legacy``) still open with the password, once: the signing that
opens one stores it wrapped anew (``rewrap_legacy``), in the same way as a password hash made
with older parameters is upgraded at the next sign-in.
"""

from __future__ import annotations

import base64
import logging
import os
import uuid
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import query_one, run_write, tx_update

log = logging.getLogger(__name__)

SCHEME = "argon2id-aes256gcm"
MEMORY_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1
# a stored wrapping below these is refused: the cost cannot be lowered row by row
MIN_MEMORY_KIB, MIN_TIME_COST = 19 * 1024, 2
SALT_BYTES, NONCE_BYTES, KEY_BYTES = 16, 12, 32
LEGACY_PREFIX = "-----BEGIN ENCRYPTED PRIVATE KEY-----"


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    public_key_pem: str
    encrypted_private_key_pem: str  # the wrapped private key (the column's historic name)


@dataclass(frozen=True)
class WrapCost:
    memory_kib: int
    time_cost: int
    parallelism: int


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _derive(password: str, salt: bytes, cost: WrapCost) -> bytes:
    return hash_secret_raw(
        password.encode(), salt, time_cost=cost.time_cost, memory_cost=cost.memory_kib,
        parallelism=cost.parallelism, hash_len=KEY_BYTES, type=Type.ID,
    )  # fmt: skip


def wrap(
    private_key: Ed25519PrivateKey,
    password: str,
    key_id: str,
    *,
    salt: bytes | None = None,
    nonce: bytes | None = None,
) -> str:
    """The private key wrapped with the password (random salt and nonce unless given: the
    fixtures' script gives them, so that its output is the same at every run)."""
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    nonce = nonce if nonce is not None else os.urandom(NONCE_BYTES)
    cost = WrapCost(MEMORY_KIB, TIME_COST, PARALLELISM)
    raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    sealed = AESGCM(_derive(password, salt, cost)).encrypt(nonce, raw, key_id.encode())
    params = f"m={cost.memory_kib},t={cost.time_cost},p={cost.parallelism}"
    return f"{SCHEME}${params}${_b64(salt)}${_b64(nonce)}${_b64(sealed)}"


def wrap_cost(wrapped: str) -> WrapCost:
    """The cost a wrapping states; ValueError when it is not one of ours."""
    scheme, params, *_ = wrapped.split("$")
    if scheme != SCHEME:
        raise ValueError(f"not a {SCHEME} wrapping: {scheme[:40]!r}")
    values = dict(part.split("=", 1) for part in params.split(","))
    return WrapCost(int(values["m"]), int(values["t"]), int(values["p"]))


def _unwrap(wrapped: str, password: str, key_id: str) -> Ed25519PrivateKey | None:
    try:
        cost = wrap_cost(wrapped.strip())
        _, _, salt, nonce, sealed = wrapped.strip().split("$")
        if cost.memory_kib < MIN_MEMORY_KIB or cost.time_cost < MIN_TIME_COST:
            log.error("signing key %s refused: its wrapping costs less than the minimum", key_id)
            return None
        key = AESGCM(_derive(password, base64.b64decode(salt), cost))
        raw = key.decrypt(base64.b64decode(nonce), base64.b64decode(sealed), key_id.encode())
    except (ValueError, KeyError, InvalidTag):
        return None
    return Ed25519PrivateKey.from_private_bytes(raw)


def is_legacy(key: SigningKey) -> bool:
    """A key stored the earlier way (PKCS8 PEM, PBKDF2): to be wrapped anew once opened."""
    return key.encrypted_private_key_pem.lstrip().startswith(LEGACY_PREFIX)


def _unlock_legacy(key: SigningKey, password: str) -> Ed25519PrivateKey | None:
    try:
        private_key = load_pem_private_key(
            key.encrypted_private_key_pem.encode(), password.encode()
        )
    except (ValueError, TypeError):
        return None
    return private_key if isinstance(private_key, Ed25519PrivateKey) else None


def public_pem(private_key: Ed25519PrivateKey) -> str:
    return (
        private_key.public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def new_signing_key(password: str) -> SigningKey:
    """A fresh key pair, its private half wrapped with ``password``."""
    private_key = Ed25519PrivateKey.generate()
    key_id = str(uuid.uuid4())
    return SigningKey(key_id, public_pem(private_key), wrap(private_key, password, key_id))


def unlock(key: SigningKey, password: str) -> Ed25519PrivateKey | None:
    """The private key, when ``password`` unwraps it; None for any other password."""
    if is_legacy(key):
        return _unlock_legacy(key, password)
    private_key = _unwrap(key.encrypted_private_key_pem, password, key.key_id)
    if private_key is None or public_pem(private_key) != key.public_key_pem:
        return None
    return private_key


def rewrap_legacy(
    database: Database,
    provider_id: str,
    key: SigningKey,
    private_key: Ed25519PrivateKey,
    password: str,
) -> bool:
    """Store an opened legacy key wrapped the current way; False when another request did it
    first (the row no longer holds the legacy text)."""
    wrapped = wrap(private_key, password, key.key_id)

    def work(txn: Transaction) -> int:
        return tx_update(
            txn,
            "UPDATE ProviderSigningKeys SET EncryptedPrivateKeyPem = @wrapped "
            "WHERE ProviderID = @provider AND KeyID = @key AND EncryptedPrivateKeyPem = @old",
            {"wrapped": wrapped, "provider": provider_id, "key": key.key_id,
             "old": key.encrypted_private_key_pem},
        )  # fmt: skip

    return run_write(database, work) == 1


def active_key(database: Database, provider_id: str) -> SigningKey | None:
    """The provider's key that is not retired (the newest, should there be several)."""
    row = query_one(
        database,
        """
        SELECT KeyID, PublicKeyPem, EncryptedPrivateKeyPem FROM ProviderSigningKeys
        WHERE ProviderID = @provider AND RetiredAt IS NULL
        ORDER BY CreatedAt DESC LIMIT 1
        """,
        {"provider": provider_id},
    )
    if row is None:
        return None
    return SigningKey(row["KeyID"], row["PublicKeyPem"], row["EncryptedPrivateKeyPem"])
