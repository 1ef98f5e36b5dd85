/* Names sort before their parents, so load order must come from the schema. */
CREATE TABLE Members (
  TenantId STRING(36) NOT NULL,
  MemberId INT64 NOT NULL,
  Email STRING(200) NOT NULL,
) PRIMARY KEY (TenantId, MemberId),
  INTERLEAVE IN PARENT Tenants ON DELETE CASCADE;

CREATE TABLE Coupons (
  Code STRING(20) NOT NULL,
  TenantId STRING(36),
  CONSTRAINT FK_CouponTenant FOREIGN KEY (TenantId) REFERENCES Tenants (TenantId),
) PRIMARY KEY (Code);

CREATE TABLE Awards (
  AwardId INT64 NOT NULL,
  TenantId STRING(36) NOT NULL,
  MemberId INT64 NOT NULL,
  CONSTRAINT FK_AwardMember FOREIGN KEY (TenantId, MemberId)
    REFERENCES Members (TenantId, MemberId),
) PRIMARY KEY (AwardId);
