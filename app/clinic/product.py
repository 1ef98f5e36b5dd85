"""The clinic's declaration to the shared platform (app/platform)."""

from __future__ import annotations

from pathlib import Path

from app.clinic.auth import ClinicAuthenticator
from app.clinic.routes import guard, home, mfa, patients, prescriptions, visits
from app.clinic.routes.home import audit_sign_out
from app.clinic.settling import reconcile
from app.clinic.sign_in_audit import audit_failed_sign_in
from app.platform.db import Databases
from app.platform.product import AppProduct


def settle_pending_audit(databases: Databases) -> None:
    """At start: settle the audit intents an earlier run left pending (app/clinic/audit.py)."""
    reconcile(databases)


PRODUCT = AppProduct(
    title="Healthcare clinic",
    databases=("clinic", "audit"),
    # guard last: it answers the /patients addresses no other route does
    routers=tuple(m.router for m in (home, mfa, patients, visits, prescriptions, guard)),
    templates=Path(__file__).parent / "templates",
    authenticator=ClinicAuthenticator(),
    mail_from="no-reply@clinic.example.com",
    support_email="support@clinic.example.com",
    startup=settle_pending_audit,
    # HIPAA's automatic logoff: 15 minutes without a page (APP_SESSION_IDLE_MINUTES overrides)
    session_idle_minutes=15,
    sign_in_failed=audit_failed_sign_in,
    signing_out=audit_sign_out,
)
