"""The clinic's defences where a browser does not reach them: the second factor's escalating
lock (the rule, and an administrator's unlock, audited first), the session renewed at the
second factor (and a session ended while its code is checked), the idle logoff at the very
second of the timeout, the signing form's limit under tries sent at the same moment, refused
sign-ins and sign-outs audited, and the clinic's settings."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from clinic_testkit import (
    JOHN_PATIENT,
    PASSWORD,
    actions,
    add_provider,
    audit_of,
    rows,
    sign_in,
    sign_in_fully,
)
from fastapi.testclient import TestClient

from app.clinic import audit, mfa
from app.clinic.mfa import FactorState, code_of, decide, step_at
from app.clinic.policy import PolicyError, load_policy
from app.clinic.prescriptions import PrescriptionForm, SigningRefused, sign_prescription
from app.clinic.sessions import PROVIDER_SESSIONS
from app.clinic.unlock import unlock_second_factor
from app.platform.db import Databases
from app.platform.security import sha256_hex

DATABASE_PREFIX = "app-clinic-security"
SECRET = "RLVTO5OTW6FTM2IPPSGCTPMBDU7MREO3"
NOW = datetime(2026, 12, 6, 10, 0, 5, tzinfo=UTC)
ESCALATION = "the second factor's lock escalates: the 2nd lock in a row blocks it"
COOKIE = "provider_session"


def wrong(state: FactorState, now: datetime, times: int) -> FactorState:
    for _ in range(times):
        state = decide(state, "000000", now).state
    return state


# The second factor's escalation (the rule) ------------------------------------------------


def test_five_wrong_codes_lock_then_five_more_after_the_lock_block_for_good() -> None:
    state = wrong(FactorState(SECRET, None, 0, None), NOW, 5)
    assert state.locked_until == NOW + timedelta(minutes=15) and state.locks_in_a_row == 1
    later = NOW + timedelta(minutes=16)
    state = wrong(state, later, 4)
    assert state.blocked_at is None, "four wrong codes after a lock do not block"
    decision = decide(state, "000000", later)
    assert decision.blocked_now and decision.state.blocked_at == later, ESCALATION
    assert decision.state.locked_until is None and decision.message == mfa.BLOCKED
    years = later + timedelta(days=3650)
    refused = decide(decision.state, code_of(SECRET, step_at(years)), years)
    assert (refused.accepted, refused.reason) == (False, mfa.BLOCKED_OUT), (
        f"{ESCALATION}: a blocked factor refuses the right code, however late"
    )
    assert refused.state == decision.state, "a refusal while blocked counts nothing"


def test_an_accepted_code_between_two_locks_starts_the_count_of_locks_again() -> None:
    state = wrong(FactorState(SECRET, None, 0, None), NOW, 5)
    later = NOW + timedelta(minutes=16)
    accepted = decide(state, code_of(SECRET, step_at(later)), later)
    assert accepted.accepted and accepted.state.locks_in_a_row == 0
    state = wrong(accepted.state, later, 5)
    assert state.blocked_at is None and state.locks_in_a_row == 1, "a first lock again"


def test_the_block_is_audited_after_the_refused_code() -> None:
    state = FactorState(SECRET, None, 4, NOW - timedelta(minutes=1), 1)
    decision = decide(state, "000000", NOW)
    entries = mfa.audit_entries("provider-x", decision)
    assert [(e.action, e.details) for e in entries][0] == (audit.MFA_FAILED, "wrong")
    assert [e.action for e in entries] == [audit.MFA_FAILED, audit.MFA_BLOCKED]


def test_a_blocked_provider_is_refused_over_http_until_an_administrator_unlocks(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, failed_attempts=4, locked_until=NOW - timedelta(days=1))
    with databases.clinic.batch() as batch:
        batch.update("ProviderMfa", columns=("ProviderID", "LocksInARow"),
                     values=[(provider.provider_id, 1)])  # fmt: skip
    sign_in(client, provider.email)
    r = client.post("/mfa", data={"code": provider.wrong_code()})
    assert r.status_code == 423 and "blocked until an administrator" in r.text
    r = client.post("/mfa", data={"code": provider.code()})
    assert r.status_code == 423, f"{ESCALATION}: blocked, the right code is refused"
    assert actions(databases, provider.provider_id) == [
        "MFA_FAILED", "MFA_BLOCKED", "MFA_FAILED",
    ]  # fmt: skip
    assert unlock_second_factor(databases, provider.email, "Ada Admin") == provider.provider_id
    last = audit_of(databases, provider.provider_id)[-1]
    assert (last["Action"], last["Details"], last["IPAddress"]) == (
        "MFA_UNLOCKED", "unlocked by Ada Admin", "administrator console",
    )  # fmt: skip
    (state,) = rows(databases, "clinic",
                    "SELECT FailedAttempts, LockedUntil, LocksInARow, BlockedAt FROM ProviderMfa "
                    "WHERE ProviderID = @p", p=provider.provider_id)  # fmt: skip
    assert state == {"FailedAttempts": 0, "LockedUntil": None, "LocksInARow": 0, "BlockedAt": None}
    r = client.post("/mfa", data={"code": provider.code()})
    assert (r.status_code, r.headers.get("location")) == (303, "/patients/search")


def test_an_unlock_whose_audit_entry_cannot_be_written_unlocks_nothing(
    databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = add_provider(databases)
    with databases.clinic.batch() as batch:
        batch.update("ProviderMfa", columns=("ProviderID", "LocksInARow", "BlockedAt"),
                     values=[(provider.provider_id, 2, NOW)])  # fmt: skip

    def unwritable(*_: object) -> None:
        raise audit.AuditUnavailable("the audit database is unreachable")

    monkeypatch.setattr(audit, "record", unwritable)
    with pytest.raises(audit.AuditUnavailable):
        unlock_second_factor(databases, provider.email, "Ada Admin")
    (state,) = rows(databases, "clinic", "SELECT BlockedAt FROM ProviderMfa WHERE ProviderID = @p",
                    p=provider.provider_id)  # fmt: skip
    assert state["BlockedAt"] is not None, "no audit entry, no unlock"


def test_an_unknown_email_unlocks_nothing(databases: Databases) -> None:
    assert unlock_second_factor(databases, "nobody@hospital.test", "Ada Admin") is None


# The session renewed at the second factor --------------------------------------------------


def test_the_second_factor_gives_a_new_token_and_the_old_one_opens_nothing(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in(client, provider.email)
    before = client.cookies[COOKIE]
    r = client.post("/mfa", data={"code": provider.code()})
    assert r.status_code == 303
    after = client.cookies[COOKIE]
    assert after != before, "the session token is renewed when the second factor is passed"
    sessions = rows(databases, "clinic",
                    "SELECT SessionID, MfaVerifiedAt FROM ProviderSessions WHERE ProviderID = @p",
                    p=provider.provider_id)  # fmt: skip
    assert [(s["SessionID"], s["MfaVerifiedAt"] is not None) for s in sessions] == [
        (sha256_hex(after), True)
    ]
    assert client.get(f"/patients/{JOHN_PATIENT}").status_code == 200
    client.cookies.set(COOKIE, before)
    r = client.get(f"/patients/{JOHN_PATIENT}")
    assert (r.status_code, r.headers.get("location")) == (303, "/login"), "the old token is over"


def test_a_session_ended_while_its_code_is_checked_is_not_verified_and_leads_to_sign_in(
    client: TestClient, databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signed out elsewhere at the very moment the right code is checked (a race a browser
    cannot time): the session is gone when it is to be renewed, so no session is verified and
    the answer leads to the sign-in page, not on to the patient search."""
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in(client, provider.email)
    token = client.cookies[COOKIE]
    checked = mfa.verify

    def verify_then_sign_out_elsewhere(*args: Any, **kwargs: Any) -> mfa.Decision:
        decision = checked(*args, **kwargs)
        PROVIDER_SESSIONS.end(databases, token)
        return decision

    monkeypatch.setattr(mfa, "verify", verify_then_sign_out_elsewhere)
    r = client.post("/mfa", data={"code": provider.code()})
    assert (r.status_code, r.headers.get("location")) == (303, "/login"), r.text
    assert actions(databases, provider.provider_id)[-1] == "MFA_VERIFIED"
    sessions = rows(databases, "clinic",
                    "SELECT SessionID FROM ProviderSessions WHERE ProviderID = @p",
                    p=provider.provider_id)  # fmt: skip
    assert sessions == [], "no session of theirs is left, verified or not"


