"""A student's password hash made with older argon2 parameters is replaced by one with the
current ones (OWASP's: m=19 MiB, t=2, p=1) at their next successful sign-in, and only then."""

from __future__ import annotations

from academy_testkit import PASSWORD, add_student, rows
from argon2 import PasswordHasher, extract_parameters
from fastapi.testclient import TestClient

from app.platform.db import Databases
from app.platform.security import verify_password

DATABASE_ID = "app-academy-rehash"
OLD_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def _stored_hash(databases: Databases, student_id: str) -> str:
    found = rows(
        databases,
        "SELECT PasswordHash FROM StudentCredentials WHERE StudentID = @student",
        student=student_id,
    )
    assert found, f"no StudentCredentials row for {student_id}"
    return found[0]["PasswordHash"]


def test_a_students_old_hash_is_upgraded_by_a_successful_sign_in_only(
    client: TestClient, databases: Databases
) -> None:
    student_id, email = add_student(databases)
    with databases.academy.batch() as batch:
        batch.update("StudentCredentials", columns=("StudentID", "PasswordHash"),
                     values=[(student_id, OLD_HASH)])  # fmt: skip

    r = client.post("/login", data={"email": email, "password": PASSWORD + "?"})
    assert r.status_code == 401
    assert _stored_hash(databases, student_id) == OLD_HASH, "a failed sign-in changes no hash"

    r = client.post("/login", data={"email": email, "password": PASSWORD})
    assert (r.status_code, r.headers.get("location")) == (303, "/courses"), r.text
    new_hash = _stored_hash(databases, student_id)
    found = extract_parameters(new_hash)
    assert (found.memory_cost, found.time_cost, found.parallelism) == (19456, 2, 1), (
        "a successful sign-in must store the hash with the current parameters (m=19456, t=2, "
        f"p=1); the stored one has m={found.memory_cost}, t={found.time_cost}, "
        f"p={found.parallelism}"
    )
    assert verify_password(new_hash, PASSWORD), "the upgraded hash must be of the same password"
