"""Providers' signing keys: Ed25519 pairs whose private half is stored encrypted with the
provider's password (PKCS8 PEM, cryptography's BestAvailableEncryption), so that signing
needs the password again and the database alone cannot sign."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)
from google.cloud.spanner_v1.database import Database

from app.platform.db import query_one


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    public_key_pem: str
    encrypted_private_key_pem: str


def new_signing_key(password: str) -> SigningKey:
    """A fresh key pair, its private half encrypted with ``password``."""
    private_key = Ed25519PrivateKey.generate()
    public_pem = private_key.public_key().public_bytes(
        Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
    )
    private_pem = private_key.private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(password.encode())
    )
    return SigningKey(str(uuid.uuid4()), public_pem.decode(), private_pem.decode())


def unlock(key: SigningKey, password: str) -> Ed25519PrivateKey | None:
    """The private key, when ``password`` decrypts it; None for any other password."""
    try:
        private_key = load_pem_private_key(
            key.encrypted_private_key_pem.encode(), password.encode()
        )
    except (ValueError, TypeError):
        return None
    return private_key if isinstance(private_key, Ed25519PrivateKey) else None


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
