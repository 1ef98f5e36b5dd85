"""Who may claim a domain at sign-up, and how long an unconfirmed sign-up holds it.

- Only an address at the domain (or one of its subdomains) may sign the domain up.
- A sign-up holds its domain and its admin's address until its emailed link runs out
  (app/saas/rules_settings.py: 24 hours by default); after that the next sign-up of either
  removes it.
- An address that already has an account makes no second one; the form does not say so,
  the address's owner is told by email instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from google.cloud import spanner
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import tx_query
from app.saas.validation import FieldError

PENDING = "pending_verification"


def check_email_at_domain(email: str, domain: str) -> None:
    """The admin's address must be at the domain or a subdomain (both already cleaned)."""
    host = email.rpartition("@")[2]
    if host != domain and not host.endswith("." + domain):
        raise FieldError(
            "admin_email",
            f"Use an email address at {domain} or one of its subdomains: only someone at the "
            "company's domain may sign it up.",
        )


def _is_expired_pending(txn: Transaction, tenant_id: str, now: datetime) -> bool:
    """A sign-up still waiting for its email, whose every link is unused and has run out."""
    rows = tx_query(
        txn,
        """
        SELECT t.Status,
               (SELECT COUNT(*) FROM EmailVerifications AS v
                WHERE v.TenantID = t.TenantID
                  AND (v.UsedAt IS NOT NULL OR v.ExpiresAt > @now)) AS LiveLinks
        FROM Tenants AS t WHERE t.TenantID = @tenant
        """,
        {"tenant": tenant_id, "now": now},
    )
    return bool(rows) and rows[0]["Status"] == PENDING and rows[0]["LiveLinks"] == 0


@dataclass(frozen=True)
class Claim:
    """What a sign-up may do: ``existing_account`` names the address's owner when it already
    has an account (then nothing is written); ``expired`` are sign-ups to remove first."""

    existing_account: str | None
    expired: tuple[str, ...]


def claim(txn: Transaction, domain: str, email: str, now: datetime) -> Claim:
    """Raises FieldError when the domain is held; otherwise says what the sign-up may do."""
    expired: list[str] = []
    holder = tx_query(txn, "SELECT TenantID FROM Tenants WHERE Domain = @d", {"d": domain})
    if holder:
        if not _is_expired_pending(txn, holder[0]["TenantID"], now):
            raise FieldError("domain", "This domain is already registered.")
        expired.append(holder[0]["TenantID"])
    owner = tx_query(
        txn,
        "SELECT TenantID, Email FROM Users WHERE LOWER(Email) = LOWER(@email)",
        {"email": email},
    )
    if owner:
        tenant_id = owner[0]["TenantID"]
        if tenant_id not in expired and not _is_expired_pending(txn, tenant_id, now):
            return Claim(existing_account=owner[0]["Email"], expired=())
        if tenant_id not in expired:
            expired.append(tenant_id)
    return Claim(existing_account=None, expired=tuple(expired))


def remove_expired(txn: Transaction, claim_: Claim) -> None:
    """Deletes the expired sign-ups (their admin, links and wizard state go with them)."""
    if claim_.expired:
        txn.delete("Tenants", spanner.KeySet(keys=[[tenant_id] for tenant_id in claim_.expired]))
