"""Reference multi-tenant SaaS platform: the system under test of the acceptance suite."""
