"""Whether invoices are emailed to a tenant's billing contact (billing database).

Every tenant starts with yes (no InvoicePreferences row); only someone who manages the tenant's
billing (an administrator, as for plan changes) may change it.
"""

from __future__ import annotations

from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import query_one, run_write
from app.saas.sessions import CurrentUser

NOT_ALLOWED = "Only administrators can change whether invoices are emailed."


class NotAllowedError(PermissionError):
    """The person may not change the tenant's billing."""


def emails_invoices(db: Database, tenant_id: str) -> bool:
    """The tenant's choice; yes until someone saves another."""
    row = query_one(
        db, "SELECT EmailInvoices FROM InvoicePreferences WHERE TenantID = @t", {"t": tenant_id}
    )
    return True if row is None else bool(row["EmailInvoices"])


def save_invoice_emails(db: Database, user: CurrentUser, wanted: bool) -> None:
    """Store the choice for the person's own tenant; NotAllowedError unless they manage billing."""
    if not user.is_admin:
        raise NotAllowedError(NOT_ALLOWED)

    def work(txn: Transaction) -> None:
        txn.insert_or_update(
            "InvoicePreferences",
            columns=("TenantID", "EmailInvoices", "UpdatedBy", "UpdatedAt"),
            values=[(user.tenant_id, wanted, user.user_id, spanner.COMMIT_TIMESTAMP)],
        )

    run_write(db, work)
