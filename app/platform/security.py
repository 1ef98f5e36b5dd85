"""Password hashing (argon2id), password rules and opaque tokens (stored as SHA-256).

Hashing is bounded: at most ``hash_concurrency()`` hashes run at once in the process; the
others wait in line up to ``hash_wait_seconds()``, then get HashingBusy (a 503 with
Retry-After, app/platform/web.py) instead of holding a thread and a connection for longer.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import os
import secrets
import string
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

# argon2id at OWASP's recommended minimum (Password Storage Cheat Sheet, "Argon2id":
# m=19 MiB, t=2, p=1): about 19 MiB and a single core per hash, where argon2-cffi's default
# (RFC 9106's low-memory profile, 64 MiB, t=3, p=4) takes 64 MiB and four lanes.
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1
ARGON2_HASH_LEN = 32
ARGON2_SALT_LEN = 16

# A login waits in line this long at most for a hashing slot (the brief's login limit is 5 s;
# twice that lets a slow machine show as slow rather than refuse, and stays well below the
# 30-60 s after which proxies and clients give up on their own).
DEFAULT_HASH_WAIT_SECONDS = 10.0

# argon2 takes its m KiB per hash from malloc. glibc then raises its mmap threshold to that
# size, so later blocks come from the per-thread arenas, which keep them after free: with many
# login threads hashing in turn, up to 8 arenas per core x 19 MiB stayed resident (a burst of
# 40 logins: 110 MB -> 440-500 MB). A fixed threshold keeps such blocks mmapped, handed back to
# the system as each hash ends (the same burst: 153 MB).
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
MMAP_THRESHOLD_BYTES = 1024 * 1024


def _return_hash_memory_at_free() -> None:
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return  # not glibc: its own allocator decides
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


_return_hash_memory_at_free()
_hasher = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_KIB,
    parallelism=ARGON2_PARALLELISM,
    hash_len=ARGON2_HASH_LEN,
    salt_len=ARGON2_SALT_LEN,
    type=Type.ID,
)
# Verified against when the email is unknown, so both paths cost the same time: made with
# the current parameters, as every known user's hash is after their next login.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256


class HashingBusy(RuntimeError):
    """Every hashing slot stayed taken for the whole wait: try again after a while."""

    def __init__(self, waited_seconds: float) -> None:
        super().__init__(f"no password hashing slot free within {waited_seconds:g}s")
        self.retry_after_seconds = max(1, math.ceil(waited_seconds / 2))


class _HashSlots:
    """At most ``limit`` hashes at once; a caller waits ``wait_seconds`` at most for a slot."""

    def __init__(self, limit: int, wait_seconds: float) -> None:
        if limit < 1:
            raise ValueError(f"the password hashing concurrency must be 1 or more, got {limit}")
        if wait_seconds <= 0:
            raise ValueError(f"the wait for a hashing slot must be positive, got {wait_seconds}")
        self.limit = limit
        self.wait_seconds = wait_seconds
        self._free = threading.BoundedSemaphore(limit)

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._free.acquire(timeout=self.wait_seconds):
            raise HashingBusy(self.wait_seconds)
        try:
            yield
        finally:
            self._free.release()


_slots = _HashSlots(os.cpu_count() or 1, DEFAULT_HASH_WAIT_SECONDS)


def limit_hashing(concurrency: int | None, wait_seconds: float = DEFAULT_HASH_WAIT_SECONDS) -> None:
    """Let at most ``concurrency`` hashes run at once (None: one per core of the machine)."""
    global _slots
    _slots = _HashSlots(concurrency or os.cpu_count() or 1, wait_seconds)


def hash_concurrency() -> int:
    return _slots.limit


def hash_wait_seconds() -> float:
    return _slots.wait_seconds


def hash_password(password: str) -> str:
    with _slots.slot():
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; one full hash whether or not there is one
    (None: the account is unknown or has no password, checked against the dummy hash)."""
    try:
        with _slots.slot():
            matches = _hasher.verify(password_hash or _DUMMY_HASH, password)
        return matches and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def upgraded_hash(password_hash: str, password: str) -> str | None:
    """A new hash of ``password`` with the current parameters when ``password_hash`` (already
    verified to match) was made with others, else None: store it on the successful login."""
    if not _hasher.check_needs_rehash(password_hash):
        return None
    return hash_password(password)


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
