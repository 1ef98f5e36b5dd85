-- statement 1 is fine, statement 2 names a type Spanner does not have
CREATE TABLE Others (Id INT64 NOT NULL) PRIMARY KEY (Id);
CREATE TABLE Broken (Id INT64 NOT NULL, Size WHOLENUMBER) PRIMARY KEY (Id);
