"""The second factor: one step of drift either way, a code accepted once only, five failures
lock it for 15 minutes; the rule at chosen moments (``now`` passed in), then in its one
transaction on the emulator, then over HTTP with the authenticator's current code."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from clinic_testkit import (
    actions,
    add_provider,
    audit_of,
    rows,
    sign_in,
    text_of,
    wrong_code_for,
)
from fastapi.testclient import TestClient

from app.clinic.mfa import (
    LOCK_DURATION,
    LOCKED,
    MAX_FAILED_CODES,
    REFUSED,
    FactorState,
    code_of,
    decide,
    step_at,
    verify,
)
from app.platform.db import Databases

DATABASE_PREFIX = "app-clinic-mfa"
SECRET = pyotp.random_base32()
NOW = datetime(2026, 11, 30, 3, 30, 10, tzinfo=UTC)  # 10 s into its step
N = step_at(NOW)
FRESH = FactorState(SECRET, None, 0, None)


def code(offset: int) -> str:
    """The code of step N + offset."""
    return code_of(SECRET, N + offset)


# The rule, at chosen moments ---------------------------------------------------------------


def test_steps_are_thirty_seconds_of_unix_time() -> None:
    assert step_at(datetime(1970, 1, 1, 0, 0, 29, tzinfo=UTC)) == 0
    assert step_at(datetime(1970, 1, 1, 0, 0, 30, tzinfo=UTC)) == 1
    assert code_of(SECRET, N) == pyotp.TOTP(SECRET).at(NOW)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["previous", "current", "next"])
def test_the_codes_of_the_previous_current_and_next_step_are_accepted(offset: int) -> None:
    decision = decide(FRESH, code(offset), NOW)
    assert decision.accepted and decision.step == N + offset
    assert decision.state.last_used_step == N + offset


@pytest.mark.parametrize("later", [0, 1], ids=["this step", "the step after"])
def test_the_window_is_the_same_at_an_even_step_and_an_odd_one(later: int) -> None:
    """The next step's code is accepted and the one after it refused whatever the step's
    parity (a window ending at `step + 1 | 1` would drop the next step at every other step)."""
    now = NOW + timedelta(seconds=30 * later)
    step = step_at(now)
    assert decide(FRESH, code_of(SECRET, step + 1), now).accepted
    assert not decide(FRESH, code_of(SECRET, step + 2), now).accepted


@pytest.mark.parametrize(("offset", "reason"), [(-2, "expired"), (2, "wrong")])
def test_codes_two_steps_away_are_refused(offset: int, reason: str) -> None:
    decision = decide(FRESH, code(offset), NOW)
    assert not decision.accepted
    assert (decision.reason, decision.message) == (reason, REFUSED)
    assert decision.state == replace(FRESH, failed_attempts=1)


def test_a_code_of_the_last_ten_steps_is_expired_and_older_ones_are_wrong() -> None:
    assert decide(FRESH, code(-10), NOW).reason == "expired"
    assert decide(FRESH, code(-11), NOW).reason == "wrong"


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 345"])
def test_anything_but_six_digits_is_a_wrong_code(typed: str) -> None:
    assert decide(FRESH, typed, NOW).reason == "wrong"


def test_a_code_is_accepted_once_only() -> None:
    first = decide(FRESH, code(0), NOW)
    assert first.accepted
    again = decide(first.state, code(0), NOW + timedelta(seconds=5))
    assert (again.accepted, again.reason, again.message) == (False, "reused", REFUSED)
    assert again.state.failed_attempts == 1


def test_an_older_step_after_a_newer_one_is_refused() -> None:
    newer = decide(FRESH, code(1), NOW)
    assert newer.accepted
    for offset in (0, -1):
        older = decide(newer.state, code(offset), NOW)
        assert (older.accepted, older.reason) == (False, "reused"), offset
    assert decide(newer.state, code(1), NOW + timedelta(seconds=30)).reason == "reused"
    assert decide(newer.state, code(2), NOW + timedelta(seconds=30)).accepted


def test_a_code_with_spaces_around_it_is_accepted() -> None:
    assert decide(FRESH, f" {code(0)} ", NOW).accepted


@pytest.mark.parametrize("typed", ["12345", "1234567", "abcdef", "éééééé", "١٢٣٤٥٦", "12 345"])
def test_anything_but_six_ascii_digits_is_a_wrong_code(typed: str) -> None:
    decision = decide(FRESH, typed, NOW)
    assert (decision.accepted, decision.reason) == (False, "wrong")


def test_the_fifth_failure_in_a_row_locks_the_factor_for_fifteen_minutes() -> None:
    state = FRESH
    for attempt in range(1, MAX_FAILED_CODES):
        decision = decide(state, wrong_code_for(SECRET, N), NOW)
        assert not decision.locked_now and decision.state.failed_attempts == attempt
        state = decision.state
    fifth = decide(state, code(-5), NOW)
    assert fifth.locked_now and fifth.reason == "expired" and fifth.message == LOCKED
    assert fifth.state.locked_until == NOW + LOCK_DURATION == NOW + timedelta(minutes=15)
    assert fifth.state.failed_attempts == 0


def test_while_locked_even_the_right_code_is_refused_and_does_not_count() -> None:
    locked = replace(FRESH, locked_until=NOW + timedelta(seconds=1))
    decision = decide(locked, code(0), NOW)
    assert (decision.accepted, decision.reason, decision.message) == (False, "locked", LOCKED)
    assert decision.state == locked and not decision.locked_now


def test_when_the_lock_is_over_the_right_code_is_accepted() -> None:
    for locked_until in (NOW, NOW - timedelta(minutes=1)):
        decision = decide(replace(FRESH, locked_until=locked_until), code(0), NOW)
        assert decision.accepted, locked_until
        assert decision.state.locked_until is None


def test_an_accepted_code_resets_the_failures() -> None:
    decision = decide(replace(FRESH, failed_attempts=MAX_FAILED_CODES - 1), code(0), NOW)
    assert decision.accepted and decision.state.failed_attempts == 0


# In one transaction on the emulator ----------------------------------------------------------


def mfa_row(databases: Databases, provider_id: str) -> dict:
    return rows(
        databases, "clinic",
        "SELECT LastUsedStep, FailedAttempts, LockedUntil FROM ProviderMfa WHERE ProviderID = @p",
        p=provider_id,
    )[0]  # fmt: skip


def test_verify_stores_the_factors_new_state(databases: Databases) -> None:
    provider = add_provider(databases, failed_attempts=2)
    now = datetime.now(UTC)
    verify(databases, provider.provider_id, provider.wrong_code(), now)
    assert mfa_row(databases, provider.provider_id)["FailedAttempts"] == 3
    right = verify(databases, provider.provider_id, provider.code(now), now)
    assert right.accepted
    row = mfa_row(databases, provider.provider_id)
    assert (row["LastUsedStep"], row["FailedAttempts"]) == (step_at(now), 0)
    assert not verify(databases, provider.provider_id, provider.code(now), now).accepted


def test_verify_locks_and_stores_the_lock(databases: Databases) -> None:
    provider = add_provider(databases, failed_attempts=MAX_FAILED_CODES - 1)
    now = datetime.now(UTC)
    decision = verify(databases, provider.provider_id, provider.code(now - timedelta(minutes=2)),
                      now)  # fmt: skip
    assert decision.locked_now
    row = mfa_row(databases, provider.provider_id)
    assert (row["FailedAttempts"], row["LockedUntil"]) == (0, now + LOCK_DURATION)
    refused = verify(databases, provider.provider_id, provider.code(now), now)
    assert refused.reason == "locked"


def test_two_requests_cannot_both_use_one_code(databases: Databases) -> None:
    provider = add_provider(databases)
    now = datetime.now(UTC)
    typed = provider.code(now)
    with ThreadPoolExecutor(max_workers=4) as pool:
        decisions = list(
            pool.map(lambda _: verify(databases, provider.provider_id, typed, now), range(4))
        )
    assert sorted(d.accepted for d in decisions) == [False, False, False, True]
    assert {d.reason for d in decisions if not d.accepted} == {"reused"}


def test_a_provider_without_a_second_factor_is_refused(databases: Databases) -> None:
    decision = verify(databases, "provider-nobody", "123456", datetime.now(UTC))
    assert (decision.accepted, decision.reason) == (False, "wrong")


# Over HTTP -----------------------------------------------------------------------------------


def test_the_current_code_opens_the_patient_pages_and_is_audited(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases)
    sign_in(client, provider.email)
    r = client.post("/mfa", data={"code": provider.code()})
    assert (r.status_code, r.headers["location"]) == (303, "/patients/search")
    [entry] = audit_of(databases, provider.provider_id)
    assert (entry["Action"], entry["Status"], entry["ResourceID"]) == (
        "MFA_VERIFIED", "completed", provider.provider_id,
    )  # fmt: skip
    assert entry["IPAddress"] == "testclient" and entry["PatientID"] is None
    assert client.get("/patients/search").status_code == 200


def test_a_wrong_code_is_refused_with_the_message_and_audited(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases)
    sign_in(client, provider.email)
    r = client.post("/mfa", data={"code": provider.wrong_code()})
    assert r.status_code == 401
    assert text_of(r.text, "mfa-error") == REFUSED
    [entry] = audit_of(databases, provider.provider_id)
    assert (entry["Action"], entry["Details"]) == ("MFA_FAILED", "wrong")
    assert client.get("/patients/search").headers["location"] == "/mfa"


def test_a_code_used_for_one_sign_in_is_refused_for_the_next(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases)
    sign_in(client, provider.email)
    used = provider.code()
    assert client.post("/mfa", data={"code": used}).status_code == 303
    client.post("/logout")
    sign_in(client, provider.email)
    r = client.post("/mfa", data={"code": used})
    assert r.status_code == 401 and text_of(r.text, "mfa-error") == REFUSED
    assert [(e["Action"], e["Details"]) for e in audit_of(databases, provider.provider_id)][-1] == (
        "MFA_FAILED",
        "reused",
    )
    assert client.get("/patients/search").headers["location"] == "/mfa"


def test_the_failure_that_locks_writes_failed_then_locked_in_one_request(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, failed_attempts=MAX_FAILED_CODES - 1)
    sign_in(client, provider.email)
    r = client.post("/mfa", data={"code": provider.wrong_code()})
    assert r.status_code == 423 and text_of(r.text, "mfa-error") == LOCKED
    failed, locked = audit_of(databases, provider.provider_id)
    assert (failed["Action"], failed["Seq"], locked["Action"], locked["Seq"]) == (
        "MFA_FAILED", 1, "MFA_LOCKED", 2,
    )  # fmt: skip
    assert failed["RequestID"] == locked["RequestID"]
    assert failed["CreatedAt"] == locked["CreatedAt"]
    r = client.post("/mfa", data={"code": provider.code()})
    assert r.status_code == 423 and text_of(r.text, "mfa-error") == LOCKED
    assert actions(databases, provider.provider_id)[-1] == "MFA_FAILED"
    assert audit_of(databases, provider.provider_id)[-1]["Details"] == "locked"
    assert mfa_row(databases, provider.provider_id)["FailedAttempts"] == 0


def test_a_provider_whose_lock_is_over_signs_in_with_the_current_code(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, locked_until=datetime.now(UTC) - timedelta(seconds=1))
    sign_in(client, provider.email)
    assert client.post("/mfa", data={"code": provider.code()}).status_code == 303
