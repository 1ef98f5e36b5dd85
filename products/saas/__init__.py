"""The multi-tenant SaaS platform: sign-up with billing, upgrades, usage, suspension."""

from __future__ import annotations

from harness.products import Product

PRODUCT = Product(
    name="saas",
    title="SaaS platform",
    # the brief's "User Service" and "Billing Service" databases
    databases=("users", "billing"),
    app_module="app.saas",
    # Spanwright-style scenarios name them primary and secondary
    aliases={"primary": "users", "secondary": "billing"},
    steps=("steps/saas",),
    pages="pages.saas",
    queries="queries.saas",
    page_paths={
        "home": "/",
        "sign-up": "/signup",
        "sign-in": "/login",
        "dashboard": "/dashboard",
        "organisation": "/onboarding/organisation",
        "profile": "/onboarding/profile",
        "billing": "/onboarding/billing",
        "billing settings": "/settings/billing",
        "plans": "/settings/billing/upgrade",
        "usage": "/billing/usage",
        "operator console": "/admin/tenants",
    },
)
