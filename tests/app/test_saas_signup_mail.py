"""When the verification email cannot be sent, the person signing up is told that their
organisation was created and whom to write to (an answer of its own, 502), not a server error;
the organisation waits for its admin to confirm, as any other. A browser-level run has one mail
server for the whole run, which takes every message, so no scenario can make sending fail
(signing_up_and_in.feature names this test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from csrf_client import browser_client
from fastapi.testclient import TestClient
from saas_testkit import find_tenant

from app.platform.db import Databases
from app.platform.settings import Settings, load_settings
from app.platform.web import create_app
from app.saas.product import PRODUCT
from base.ports import free_port


@pytest.fixture()
def no_mail_settings(app_env: dict[str, str]) -> Settings:
    """The app's settings with a mail server that is not there: every message is refused."""
    return load_settings(PRODUCT, {**app_env, "APP_SMTP_PORT": str(free_port())})


@pytest.fixture()
def client_without_mail(no_mail_settings: Settings, databases: Databases) -> Iterator[TestClient]:
    app = create_app(PRODUCT, no_mail_settings, databases)
    with browser_client(app, follow_redirects=False) as client:
        yield client


def test_a_verification_email_that_cannot_be_sent_is_told_with_whom_to_contact(
    client_without_mail: TestClient,
    no_mail_settings: Settings,
    databases: Databases,
    unique: str,
) -> None:
    r = client_without_mail.post(
        "/signup",
        data={"company_name": f"No Mail {unique}", "domain": f"{unique}.example.com",
              "admin_email": f"admin@{unique}.example.com", "plan": "basic"},
    )  # fmt: skip
    assert r.status_code == 502, "a verification email not sent must be told, not a server error"
    assert (
        "Your organisation was created, but we could not send the verification email. "
        f"Please contact {no_mail_settings.support_email}."
    ) in r.text
    tenant = find_tenant(databases, f"{unique}.example.com")
    assert (tenant["Name"], tenant["Status"]) == (f"No Mail {unique}", "pending_verification")
