"""An operator lifts a sign-in lock: from the console (recorded, operators only) and with
`python -m app.saas.unlock EMAIL`, run as its own process against the app tests' databases."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from fastapi.testclient import TestClient
from saas_testkit import PASSWORD, add_operator, find_tenant, onboard

from app.platform.db import Databases, query, query_one
from app.platform.sign_in_records import SpannerSignInRecords
from harness.products import REPO_ROOT

CLI_SECONDS = 60  # a fresh interpreter and a Spanner client: seconds on a busy machine


def lock(databases: Databases, email: str) -> SpannerSignInRecords:
    records = SpannerSignInRecords(databases.users)
    assert records.failed(email, 1, 15), "one wrong password of a limit of 1 locks"
    return records


def run_cli(app_env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.saas.unlock", *args],
        cwd=REPO_ROOT, env={**os.environ, **app_env}, capture_output=True, text=True,
        timeout=CLI_SECONDS, check=False,
    )  # fmt: skip


def test_the_command_lifts_a_lock_and_says_when_there_was_none(
    app_env: dict[str, str], databases: Databases, unique: str
) -> None:
    email = f"locked-{unique}@cli.example.com"
    records = lock(databases, email)
    done = run_cli(app_env, email.upper())
    assert (done.returncode, done.stdout.strip()) == (0, f"{email.upper()}: lock lifted"), done
    assert not records.locked(email)
    row = query_one(
        databases.users, "SELECT 1 AS n FROM SignInFailures WHERE LoginName = @n", {"n": email}
    )
    assert row is None, "the unlock leaves no wrong password counted"
    again = run_cli(app_env, email)
    assert again.returncode == 0 and "no lock and no wrong passwords held" in again.stdout


def test_the_command_without_an_email_says_how_to_use_it(app_env: dict[str, str]) -> None:
    done = run_cli(app_env)
    assert done.returncode == 2 and "usage: python -m app.saas.unlock" in done.stderr


def test_only_an_operator_unlocks_from_the_console_and_the_unlock_is_recorded(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    admin_email = onboard(client, mail_sink, unique)  # the client is the tenant's admin
    tenant_id = find_tenant(databases, f"{unique}.example.com")["TenantID"]
    (user,) = query(
        databases.users, "SELECT UserID FROM Users WHERE Email = @e", {"e": admin_email}
    )
    records = lock(databases, admin_email)
    unlock_path = f"/admin/tenants/{tenant_id}/people/{user['UserID']}/unlock"

    r = client.post(unlock_path)
    assert (r.status_code, r.headers["location"]) == (303, "/login"), "a tenant admin unlocks"
    assert records.locked(admin_email), "a tenant admin's request lifted the lock"

    client.post("/logout")
    operator_id = add_operator(databases, f"ops-{unique}@platform.example.com")
    client.post(
        "/login", data={"email": f"ops-{unique}@platform.example.com", "password": PASSWORD}
    )
    page = client.get(f"/admin/tenants/{tenant_id}/sign-ins").text
    assert admin_email in page and unlock_path in page
    r = client.post(unlock_path)
    assert r.status_code == 303
    assert "is unlocked" in client.get(r.headers["location"]).text
    assert not records.locked(admin_email)
    recorded = query(
        databases.users,
        "SELECT UserID, LoginName, UnlockedBy FROM SignInUnlocks WHERE TenantID = @t",
        {"t": tenant_id},
    )
    assert recorded == [
        {"UserID": user["UserID"], "LoginName": admin_email, "UnlockedBy": operator_id}
    ]
    assert client.post(f"/admin/tenants/{tenant_id}/people/nobody/unlock").status_code == 404
