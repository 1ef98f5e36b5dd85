"""The second factor: time-based one-time codes (TOTP, RFC 6238) from the provider's app.

A code has 6 digits and belongs to a 30-second step (N = unix time // 30). A code is accepted
when it is the code of step N-1, N or N+1 (one step of drift either way) AND that step is
later than the last accepted one: a code works once, and an older code after a newer one
does not work either. Every refusal counts; the 5th in a row locks the factor for 15 minutes,
during which every code, even the right one, is refused without counting. The lock escalates:
the 2nd lock with no accepted code since the 1st BLOCKS the factor until an administrator
unlocks it (``python -m app.clinic.unlock``), so guessing does not go on five codes every
15 minutes for ever.

The rule (``decide``) is pure: it takes the factor's state and ``now``. ``verify`` applies it
in ONE read-write transaction on `clinic`, so two requests cannot both use one code.
``second_factor`` is the whole request: the check, then its audit entries, then - only if
they were written - the session given a new token, and only that new session marked verified
(app/clinic/sessions.py, app/clinic/audit.py).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pyotp
from google.cloud.spanner_v1.transaction import Transaction

from app.clinic import audit
from app.clinic.sessions import PROVIDER_SESSIONS, CurrentProvider
from app.platform.db import Databases, run_write, tx_query
from app.platform.sessions import session_id

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1  # the code of the step before and of the step after are accepted too
EXPIRED_STEPS = 10  # an older code up to this many steps back is refused as `expired`
MAX_FAILED_CODES = 5
LOCK_DURATION = timedelta(minutes=15)
LOCKS_BEFORE_BLOCK = 2  # the 2nd lock in a row blocks the factor until an administrator
# ASCII digits only: str.isdigit() takes other scripts' digits too, which hmac cannot compare
_CODE_SHAPE = re.compile(rf"[0-9]{{{DIGITS}}}")

REFUSED = "That code is not valid. Enter the current code from your authenticator app."
LOCKED = "Too many wrong codes: the second factor is locked for 15 minutes."
BLOCKED = (
    "Too many wrong codes again: the second factor is blocked until an administrator unlocks it."
)

# why a code was refused (the MFA_FAILED entry's Details)
WRONG, EXPIRED, REUSED, LOCKED_OUT = "wrong", "expired", "reused", "locked"
BLOCKED_OUT = "blocked"


@dataclass(frozen=True)
class FactorState:
    """A provider's ProviderMfa row."""

    secret: str
    last_used_step: int | None
    failed_attempts: int
    locked_until: datetime | None
    locks_in_a_row: int = 0  # locks since the last accepted code
    blocked_at: datetime | None = None  # blocked until an administrator unlocks it


@dataclass(frozen=True)
class Decision:
    """What one code did: accepted (at ``step``) or refused (``reason``), and the new state."""

    accepted: bool
    state: FactorState
    reason: str | None = None
    step: int | None = None
    locked_now: bool = False  # this refusal locked the factor
    blocked_now: bool = False  # this refusal blocked the factor

    @property
    def message(self) -> str | None:
        if self.accepted:
            return None
        if self.reason == BLOCKED_OUT or self.blocked_now:
            return BLOCKED
        return LOCKED if self.reason == LOCKED_OUT or self.locked_now else REFUSED

    @property
    def shut(self) -> bool:
        """The factor refuses every code now (locked or blocked)."""
        return self.reason in (LOCKED_OUT, BLOCKED_OUT) or self.locked_now or self.blocked_now


def step_at(now: datetime) -> int:
    """The 30-second step ``now`` falls in."""
    return int(now.timestamp()) // STEP_SECONDS


def code_of(secret: str, step: int) -> str:
    """The code the authenticator shows during ``step``."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def is_locked(state: FactorState, now: datetime) -> bool:
    return state.locked_until is not None and state.locked_until > now


def _matching_step(secret: str, code: str, steps: range) -> int | None:
    """The newest step of ``steps`` whose code is ``code``."""
    for step in reversed(steps):
        if hmac.compare_digest(code_of(secret, step), code):
            return step
    return None


def _refusal_reason(state: FactorState, code: str, now_step: int) -> tuple[str, int | None]:
    """Why the code is refused (or None when it is accepted), and the step it belongs to."""
    if not _CODE_SHAPE.fullmatch(code):
        return WRONG, None
    window = range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1)
    step = _matching_step(state.secret, code, window)
    if step is not None:
        used = state.last_used_step is not None and step <= state.last_used_step
        return (REUSED, step) if used else ("", step)
    older = range(now_step - EXPIRED_STEPS, window.start)
    if _matching_step(state.secret, code, older) is not None:
        return EXPIRED, None
    return WRONG, None


def decide(state: FactorState, code: str, now: datetime) -> Decision:
    """The second factor's rule for one code entered at ``now``."""
    if state.blocked_at is not None:
        return Decision(False, state, BLOCKED_OUT)
    if is_locked(state, now):
        return Decision(False, state, LOCKED_OUT)
    reason, step = _refusal_reason(state, code.strip(), step_at(now))
    if not reason:
        accepted = replace(
            state, last_used_step=step, failed_attempts=0, locked_until=None, locks_in_a_row=0
        )
        return Decision(True, accepted, step=step)
    failed = state.failed_attempts + 1
    if failed < MAX_FAILED_CODES:
        return Decision(False, replace(state, failed_attempts=failed), reason)
    locks = state.locks_in_a_row + 1
    if locks >= LOCKS_BEFORE_BLOCK:
        blocked = replace(
            state, failed_attempts=0, locked_until=None, locks_in_a_row=locks, blocked_at=now
        )
        return Decision(False, blocked, reason, blocked_now=True)
    locked = replace(
        state, failed_attempts=0, locked_until=now + LOCK_DURATION, locks_in_a_row=locks
    )
    return Decision(False, locked, reason, locked_now=True)


