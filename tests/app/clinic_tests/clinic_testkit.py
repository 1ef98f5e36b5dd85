"""What the clinic's HTTP tests share: its two databases on the shared emulator seeded with the
common fixtures, providers made per test (each with its own secret and key, so no two tests
compete for one authenticator's steps), signing in with both factors, and reading rows back."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from csrf_client import browser_client
from fastapi.testclient import TestClient
from google.cloud import spanner
from google.cloud.spanner_v1.instance import Instance

from app.clinic.dates import utc_now
from app.clinic.keys import SigningKey, new_signing_key
from app.clinic.mfa import code_of, step_at
from app.clinic.product import PRODUCT
from app.clinic.signing import SignedContent
from app.platform.db import Databases, Row, connect, query
from app.platform.settings import load_settings
from app.platform.web import create_app
from harness.products import FIXTURES_ROOT
from products.clinic import rules
from spanner.databases import create_database
from spanner.emulator import Backend
from spanner.fixtures import load_seed
from spanner.live_schema import read_tables
from spanner.schema import schema_statements
from spanner.seeding import apply_seed

PASSWORD = "SecurePassword123!"
# the smallest argon2 cost, as the fixtures' hashes: signing in stays fast
_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
COMMON_FIXTURES = FIXTURES_ROOT / "common" / "clinic"
SMITH, JONES = "provider-dr-smith", "provider-dr-jones"
SMITH_EMAIL = "dr.smith@hospital.com"
JOHN_PATIENT, JANE_ROE, JOHN_FORMER, JOHNNY_LATER = (
    "patient-001",
    "patient-002",
    "patient-003",
    "patient-004",
)


@dataclass(frozen=True)
class Provider:
    provider_id: str
    email: str
    secret: str
    key: SigningKey

    def code(self, moment: datetime | None = None) -> str:
        """The code the provider's authenticator shows at ``moment`` (default: now)."""
        return code_of(self.secret, step_at(moment or utc_now()))

    def wrong_code(self) -> str:
        """A code of no step near now (so it is neither accepted nor expired)."""
        return wrong_code_for(self.secret, step_at(utc_now()))


def wrong_code_for(secret: str, step: int) -> str:
    """Six digits that are the code of none of the steps around ``step``."""
    near = {code_of(secret, s) for s in range(step - 12, step + 3)}
    return next(c for c in (f"{n:06d}" for n in range(0, 1_000_000, 1111)) if c not in near)


def app_env(emulator: Backend, instance: Instance, prefix: str) -> dict[str, str]:
    """The environment the clinic is started with (its whole contract)."""
    _, project, _, instance_id = instance.name.split("/")  # projects/<p>/instances/<i>
    return {
        "SPANNER_EMULATOR_HOST": str(emulator.emulator_host),
        "SPANNER_PROJECT": project,
        "SPANNER_INSTANCE": instance_id,
        "APP_DATABASE_CLINIC": f"{prefix}-clinic",
        "APP_DATABASE_AUDIT": f"{prefix}-audit",
        "APP_PUBLIC_URL": "http://testserver",
    }


@contextmanager
def clinic_databases(emulator: Backend, instance: Instance, prefix: str) -> Iterator[Databases]:
    """Fresh `clinic` and `audit` databases with the common fixtures; the app's handle."""
    handles = {
        name: create_database(instance, f"{prefix}-{name}", schema_statements(name))
        for name in PRODUCT.databases
    }
    schemas = {name: read_tables(handle) for name, handle in handles.items()}
    apply_seed(handles, schemas, load_seed([COMMON_FIXTURES], schemas))
    databases = connect(load_settings(PRODUCT, app_env(emulator, instance, prefix)))
    try:
        yield databases
    finally:
        databases.close()


@contextmanager
def clinic_client(
    emulator: Backend, instance: Instance, prefix: str, databases: Databases
) -> Iterator[TestClient]:
    settings = load_settings(PRODUCT, app_env(emulator, instance, prefix))
    with browser_client(create_app(PRODUCT, settings, databases), follow_redirects=False) as client:
        yield client


