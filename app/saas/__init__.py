"""The multi-tenant SaaS platform: sign-up, onboarding, billing, usage and tenant admin."""