def test_a_session_that_is_gone_takes_no_new_id(databases: Databases) -> None:
    assert PROVIDER_SESSIONS.replace(databases, "no-such-session", "its-new-id") is False
    found = rows(databases, "clinic",
                 "SELECT SessionID FROM ProviderSessions WHERE SessionID = @s",
                 s="its-new-id")  # fmt: skip
    assert found == []


# The idle logoff at the very second of the timeout -----------------------------------------

IDLE_MINUTES = 15  # the clinic's session_idle_minutes (app/clinic/product.py)


@dataclass
class IdleFor:
    """The app's sign-in records, each session idle for ``seconds``: the boundary a browser
    cannot stand on (Spanner's clock moves on between the scenario's write and its request)."""

    records: Any
    seconds: int

    def idle_seconds(self, session_id: str) -> int:
        return self.seconds

    def __getattr__(self, name: str) -> Any:
        return getattr(self.records, name)


@pytest.mark.parametrize(
    ("idle", "ended"), [(IDLE_MINUTES * 60 - 1, False), (IDLE_MINUTES * 60, True)]
)
def test_a_session_idle_for_the_timeout_to_the_second_ends_and_its_logoff_is_audited(
    client: TestClient, databases: Databases, idle: int, ended: bool
) -> None:
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    sign_in_fully(client, provider)
    state = client.app.state  # type: ignore[attr-defined]
    state.sign_in_records = IdleFor(state.sign_in_records, idle)
    r = client.get("/patients/search")
    logoffs = [(row["Action"], row["Details"]) for row in audit_of(databases, provider.provider_id)
               if row["Action"] == "SIGNED_OUT_IDLE"]  # fmt: skip
    if ended:
        assert (r.status_code, r.headers.get("location")) == (303, "/login")
        assert logoffs == [("SIGNED_OUT_IDLE", f"idle for 15 minutes, more than {IDLE_MINUTES}")]
    else:
        assert r.status_code == 200
        assert logoffs == []