def add_provider(
    databases: Databases,
    failed_attempts: int = 0,
    locked_until: datetime | None = None,
    last_used_step: int | None = None,
    patients: tuple[str, ...] = (),
) -> Provider:
    """An active provider with PASSWORD, their own secret and key, and (ongoing, since a
    year) the care of ``patients``."""
    provider_id = f"provider-{uuid.uuid4().hex[:12]}"
    provider = Provider(
        provider_id, f"{provider_id}@hospital.test", pyotp.random_base32(),
        new_signing_key(PASSWORD),
    )  # fmt: skip
    ts = spanner.COMMIT_TIMESTAMP
    year_ago = utc_now() - timedelta(days=365)
    with databases.clinic.batch() as batch:
        batch.insert("Providers",
                     columns=("ProviderID", "Email", "FullName", "Status", "PasswordHash",
                              "CreatedAt"),
                     values=[(provider_id, provider.email, f"Dr. {provider_id}", "active",
                              _HASH, ts)])  # fmt: skip
        batch.insert("ProviderMfa",
                     columns=("ProviderID", "Secret", "LastUsedStep", "FailedAttempts",
                              "LockedUntil"),
                     values=[(provider_id, provider.secret, last_used_step, failed_attempts,
                              locked_until)])  # fmt: skip
        batch.insert("ProviderSigningKeys",
                     columns=("ProviderID", "KeyID", "PublicKeyPem", "EncryptedPrivateKeyPem",
                              "CreatedAt"),
                     values=[(provider_id, provider.key.key_id, provider.key.public_key_pem,
                              provider.key.encrypted_private_key_pem, ts)])  # fmt: skip
        if patients:
            batch.insert("CareRelationships",
                         columns=("ProviderID", "PatientID", "StartedAt", "EndedAt"),
                         values=[(provider_id, p, year_ago, None) for p in patients])  # fmt: skip
    return provider


def add_care(
    databases: Databases,
    provider_id: str,
    patient_id: str,
    started_at: datetime,
    ended_at: datetime | None = None,
) -> None:
    with databases.clinic.batch() as batch:
        batch.insert("CareRelationships",
                     columns=("ProviderID", "PatientID", "StartedAt", "EndedAt"),
                     values=[(provider_id, patient_id, started_at, ended_at)])  # fmt: skip


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """The first factor: a password-only session, sent on to /mfa."""
    r = client.post("/login", data={"email": email, "password": password})
    assert (r.status_code, r.headers.get("location")) == (303, "/mfa"), r.text


def verify(client: TestClient, provider: Provider) -> None:
    """The second factor with the authenticator's current code."""
    r = client.post("/mfa", data={"code": provider.code()})
    assert (r.status_code, r.headers.get("location")) == (303, "/patients/search"), r.text


def sign_in_fully(client: TestClient, provider: Provider) -> None:
    sign_in(client, provider.email)
    verify(client, provider)


def rows(databases: Databases, database: str, sql: str, **values: object) -> list[Row]:
    return query(databases[database], sql, values)


def audit_of(databases: Databases, provider_id: str) -> list[Row]:
    """The provider's audit entries in the order of events: CreatedAt, then Seq."""
    return rows(
        databases,
        "audit",
        "SELECT AuditID, RequestID, Seq, Action, Status, ResourceType, ResourceID, PatientID, "
        "ProviderID, IPAddress, Details, CreatedAt, CompletedAt FROM AuditLog "
        "WHERE ProviderID = @p ORDER BY CreatedAt, Seq",
        p=provider_id,
    )


def actions(databases: Databases, provider_id: str) -> list[str]:
    return [row["Action"] for row in audit_of(databases, provider_id)]


def text_of(html: str, css_class: str) -> str:
    """The text of the first element with the class, tags removed."""
    match = re.search(rf'class="{css_class}[^"]*"[^>]*>(.*?)</', html, re.S)
    assert match, f"no element of class {css_class}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def verifies(public_key_pem: str, content: SignedContent, signature: bytes) -> bool:
    """Whether the signature verifies over the content, checked the way the suite checks a
    stored prescription (products/clinic/rules.py), not with the app's own code."""
    row = {
        "PrescriptionID": content.prescription_id,
        "VisitID": content.visit_id,
        "PatientID": content.patient_id,
        "ProviderID": content.provider_id,
        "MedicationName": content.medication,
        "Dosage": content.dosage,
        "Duration": content.duration,
        "SignedAt": content.signed_at,
    }
    return rules.signature_problem(public_key_pem, signature, rules.canonical_form(row)) is None
