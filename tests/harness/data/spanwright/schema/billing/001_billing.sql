-- The secondary database of a Spanwright-style project (the product calls it billing).
CREATE TABLE Analytics (
  AnalyticsID STRING(36) NOT NULL,
  UserID STRING(36) NOT NULL,
  EventType STRING(50) NOT NULL,
  PageURL STRING(200),
  Day DATE,
) PRIMARY KEY (AnalyticsID);

CREATE TABLE UserLogs (
  LogID STRING(36) NOT NULL,
  UserID STRING(36) NOT NULL,
  Action STRING(50) NOT NULL,
  Meta JSON,
  CreatedAt TIMESTAMP,
) PRIMARY KEY (LogID);
