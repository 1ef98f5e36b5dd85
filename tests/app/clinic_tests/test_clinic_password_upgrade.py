"""A provider's password hash made with older argon2 parameters (the test kit's and the
fixtures' m=1024, t=1, p=1) is replaced by one with the current ones (OWASP's: m=19 MiB, t=2,
p=1) at their next successful sign-in, and only then."""

from __future__ import annotations

from argon2 import extract_parameters
from clinic_testkit import PASSWORD, add_provider, rows, sign_in
from fastapi.testclient import TestClient

from app.platform.db import Databases
from app.platform.security import verify_password

DATABASE_PREFIX = "app-clinic-rehash"


def _stored_hash(databases: Databases, provider_id: str) -> str:
    found = rows(
        databases,
        "clinic",
        "SELECT PasswordHash FROM Providers WHERE ProviderID = @provider",
        provider=provider_id,
    )
    assert found, f"no Providers row {provider_id}"
    return found[0]["PasswordHash"]


def _cost(password_hash: str) -> tuple[int, int, int]:
    found = extract_parameters(password_hash)
    return found.memory_cost, found.time_cost, found.parallelism


def test_a_providers_old_hash_is_upgraded_by_a_successful_sign_in_only(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases)
    old_hash = _stored_hash(databases, provider.provider_id)
    assert _cost(old_hash) == (1024, 1, 1), "the test kit seeds the fixtures' cheap hashes"

    r = client.post("/login", data={"email": provider.email, "password": PASSWORD + "?"})
    assert r.status_code == 401
    assert _stored_hash(databases, provider.provider_id) == old_hash, (
        "a failed sign-in changes no hash"
    )

    sign_in(client, provider.email)
    new_hash = _stored_hash(databases, provider.provider_id)
    assert _cost(new_hash) == (19456, 2, 1), (
        "a successful sign-in must store the hash with the current parameters (m=19456, t=2, "
        f"p=1); the stored one has (m, t, p) = {_cost(new_hash)}"
    )
    assert verify_password(new_hash, PASSWORD), "the upgraded hash must be of the same password"
