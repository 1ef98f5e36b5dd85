"""Fixtures for the app's tests: the SaaS databases on the shared emulator, an SMTP sink, the app.

The emulator is the session fixture `emulator` of tests/conftest.py; these tests keep to
their own project and instance, so they can share it with the harness tests.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from csrf_client import browser_client
from fastapi.testclient import TestClient
from google.cloud.spanner_v1.instance import Instance

from app.platform.db import Databases, connect
from app.platform.settings import Settings, load_settings
from app.platform.web import create_app
from app.saas.product import PRODUCT
from base.ports import free_port
from spanner.databases import connect as connect_admin
from spanner.databases import create_database, ensure_instance
from spanner.emulator import Backend
from spanner.schema import schema_statements

PROJECT, INSTANCE = "app-tests", "app-instance"
# Not the defaults (test-users, test-billing): the app must follow APP_DATABASE_<NAME>.
DATABASE_IDS = {"users": "app-users", "billing": "app-billing"}
PLANS = [
    ("basic", "Basic", Decimal("49.00"), "USD", "monthly", 1),
    ("professional", "Professional", Decimal("149.00"), "USD", "monthly", 2),
    ("enterprise", "Enterprise", Decimal("499.00"), "USD", "monthly", 3),
]


@pytest.fixture(scope="session")
def spanner_instance(emulator: Backend) -> Iterator[Instance]:
    """The app tests' instance with fresh `users` and `billing` databases; Plans seeded."""
    client = connect_admin(PROJECT, emulator.emulator_host)
    instance = ensure_instance(client, INSTANCE, emulator=True)
    for name, database_id in DATABASE_IDS.items():
        create_database(instance, database_id, schema_statements(name))
    with instance.database(DATABASE_IDS["billing"]).batch() as batch:
        batch.insert(
            "Plans",
            columns=("PlanID", "DisplayName", "Amount", "Currency", "BillingCycle", "Tier"),
            values=PLANS,
        )
    yield instance
    client.close()


@dataclass
class MailSink:
    messages: list[Message]
    port: int = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"

    def last_to(self, address: str) -> Message:
        found = [m for m in self.messages if m["To"] == address]
        assert found, f"no mail to {address}"
        return found[-1]


@pytest.fixture(scope="session")
def mail_sink() -> Iterator[MailSink]:
    sink = MailSink([], free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def app_env(emulator: Backend, spanner_instance: Instance, mail_sink: MailSink) -> dict[str, str]:
    """The environment the app is started with (its whole contract)."""
    return {
        "SPANNER_EMULATOR_HOST": str(emulator.emulator_host),
        "SPANNER_PROJECT": PROJECT,
        "SPANNER_INSTANCE": INSTANCE,
        "APP_DATABASE_USERS": DATABASE_IDS["users"],
        "APP_DATABASE_BILLING": DATABASE_IDS["billing"],
        "APP_SMTP_PORT": str(mail_sink.port),
        "APP_PUBLIC_URL": "http://testserver",
    }


@pytest.fixture(scope="session")
def settings(app_env: dict[str, str]) -> Settings:
    return load_settings(PRODUCT, app_env)


@pytest.fixture(scope="session")
def databases(settings: Settings) -> Iterator[Databases]:
    dbs = connect(settings)
    yield dbs
    dbs.close()


@pytest.fixture()
def client(settings: Settings, databases: Databases) -> Iterator[TestClient]:
    with browser_client(create_app(PRODUCT, settings, databases), follow_redirects=False) as client:
        yield client


@pytest.fixture()
def unique() -> str:
    return uuid.uuid4().hex[:10]
