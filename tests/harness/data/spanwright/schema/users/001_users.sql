-- The primary database of a Spanwright-style project (the product calls it users).
CREATE TABLE Users (
  UserID STRING(36) NOT NULL,
  Name STRING(100) NOT NULL,
  Email STRING(200) NOT NULL,
  Status INT64 NOT NULL,
  Avatar BYTES(MAX),
  CreatedAt TIMESTAMP NOT NULL,
  UpdatedAt TIMESTAMP OPTIONS (allow_commit_timestamp = true),
) PRIMARY KEY (UserID);

CREATE TABLE Products (
  ProductID STRING(36) NOT NULL,
  Name STRING(100) NOT NULL,
  Price INT64 NOT NULL,
  CategoryID STRING(36),
  IsActive BOOL NOT NULL,
) PRIMARY KEY (ProductID);
