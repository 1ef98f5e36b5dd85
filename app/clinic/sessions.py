"""Providers' sessions (ProviderSessions): the cookie holds a token, the table its SHA-256.

A session starts with the password alone (MfaVerifiedAt NULL). When the second factor is
accepted the session first takes a new id and token (``replace``, called by the platform's
renew_session), then that new session is marked verified: a token seen before the second
factor (planted by another, or read over a shoulder) never opens a patient page. A session
idle for longer than the clinic's idle timeout is ended by the platform (AppProduct's
session_idle_minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from google.cloud import spanner
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import Databases, query_one, run_write, tx_query, tx_update
from app.platform.sessions import SESSION_LIFETIME, new_session, session_id

PROVIDER_COOKIE = "provider_session"
ACTIVE = "active"
_COLUMNS = ("ProviderID", "SessionID", "ExpiresAt", "MfaVerifiedAt", "CreatedAt")


@dataclass(frozen=True)
class CurrentProvider:
    provider_id: str
    email: str
    full_name: str
    session_id: str
    mfa_verified: bool


class ProviderSessions:
    """Sessions of providers; a provider who is no longer active is signed out."""

    cookie = PROVIDER_COOKIE

    def start(self, databases: Databases, provider_id: str, now: datetime) -> str:
        """A password-only session; the cookie's token."""
        token, sid = new_session()

        def work(txn: Transaction) -> None:
            row = (provider_id, sid, now + SESSION_LIFETIME, None, spanner.COMMIT_TIMESTAMP)
            txn.insert("ProviderSessions", columns=_COLUMNS, values=[row])

        run_write(databases.clinic, work)
        return token

    def load(self, databases: Databases, token: str) -> CurrentProvider | None:
        row = query_one(
            databases.clinic,
            """
            SELECT s.ProviderID, s.SessionID, s.MfaVerifiedAt, p.Email, p.FullName, p.Status
            FROM ProviderSessions@{FORCE_INDEX=ProviderSessionsBySessionID} AS s
            JOIN Providers AS p ON p.ProviderID = s.ProviderID
            WHERE s.SessionID = @sid AND s.ExpiresAt > CURRENT_TIMESTAMP()
            """,
            {"sid": session_id(token)},
        )
        if row is None or row["Status"] != ACTIVE:
            return None
        return CurrentProvider(
            row["ProviderID"], row["Email"], row["FullName"], row["SessionID"],
            mfa_verified=row["MfaVerifiedAt"] is not None,
        )  # fmt: skip

    def end(self, databases: Databases, token: str) -> None:
        run_write(
            databases.clinic,
            lambda txn: tx_update(
                txn,
                "DELETE FROM ProviderSessions WHERE SessionID = @sid",
                {"sid": session_id(token)},
            ),
        )

    def replace(self, databases: Databases, old_session_id: str, new_session_id: str) -> bool:
        """The session takes a new id (its row moved, in one transaction): the old token no
        longer opens it. False when the session is gone."""

        def work(txn: Transaction) -> bool:
            rows = tx_query(
                txn,
                "SELECT ProviderID, SessionID, ExpiresAt, MfaVerifiedAt, CreatedAt "
                "FROM ProviderSessions@{FORCE_INDEX=ProviderSessionsBySessionID} "
                "WHERE SessionID = @sid",
                {"sid": old_session_id},
            )
            if not rows:
                return False
            old = rows[0]
            txn.delete(
                "ProviderSessions", spanner.KeySet(keys=[[old["ProviderID"], old_session_id]])
            )
            txn.insert("ProviderSessions", columns=_COLUMNS, values=[(
                old["ProviderID"], new_session_id, old["ExpiresAt"], old["MfaVerifiedAt"],
                old["CreatedAt"],
            )])  # fmt: skip
            return True

        return run_write(databases.clinic, work)

    def mark_verified(self, databases: Databases, provider_id: str, sid: str, now: datetime) -> int:
        """Both factors given: the session ``sid`` opens patient pages from now on; the rows
        changed (0: the session is gone)."""
        return run_write(
            databases.clinic,
            lambda txn: tx_update(
                txn,
                "UPDATE ProviderSessions SET MfaVerifiedAt = @now "
                "WHERE ProviderID = @provider AND SessionID = @sid",
                {"now": now, "provider": provider_id, "sid": sid},
            ),
        )


PROVIDER_SESSIONS = ProviderSessions()
