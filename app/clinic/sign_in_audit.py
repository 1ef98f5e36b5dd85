"""Sign-ins that do not get in, audited (the platform tells the clinic of each one:
AppProduct.sign_in_failed): SIGN_IN_FAILED for every refusal, and SIGN_IN_LOCKED when this
one locked the account. An unknown email is audited without a provider and without the text
typed (it may be a password typed in the wrong field); the client's address is in every entry.
"""

from __future__ import annotations

import logging
import uuid

from app.clinic import audit
from app.platform.db import Databases, query_one
from app.platform.product import FailedSignIn

log = logging.getLogger(__name__)


def _provider_of(databases: Databases, login_name: str) -> str | None:
    row = query_one(
        databases.clinic,
        "SELECT ProviderID FROM Providers WHERE LOWER(Email) = LOWER(@email)",
        {"email": login_name},
    )
    return row["ProviderID"] if row else None


def entries(provider_id: str | None, failed: FailedSignIn) -> list[audit.Entry]:
    """SIGN_IN_FAILED with why, then SIGN_IN_LOCKED when this failure locked the account."""
    if failed.was_locked:
        why = "account locked"
    elif provider_id is None:
        why = "no such provider"
    else:
        why = "wrong password or account not active"
    found = [audit.Entry(audit.SIGN_IN_FAILED, provider_id, audit.PROVIDER, provider_id,
                         details=why)]  # fmt: skip
    if failed.locks_now:
        found.append(audit.Entry(audit.SIGN_IN_LOCKED, provider_id, audit.PROVIDER, provider_id,
                                 details="wrong passwords in a row: sign-in locked"))  # fmt: skip
    return found


def audit_failed_sign_in(databases: Databases, failed: FailedSignIn) -> None:
    """The platform's hook: write the failure's entries (the sign-in is refused either way;
    an entry that cannot be written is logged as an error)."""
    provider_id = _provider_of(databases, failed.login_name)
    trail = audit.Trail(str(uuid.uuid4()), failed.client_address[: audit.MAX_IP_ADDRESS])
    try:
        audit.record(databases.audit, trail, *entries(provider_id, failed))
    except audit.AuditUnavailable:
        log.error("a failed sign-in from %s is not audited", failed.client_address)
