"""Everything Spanner: emulator backends, schemas, databases, fixtures, reset, queries, checks."""
