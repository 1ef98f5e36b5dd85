-- The billing-service database of the brief: subscriptions, usage, invoices.
CREATE TABLE Subscriptions (
  SubscriptionID STRING(36) NOT NULL,
  TenantID STRING(36) NOT NULL,
  Plan STRING(50) NOT NULL,
  Status STRING(20) NOT NULL,
  BillingCycle STRING(20) NOT NULL,
  Amount NUMERIC NOT NULL,
  Currency STRING(3) NOT NULL,
  NextBillingDate DATE NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (SubscriptionID);

CREATE INDEX SubscriptionsByTenant ON Subscriptions(TenantID);

CREATE TABLE UsageMetrics (
  MetricID STRING(36) NOT NULL,
  TenantID STRING(36) NOT NULL,
  MetricType STRING(50) NOT NULL,
  Value INT64 NOT NULL,
  Period DATE NOT NULL, -- the America/Los_Angeles day of RecordedAt, as CURRENT_DATE() sees it
  RecordedAt TIMESTAMP, -- when the usage happened, as the reporting client says (not in the brief)
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (TenantID, Period, MetricType, MetricID);

CREATE TABLE Invoices (
  InvoiceID STRING(36) NOT NULL,
  TenantID STRING(36) NOT NULL,
  Amount NUMERIC NOT NULL,
  Status STRING(20) NOT NULL,
  DueDate DATE NOT NULL,
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp=true),
) PRIMARY KEY (InvoiceID);

CREATE INDEX InvoicesByTenant ON Invoices(TenantID);
