"""The SQL behind the domain steps: one function per question the features ask of Spanner."""