def verify(databases: Databases, provider_id: str, code: str, now: datetime) -> Decision:
    """Decide on the code and store the factor's new state, in one transaction on `clinic`.
    A provider without a second factor enrolled is refused (nothing is stored)."""

    def work(txn: Transaction) -> Decision:
        rows = tx_query(
            txn,
            "SELECT Secret, LastUsedStep, FailedAttempts, LockedUntil, LocksInARow, BlockedAt "
            "FROM ProviderMfa WHERE ProviderID = @provider",
            {"provider": provider_id},
        )
        if not rows:
            return Decision(False, FactorState("", None, 0, None), WRONG)
        row = rows[0]
        state = FactorState(
            row["Secret"], row["LastUsedStep"], row["FailedAttempts"], row["LockedUntil"],
            row["LocksInARow"], row["BlockedAt"],
        )  # fmt: skip
        decision = decide(state, code, now)
        if decision.state != state:
            _store(txn, provider_id, decision.state)
        return decision

    return run_write(databases.clinic, work)


def _store(txn: Transaction, provider_id: str, state: FactorState) -> None:
    # a mutation, not DML: LastUsedStep and LockedUntil may be NULL
    txn.update(
        "ProviderMfa",
        columns=("ProviderID", "LastUsedStep", "FailedAttempts", "LockedUntil", "LocksInARow",
                 "BlockedAt"),
        values=[(provider_id, state.last_used_step, state.failed_attempts, state.locked_until,
                 state.locks_in_a_row, state.blocked_at)],
    )  # fmt: skip


def audit_entries(provider_id: str, decision: Decision) -> list[audit.Entry]:
    """MFA_VERIFIED; or MFA_FAILED with the reason, then MFA_LOCKED when it locked or
    MFA_BLOCKED when it blocked."""
    if decision.accepted:
        return [audit.Entry(audit.MFA_VERIFIED, provider_id, audit.PROVIDER, provider_id,
                            details=f"step {decision.step}")]  # fmt: skip
    entries = [
        audit.Entry(audit.MFA_FAILED, provider_id, audit.PROVIDER, provider_id,
                    details=decision.reason)
    ]  # fmt: skip
    if decision.locked_now and decision.state.locked_until is not None:
        until = decision.state.locked_until.isoformat()
        entries.append(audit.Entry(audit.MFA_LOCKED, provider_id, audit.PROVIDER, provider_id,
                                   details=f"locked until {until}"))  # fmt: skip
    if decision.blocked_now:
        locks = decision.state.locks_in_a_row
        entries.append(audit.Entry(
            audit.MFA_BLOCKED, provider_id, audit.PROVIDER, provider_id,
            details=f"lock {locks} in a row: blocked until an administrator unlocks it",
        ))  # fmt: skip
    return entries


def second_factor(
    databases: Databases,
    trail: audit.Trail,
    provider: CurrentProvider,
    code: str,
    now: datetime,
    renew: Callable[[], str | None],
) -> tuple[Decision, bool]:
    """Check the code, audit the outcome, and only then give the session a new token
    (``renew``: the platform's renew_session, which sets the new cookie; it gives the new
    token) and mark that new session verified. The decision, and whether the session is now
    verified. AuditUnavailable when the entry cannot be written: the session stays as it was,
    password-only."""
    decision = verify(databases, provider.provider_id, code, now)
    audit.record(databases.audit, trail, *audit_entries(provider.provider_id, decision))
    if not decision.accepted:
        return decision, False
    token = renew()
    if token is None:
        return decision, False
    marked = PROVIDER_SESSIONS.mark_verified(
        databases, provider.provider_id, session_id(token), now
    )
    return decision, marked == 1