# The signing form's limit ------------------------------------------------------------------


def test_tries_sent_at_the_same_moment_are_all_counted(databases: Databases) -> None:
    """Ten wrong passwords at once: at most five are checked, signing ends locked, and the
    right password then signs nothing."""
    provider = add_provider(databases, patients=(JOHN_PATIENT,))
    form = PrescriptionForm("Cetirizine 10mg", "Once daily", "14 days")

    def attempt(password: str) -> str:
        trail = audit.Trail(f"req-{password}", "127.0.0.1")
        try:
            sign_prescription(databases, trail, provider.provider_id, JOHN_PATIENT,
                              "visit-none", form, password, datetime.now(UTC))  # fmt: skip
        except SigningRefused as refused:
            return str(refused)
        return "signed"

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(attempt, [f"guess-{n}-wrong!" for n in range(10)]))
    assert "signed" not in answers
    reasons = [e["Details"] for e in audit_of(databases, provider.provider_id)
               if e["Action"] == "PRESCRIPTION_SIGNING_REFUSED"]  # fmt: skip
    assert len(reasons) == 10, "every try is audited"
    assert reasons.count("wrong password") <= 5, f"at most five passwords checked: {reasons}"
    assert actions(databases, provider.provider_id).count("PRESCRIPTION_SIGNING_LOCKED") == 1
    assert "locked" in attempt(PASSWORD), "locked: the right password signs nothing"


# Refused sign-ins and sign-outs ------------------------------------------------------------


def test_a_wrong_password_is_audited_for_its_provider_and_an_unknown_email_without_its_text(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases)
    assert client.post("/login", data={"email": provider.email, "password": "x" * 12}
                       ).status_code == 401  # fmt: skip
    (entry,) = audit_of(databases, provider.provider_id)
    assert (entry["Action"], entry["IPAddress"], entry["Status"]) == (
        "SIGN_IN_FAILED", "testclient", "completed",
    )  # fmt: skip
    typed = "someone.unknown@example.test"
    client.post("/login", data={"email": typed, "password": "x" * 12})
    unknown = rows(databases, "audit",
                   "SELECT ProviderID, Details FROM AuditLog WHERE Action = 'SIGN_IN_FAILED' "
                   "AND ProviderID IS NULL")  # fmt: skip
    assert unknown and all(typed not in (row["Details"] or "") for row in unknown)


