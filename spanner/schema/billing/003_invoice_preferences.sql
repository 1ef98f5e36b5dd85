-- Whether a tenant's billing contact wants each invoice emailed. One row per tenant, written
-- when someone who manages the tenant's billing saves the choice; no row reads as yes.
-- The tenant's, not a subscription's: a plan change (a new Subscriptions row) keeps it.
CREATE TABLE InvoicePreferences (
  TenantID STRING(36) NOT NULL,
  EmailInvoices BOOL NOT NULL,
  UpdatedBy STRING(36) NOT NULL, -- the UserID of who saved it
  UpdatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID);
