"""The dashboard's JSON API: who may read it, and a profile change applied once per key."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from fastapi.testclient import TestClient
from saas_testkit import onboard

from app.platform.db import Databases, query, query_one
from app.saas.idempotency import KEY_REUSED, keyed_request
from app.saas.profile import NameChange, change_display_name
from app.saas.sessions import USER_SESSIONS

PROFILE = "/api/profile"


def _user_ids(databases: Databases, email: str) -> dict[str, str]:
    row = query_one(
        databases.users, "SELECT TenantID, UserID FROM Users WHERE Email = @e", {"e": email}
    )
    assert row, f"no user {email}"
    return row


def _changes(databases: Databases, email: str) -> list[dict[str, Any]]:
    ids = _user_ids(databases, email)
    return query(
        databases.users,
        """
        SELECT DisplayName, IdempotencyKey FROM ProfileChanges
        WHERE TenantID = @t AND UserID = @u ORDER BY ChangedAt
        """,
        {"t": ids["TenantID"], "u": ids["UserID"]},
    )


def _stored_name(databases: Databases, email: str) -> str | None:
    ids = _user_ids(databases, email)
    row = query_one(
        databases.users,
        "SELECT DisplayName FROM UserProfiles WHERE TenantID = @t AND UserID = @u",
        {"t": ids["TenantID"], "u": ids["UserID"]},
    )
    assert row
    return row["DisplayName"]


def _patch(client: TestClient, name: object, key: str | None) -> Any:
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.patch(PROFILE, json={"display_name": name}, headers=headers)


def test_the_dashboard_is_the_signed_in_persons_and_kept_by_no_shared_cache(
    client: TestClient, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique, plan="professional")
    r = client.get("/api/dashboard")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "tenant": {"name": f"Acme {unique}"},
        "plan": {"name": "Professional"},
        "profile": {"display_name": "John Admin", "email": email, "role": "admin"},
    }
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["vary"] == "Cookie"


def test_without_a_session_the_api_answers_401_in_json(client: TestClient) -> None:
    client.cookies.set("session", "not-a-session")
    for method, path in (("GET", "/api/dashboard"), ("PATCH", PROFILE)):
        r = client.request(method, path)
        assert (r.status_code, r.json()) == (401, {"error": "Not signed in."}), (method, path)
        assert r.headers["cache-control"] == "no-store"
    client.cookies.clear()
    assert client.get("/api/dashboard").status_code == 401


def test_an_operator_or_an_unfinished_setup_gets_no_dashboard(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique)
    ids = _user_ids(databases, email)
    with databases.users.batch() as batch:
        batch.update(
            "TenantProfiles",
            columns=("TenantID", "OnboardingStep"),
            values=[(ids["TenantID"], "billing")],
        )
    r = client.get("/api/dashboard")
    assert r.status_code == 403 and "setting up" in r.json()["error"]


def test_a_change_is_applied_once_and_its_repeat_gets_the_same_answer(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique)
    key = str(uuid.uuid4())
    first = _patch(client, "  Ann   Example ", key)
    assert first.status_code == 200, first.text
    assert first.json()["profile"] == {"display_name": "Ann Example"}
    assert "idempotent-replayed" not in first.headers
    again = _patch(client, "  Ann   Example ", key)
    assert (again.status_code, again.json()) == (200, first.json())
    assert again.headers["idempotent-replayed"] == "true"
    assert _changes(databases, email) == [{"DisplayName": "Ann Example", "IdempotencyKey": key}]
    assert client.get("/api/dashboard").json()["profile"]["display_name"] == "Ann Example"


def test_a_key_reused_for_another_change_is_refused_and_changes_nothing(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique)
    key = str(uuid.uuid4())
    assert _patch(client, "Ann Example", key).status_code == 200
    r = _patch(client, "Bob Example", key)
    assert (r.status_code, r.json()) == (422, {"error": KEY_REUSED})
    assert _stored_name(databases, email) == "Ann Example"
    assert [c["DisplayName"] for c in _changes(databases, email)] == ["Ann Example"]


def test_a_key_is_one_persons_own(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    """Another person sending the same key makes their own change: keys are kept per user."""
    first = onboard(client, mail_sink, unique)
    key = str(uuid.uuid4())
    assert _patch(client, "Ann Example", key).status_code == 200
    client.cookies.clear()
    second = onboard(client, mail_sink, f"{unique}b")
    r = _patch(client, "Ann Example", key)
    assert r.status_code == 200 and "idempotent-replayed" not in r.headers
    assert len(_changes(databases, first)) == len(_changes(databases, second)) == 1


def test_a_change_needs_a_uuid_key_and_a_valid_name(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    email = onboard(client, mail_sink, unique)
    key = str(uuid.uuid4())
    refusals = [
        (_patch(client, "Ann", None), 400, "Idempotency-Key header is required"),
        (_patch(client, "Ann", "not-a-uuid"), 400, "must be a UUID"),
        (_patch(client, "   ", key), 400, "Enter a display name."),
        (_patch(client, 42, key), 400, "Display name must be text."),
        (_patch(client, "é" * 101, key), 400, "at most 100 characters"),
        (client.patch(PROFILE, content=b"{", headers={"Idempotency-Key": key,
                                                       "Content-Type": "application/json"}),
         400, "valid JSON"),
        (client.patch(PROFILE, json={"name": "Ann"}, headers={"Idempotency-Key": key}),
         400, "display_name"),
        (client.patch(PROFILE, data={"display_name": "Ann"}, headers={"Idempotency-Key": key}),
         415, "application/json"),
        # over 4 KB: refused by its length, before it is read (app/saas/usage_body.py)
        (client.patch(PROFILE, content=b'{"display_name": "' + b"a" * 4096 + b'"}',
                      headers={"Idempotency-Key": key, "Content-Type": "application/json"}),
         413, "too large"),
    ]  # fmt: skip
    for response, status, words in refusals:
        assert response.status_code == status, response.text
        assert words in response.json()["error"], response.text
    assert _changes(databases, email) == []
    # 100 accented letters are 100 characters (200 bytes): taken
    r = _patch(client, "é" * 100, key)
    assert r.status_code == 200, r.text
    assert _stored_name(databases, email) == "é" * 100


def test_a_concurrent_duplicate_is_applied_once(
    client: TestClient, databases: Databases, mail_sink: Any, unique: str
) -> None:
    """Two deliveries of one change at the same moment (a retry racing the first attempt)."""
    onboard(client, mail_sink, unique)
    user = USER_SESSIONS.load(databases, client.cookies["session"])
    assert user is not None
    payload = {"display_name": "Racing Name"}
    change = NameChange(user, "Racing Name", keyed_request(str(uuid.uuid4()), "PATCH", PROFILE,
                                                           payload))  # fmt: skip
    barrier = threading.Barrier(4)
    answers: list[Any] = []

    def deliver() -> None:
        barrier.wait(timeout=10)
        answers.append(change_display_name(databases.users, change))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 4, f"every delivery is answered: {answers}"
    assert len({answer.body["change_id"] for answer in answers}) == 1, answers
    assert sorted(answer.replayed for answer in answers) == [False, True, True, True]
    assert len(_changes(databases, user.email)) == 1
