"""Reference web apps under test: the shared platform and one package per product."""
