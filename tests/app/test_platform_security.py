"""Password rules, argon2id hashing and tokens (app/platform/security.py)."""

from __future__ import annotations

import pytest

from app.platform.security import hash_password, password_problems, sha256_hex, verify_password
from app.platform.sessions import new_session, session_id


def test_good_password_has_no_problems() -> None:
    assert password_problems("SecurePassword123!", "SecurePassword123!") == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short1!", "at least 12"),
        ("alllowercase123!", "upper-case"),
        ("ALLUPPERCASE123!", "lower-case"),
        ("NoDigitsHere!!", "digit"),
        ("NoSymbolsHere123", "symbol"),
    ],
)
def test_password_rules(password: str, message: str) -> None:
    problems = password_problems(password)
    assert len(problems) == 1 and message in problems[0]


def test_password_confirmation_must_match() -> None:
    assert password_problems("SecurePassword123!", "SecurePassword123?") == [
        "Password confirmation does not match."
    ]


def test_argon2id_hash_round_trip() -> None:
    hashed = hash_password("SecurePassword123!")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "SecurePassword123!")
    assert not verify_password(hashed, "SecurePassword123?")
    assert not verify_password(None, "SecurePassword123!")
    assert not verify_password("not-a-hash", "SecurePassword123!")


def test_sha256_hex() -> None:
    assert sha256_hex("abc") == ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


def test_a_session_token_is_stored_only_as_its_hash() -> None:
    token, sid = new_session()
    assert sid == sha256_hex(token) == session_id(token)
    assert len(token) >= 43 and token != sid
    assert new_session()[0] != token
