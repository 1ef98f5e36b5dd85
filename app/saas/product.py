"""The SaaS platform's declaration to the shared platform (app/platform)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from app.platform.product import AppProduct
from app.saas.auth import SaasAuthenticator
from app.saas.payments import Gateway
from app.saas.routes import admin, billing, dashboard, dashboard_api, onboarding, signup, usage_api
from app.saas.rules_settings import SignupRules
from app.saas.suspension import repair_at_startup


def _services() -> Mapping[str, object]:
    return {"gateway": Gateway(), "signup_rules": SignupRules.from_env()}


PRODUCT = AppProduct(
    title="SaaS Platform",
    databases=("users", "billing"),
    routers=tuple(
        module.router
        for module in (signup, onboarding, dashboard, dashboard_api, billing, usage_api, admin)
    ),
    templates=Path(__file__).parent / "templates",
    authenticator=SaasAuthenticator(),
    mail_from="no-reply@saas.example.com",
    support_email="support@saas.example.com",
    startup=repair_at_startup,
    services=_services,
)
