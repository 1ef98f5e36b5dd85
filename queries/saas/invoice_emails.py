"""The SQL behind a tenant's choice of invoice emails (InvoicePreferences, in the billing
database; no row means invoices are emailed). Every value is a query parameter."""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, query


def invoice_choices_of(db: Database, tenant_id: str) -> list[Row]:
    """The tenant's stored choices (at most one): EmailInvoices and who made it."""
    return query(
        db,
        "SELECT EmailInvoices, UpdatedBy FROM InvoicePreferences WHERE TenantID = @tenant",
        {"tenant": tenant_id},
    )
