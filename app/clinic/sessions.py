"""Providers' sessions (ProviderSessions): the cookie holds a token, the table its SHA-256.

A session starts with the password alone (MfaVerifiedAt NULL) and is marked verified when the
second factor is accepted (app/clinic/mfa.py); only then do patient pages open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from google.cloud import spanner
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import Databases, query_one, run_write, tx_update
from app.platform.sessions import SESSION_LIFETIME, new_session, session_id

PROVIDER_COOKIE = "provider_session"
ACTIVE = "active"


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
            txn.insert(
                "ProviderSessions",
                columns=("ProviderID", "SessionID", "ExpiresAt", "MfaVerifiedAt", "CreatedAt"),
                values=[(provider_id, sid, now + SESSION_LIFETIME, None, spanner.COMMIT_TIMESTAMP)],
            )

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

    def mark_verified(self, databases: Databases, provider: CurrentProvider, now: datetime) -> None:
        """Both factors given: the session opens patient pages from now on."""
        run_write(
            databases.clinic,
            lambda txn: tx_update(
                txn,
                "UPDATE ProviderSessions SET MfaVerifiedAt = @now "
                "WHERE ProviderID = @provider AND SessionID = @sid",
                {"now": now, "provider": provider.provider_id, "sid": provider.session_id},
            ),
        )


PROVIDER_SESSIONS = ProviderSessions()
