"""An administrator unlocks a provider's blocked second factor (the second lock in a row
blocks it: app/clinic/mfa.py), after checking who asks, outside the app:

    python -m app.clinic.unlock dr.lee@hospital.com --by "Ada Admin"

The factor's count, lock and block are cleared in one transaction, and the unlock is audited
(MFA_UNLOCKED, naming the administrator) before it is written: no audit, no unlock.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Sequence

from google.cloud.spanner_v1.transaction import Transaction

from app.clinic import audit
from app.clinic.product import PRODUCT
from app.platform.db import Databases, connect, query_one, run_write, tx_update
from app.platform.settings import SettingsError, load_settings

CONSOLE = "administrator console"  # the audit's address of an unlock: no client connection


def unlock_second_factor(databases: Databases, email: str, administrator: str) -> str | None:
    """Clear the provider's lock and block; their ProviderID, or None when no such provider
    has a second factor."""
    row = query_one(
        databases.clinic,
        "SELECT p.ProviderID FROM Providers AS p JOIN ProviderMfa AS m "
        "ON m.ProviderID = p.ProviderID WHERE LOWER(p.Email) = LOWER(@email)",
        {"email": email.strip()},
    )
    if row is None:
        return None
    provider_id = row["ProviderID"]
    audit.record(databases.audit, audit.Trail(str(uuid.uuid4()), CONSOLE), audit.Entry(
        audit.MFA_UNLOCKED, provider_id, audit.PROVIDER, provider_id,
        details=f"unlocked by {administrator}"[: audit.MAX_DETAILS],
    ))  # fmt: skip

    def work(txn: Transaction) -> int:
        return tx_update(
            txn,
            "UPDATE ProviderMfa SET FailedAttempts = 0, LockedUntil = NULL, LocksInARow = 0, "
            "BlockedAt = NULL WHERE ProviderID = @provider",
            {"provider": provider_id},
        )

    run_write(databases.clinic, work)
    return provider_id


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.clinic.unlock",
        description="Unlock a provider's blocked second factor; settings from the environment.",
    )
    parser.add_argument("email", help="the provider's email")
    parser.add_argument("--by", required=True, help="the administrator's name (audited)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(PRODUCT)
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    databases = connect(settings)
    try:
        provider_id = unlock_second_factor(databases, args.email, args.by)
    finally:
        databases.close()
    if provider_id is None:
        print(f"no provider with a second factor has the email {args.email!r}", file=sys.stderr)
        return 1
    print(f"unlocked the second factor of {args.email} ({provider_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