def test_signing_out_is_audited_then_the_session_ends(
    client: TestClient, databases: Databases
) -> None:
    provider = add_provider(databases)
    sign_in_fully(client, provider)
    r = client.post("/provider/logout")
    assert (r.status_code, r.headers.get("location")) == (303, "/login")
    assert actions(databases, provider.provider_id)[-1] == "SIGNED_OUT"
    sessions = rows(databases, "clinic",
                    "SELECT SessionID FROM ProviderSessions WHERE ProviderID = @p",
                    p=provider.provider_id)  # fmt: skip
    assert sessions == [], "signing out ends the session"


def test_signing_out_at_the_shared_logout_is_audited_too(
    client: TestClient, databases: Databases
) -> None:
    """The platform's POST /logout tells the clinic first (AppProduct.signing_out): a sign-out
    sent there by hand is audited like the clinic's own button."""
    provider = add_provider(databases)
    sign_in_fully(client, provider)
    r = client.post("/logout")
    assert (r.status_code, r.headers.get("location")) == (303, "/login")
    assert actions(databases, provider.provider_id)[-1] == "SIGNED_OUT", (
        "the sign-out audit: POST /logout ended a provider's session without SIGNED_OUT"
    )
    sessions = rows(databases, "clinic",
                    "SELECT SessionID FROM ProviderSessions WHERE ProviderID = @p",
                    p=provider.provider_id)  # fmt: skip
    assert sessions == [], "signing out ends the session"


# The clinic's settings ---------------------------------------------------------------------


def test_the_settings_default_to_the_business_rules() -> None:
    policy = load_policy({})
    assert (policy.signing_max_wrong_passwords, policy.signing_lock) == (5, timedelta(minutes=15))


# each setting's least and most (app/clinic/policy.py), and how to read it from a policy
BOUNDS = {
    "CLINIC_SIGNING_MAX_WRONG_PASSWORDS": (1, 100, lambda p: p.signing_max_wrong_passwords),
    "CLINIC_SIGNING_LOCK_MINUTES": (1, 1440, lambda p: p.signing_lock // timedelta(minutes=1)),
}


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_each_setting_takes_its_least_and_its_most_and_nothing_past_either(name: str) -> None:
    """Each bound exactly: the least and the most are taken, one less and one more refused,
    the message naming the setting and its range."""
    least, most, read = BOUNDS[name]
    for value in (least, most):
        assert read(load_policy({name: str(value)})) == value, f"{name}={value} is taken"
    for value in (most + 1, least - 1):
        with pytest.raises(PolicyError) as refused:
            load_policy({name: str(value)})
        assert str(refused.value) == (
            f"{name} must be a whole number from {least} to {most}, got '{value}'"
        ), f"{name}={value} is refused, naming the range"


@pytest.mark.parametrize(
    "name", ["CLINIC_SIGNING_MAX_WRONG_PASSWORDS", "CLINIC_SIGNING_LOCK_MINUTES"]
)
@pytest.mark.parametrize("value", ["0", "five", "-1"])
def test_a_malformed_setting_is_named(name: str, value: str) -> None:
    with pytest.raises(PolicyError, match=name):
        load_policy({name: value})


@pytest.mark.parametrize(("minutes", "told"), [("15", "15 minutes"), ("60", "60 minutes")])
def test_the_refusal_of_a_locked_signing_tells_the_lock_in_minutes(
    monkeypatch: pytest.MonkeyPatch, minutes: str, told: str
) -> None:
    """The features run with the 15-minute default; a lock of an hour is told as 60 minutes
    (3600 s // 59 would say 61)."""
    from app.clinic import policy as policy_module
    from app.clinic.prescriptions import signing_locked_message

    monkeypatch.setenv("CLINIC_SIGNING_LOCK_MINUTES", minutes)
    policy_module.policy.cache_clear()
    try:
        assert signing_locked_message() == (
            f"Too many wrong passwords: signing is locked for {told}."
        )
    finally:
        policy_module.policy.cache_clear()
