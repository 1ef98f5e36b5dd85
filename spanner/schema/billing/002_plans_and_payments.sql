-- The price list, and the cards on file (never the full number or the CVC).
CREATE TABLE Plans (
  PlanID STRING(50) NOT NULL,
  DisplayName STRING(100) NOT NULL,
  Amount NUMERIC NOT NULL, -- price per billing cycle
  Currency STRING(3) NOT NULL,
  BillingCycle STRING(20) NOT NULL,
  Tier INT64 NOT NULL, -- higher is a bigger plan; an upgrade moves to a higher tier
) PRIMARY KEY (PlanID);

CREATE TABLE PaymentMethods (
  TenantID STRING(36) NOT NULL,
  PaymentMethodID STRING(36) NOT NULL,
  Brand STRING(20) NOT NULL,
  Last4 STRING(4) NOT NULL,
  ExpiryMonth INT64 NOT NULL,
  ExpiryYear INT64 NOT NULL,
  BillingAddress STRING(500) NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, PaymentMethodID);
