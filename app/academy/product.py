"""The academy's declaration to the shared platform (app/platform)."""

from __future__ import annotations

from pathlib import Path

from app.academy.auth import AcademyAuthenticator
from app.academy.routes import assignment, courses, modules, quiz
from app.academy.rules_settings import services
from app.platform.product import AppProduct

PRODUCT = AppProduct(
    title="E-learning academy",
    databases=("academy",),
    routers=tuple(module.router for module in (courses, modules, quiz, assignment)),
    templates=Path(__file__).parent / "templates",
    authenticator=AcademyAuthenticator(),
    mail_from="no-reply@academy.example.com",
    support_email="support@academy.example.com",
    services=services,
)
