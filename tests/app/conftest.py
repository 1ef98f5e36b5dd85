"""Fixtures for the app's tests: a real Cloud Spanner emulator, an SMTP sink, the app.

Temporary: a shared emulator fixture will replace the one here.
"""

from __future__ import annotations

import re
import socket
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from google.api_core.exceptions import ServiceUnavailable
from google.auth.credentials import AnonymousCredentials
from google.cloud import spanner
from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_exponential

from app.config import Settings, load_settings
from app.db import Databases, connect
from app.web import create_app

EMULATOR = Path("/usr/lib/google-cloud-sdk/bin/cloud_spanner_emulator/emulator_main")
SCHEMA = Path(__file__).resolve().parents[2] / "spanner" / "schema"
PROJECT, INSTANCE = "test-project", "test-instance"
PLANS = [
    ("basic", "Basic", Decimal("49.00"), "USD", "monthly", 1),
    ("professional", "Professional", Decimal("149.00"), "USD", "monthly", 2),
    ("enterprise", "Enterprise", Decimal("499.00"), "USD", "monthly", 3),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ddl(database: str) -> list[str]:
    statements: list[str] = []
    for path in sorted((SCHEMA / database).glob("*.sql")):
        text = re.sub(r"--[^\n]*", "", path.read_text())
        statements += [s.strip() for s in text.split(";") if s.strip()]
    return statements


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    def connect_once() -> None:
        if process.poll() is not None:
            raise RuntimeError(f"emulator exited with {process.returncode}")
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            pass

    for attempt in Retrying(
        retry=retry_if_exception_type(OSError),
        wait=wait_exponential(multiplier=0.02, max=0.5),
        stop=stop_after_delay(30),
        reraise=True,
    ):
        with attempt:
            connect_once()


@pytest.fixture(scope="session")
def emulator_host() -> Iterator[str]:
    if not EMULATOR.exists():
        pytest.skip(f"Spanner emulator not installed at {EMULATOR}")
    port = _free_port()
    process = subprocess.Popen(
        [str(EMULATOR), "--host_port", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process)
        host = f"127.0.0.1:{port}"
        _create_databases(host)
        yield host
    finally:
        process.terminate()
        process.wait(timeout=30)


def _create_databases(host: str) -> None:
    client = spanner.Client(
        project=PROJECT,
        credentials=AnonymousCredentials(),
        client_options={"api_endpoint": host},
        disable_builtin_metrics=True,
    )
    instance = client.instance(
        INSTANCE,
        configuration_name=f"projects/{PROJECT}/instanceConfigs/emulator-config",
        display_name="app tests",
        node_count=1,
    )
    for attempt in Retrying(
        retry=retry_if_exception_type(ServiceUnavailable),
        wait=wait_exponential(multiplier=0.05, max=1),
        stop=stop_after_delay(30),
        reraise=True,
    ):
        with attempt:
            instance.create().result(timeout=60)
    for name in ("primary", "secondary"):
        instance.database(f"test-{name}", ddl_statements=_ddl(name)).create().result(timeout=120)
    secondary = instance.database("test-secondary")
    with secondary.batch() as batch:
        batch.insert(
            "Plans",
            columns=("PlanID", "DisplayName", "Amount", "Currency", "BillingCycle", "Tier"),
            values=PLANS,
        )
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
    sink = MailSink([], _free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def settings(emulator_host: str, mail_sink: MailSink) -> Settings:
    return load_settings(
        {
            "SPANNER_EMULATOR_HOST": emulator_host,
            "APP_SMTP_PORT": str(mail_sink.port),
            "APP_PUBLIC_URL": "http://testserver",
        }
    )


@pytest.fixture(scope="session")
def databases(settings: Settings) -> Iterator[Databases]:
    dbs = connect(settings)
    yield dbs
    dbs.close()


@pytest.fixture()
def client(settings: Settings, databases: Databases) -> Iterator[TestClient]:
    with TestClient(create_app(settings, databases), follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture()
def unique() -> str:
    return uuid.uuid4().hex[:10]
