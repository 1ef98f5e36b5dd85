"""Password hashing (argon2id), password rules and opaque tokens (stored as SHA-256)."""

from __future__ import annotations

import hashlib
import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# Verified against when the email is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str, confirmation: str | None = None) -> list[str]:
    """Every rule the password breaks, as messages for the form (empty when acceptable)."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"Password must be at most {MAX_PASSWORD_LENGTH} characters long.")
    if not any(c.isupper() for c in password):
        problems.append("Password must contain an upper-case letter.")
    if not any(c.islower() for c in password):
        problems.append("Password must contain a lower-case letter.")
    if not any(c in string.digits for c in password):
        problems.append("Password must contain a digit.")
    if not any(not c.isalnum() and not c.isspace() for c in password):
        problems.append("Password must contain a symbol (e.g. ! ? # $).")
    if confirmation is not None and confirmation != password:
        problems.append("Password confirmation does not match.")
    return problems


def new_token() -> str:
    return secrets.token_urlsafe(32)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
