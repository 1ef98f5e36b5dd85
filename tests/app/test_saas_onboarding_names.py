"""The admin's first and last names have at most 100 characters. The profile step's boxes stop
at 100 (maxlength), so only a request sent around the form reaches the server's own limit:
it refuses 101 letters too, counting letters, not bytes (signing_up_and_in.feature tells 1 and
100 letters, and an empty name, in the browser)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from saas_testkit import PASSWORD, at_profile_step, find_tenant

from app.platform.db import Databases, query

ACCENTED = "éàüöñ"  # two bytes each in UTF-8


def accented(count: int) -> str:
    return "".join(ACCENTED[index % len(ACCENTED)] for index in range(count))


def _at_profile_step(client: TestClient, databases: Databases, mail_sink: Any, unique: str) -> str:
    """A tenant whose wizard waits at its profile step; its TenantID."""
    at_profile_step(client, mail_sink, unique)
    return find_tenant(databases, f"{unique}.example.com")["TenantID"]


def _profiles(databases: Databases, tenant_id: str) -> list[dict[str, Any]]:
    return query(
        databases.users,
        "SELECT FirstName, LastName FROM UserProfiles WHERE TenantID = @t",
        {"t": tenant_id},
    )


@pytest.mark.parametrize(
    ("field", "told"),
    [
        ("first_name", "Enter your first name (at most 100 characters)."),
        ("last_name", "Enter your last name (at most 100 characters)."),
    ],
)
def test_a_name_of_101_letters_is_refused_and_one_of_100_taken(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str, field: str, told: str
) -> None:
    tenant_id = _at_profile_step(client, databases, mail_sink, unique)
    form = {"first_name": "Gina", "last_name": "Globex", "password": PASSWORD,
            "confirm_password": PASSWORD}  # fmt: skip

    form[field] = accented(101)
    r = client.post("/onboarding/profile", data=form)
    assert r.status_code == 400, f"a {field} of 101 letters must be refused"
    assert told in r.text
    assert _profiles(databases, tenant_id) == []

    form[field] = accented(100)  # 200 bytes: a limit counted in bytes would refuse it
    r = client.post("/onboarding/profile", data=form)
    assert (r.status_code, r.headers["location"]) == (303, "/onboarding/billing")
    assert _profiles(databases, tenant_id) == [
        {"FirstName": form["first_name"], "LastName": form["last_name"]}
    ]
