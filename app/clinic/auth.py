"""Who logs in at /login: an active provider with the right password, who then owes the
second factor (/mfa) before any patient page opens."""

from __future__ import annotations

from collections.abc import Sequence

from google.cloud.spanner_v1.database import Database

from app.clinic.dates import utc_now
from app.clinic.sessions import ACTIVE, PROVIDER_SESSIONS
from app.platform.db import Databases, query_one
from app.platform.password_upgrade import upgrade_password_hash
from app.platform.security import verify_password
from app.platform.sessions import Granted, Refused, SessionStore

LANDING = "/mfa"


def check_credentials(database: Database, email: str, password: str) -> str | None:
    """The ProviderID when the email and password match an active provider, else None; their
    password hash is then upgraded to the current parameters if it was made with others."""
    row = query_one(
        database,
        "SELECT ProviderID, Status, PasswordHash FROM Providers WHERE LOWER(Email) = LOWER(@email)",
        {"email": email.strip()},
    )
    password_hash = row["PasswordHash"] if row else None
    # verify first, whatever the row: an unknown email costs the same time as a known one
    if not verify_password(password_hash, password) or row is None or row["Status"] != ACTIVE:
        return None
    _upgrade_hash(database, row["ProviderID"], row["PasswordHash"], password)
    return row["ProviderID"]


def password_matches(database: Database, provider_id: str, password: str) -> bool:
    """Whether ``password`` is the provider's password (asked again to sign)."""
    row = query_one(
        database,
        "SELECT PasswordHash FROM Providers WHERE ProviderID = @provider",
        {"provider": provider_id},
    )
    if not verify_password(row["PasswordHash"] if row else None, password) or row is None:
        return False
    _upgrade_hash(database, provider_id, row["PasswordHash"], password)
    return True


def _upgrade_hash(database: Database, provider_id: str, password_hash: str, password: str) -> None:
    """After a successful check: the hash with the current parameters, if it was not."""
    upgrade_password_hash(
        database,
        """
        UPDATE Providers SET PasswordHash = @new_hash
        WHERE ProviderID = @provider AND PasswordHash = @old_hash
        """,
        {"provider": provider_id},
        password_hash,
        password,
    )


class ClinicAuthenticator:
    """Providers only: the clinic has no other kind of account."""

    @property
    def stores(self) -> Sequence[SessionStore[object]]:
        return (PROVIDER_SESSIONS,)

    def log_in(self, databases: Databases, email: str, password: str) -> Granted | Refused | None:
        provider_id = check_credentials(databases.clinic, email, password)
        if provider_id is None:
            return None
        token = PROVIDER_SESSIONS.start(databases, provider_id, utc_now())
        return Granted(PROVIDER_SESSIONS.cookie, token, LANDING)
