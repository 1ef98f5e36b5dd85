-- A parent table with one column of every type the fixtures support.
CREATE TABLE Tenants (
  TenantId STRING(36) NOT NULL,
  Name STRING(100) NOT NULL,
  Seats INT64,
  Ratio FLOAT64,
  Active BOOL,
  Balance NUMERIC,
  Founded DATE,
  RenewsOn DATE,
  CreatedAt TIMESTAMP OPTIONS (allow_commit_timestamp = true),
  SeenAt TIMESTAMP,
  Logo BYTES(MAX),
  Settings JSON,
  Tags ARRAY<STRING(MAX)>,
) PRIMARY KEY (TenantId);
