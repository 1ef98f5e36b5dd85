"""The setup wizard: organisation -> profile -> billing -> complete (users database).

Each step's write checks, in its transaction, that the tenant is still on that step, so a
step can neither be skipped nor applied twice.
"""

from __future__ import annotations

from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import run_write, tx_query, tx_update
from app.platform.security import hash_password

STEPS = ("organisation", "profile", "billing", "complete")
COMPANY_SIZES = ("1-10", "11-50", "51-100", "100-500", "500+")
INDUSTRIES = ("technology", "finance", "healthcare", "education", "retail", "other")


class StepError(RuntimeError):
    """The tenant is not on the step being submitted."""


def step_path(step: str) -> str:
    return "/dashboard" if step == "complete" else f"/onboarding/{step}"


def organisation_problems(company_size: str, industry: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if company_size.strip() not in COMPANY_SIZES:
        problems["company_size"] = f"Company size must be one of: {', '.join(COMPANY_SIZES)}."
    if industry not in INDUSTRIES:
        problems["industry"] = "Choose an industry from the list."
    return problems


def _advance(txn: Transaction, tenant_id: str, expected: str, following: str) -> None:
    rows = tx_query(
        txn, "SELECT OnboardingStep FROM TenantProfiles WHERE TenantID = @t", {"t": tenant_id}
    )
    if not rows or rows[0]["OnboardingStep"] != expected:
        raise StepError(f"tenant {tenant_id} is not on step {expected}")
    txn.update(
        "TenantProfiles",
        columns=("TenantID", "OnboardingStep", "UpdatedAt"),
        values=[(tenant_id, following, spanner.COMMIT_TIMESTAMP)],
    )


def save_organisation(db: Database, tenant_id: str, company_size: str, industry: str) -> None:
    def work(txn: Transaction) -> None:
        _advance(txn, tenant_id, "organisation", "profile")
        txn.update(
            "TenantProfiles",
            columns=("TenantID", "CompanySize", "Industry"),
            values=[(tenant_id, company_size.strip(), industry)],
        )

    run_write(db, work)


def save_profile(
    db: Database, tenant_id: str, user_id: str, first_name: str, last_name: str, password: str
) -> None:
    password_hash = hash_password(password)  # slow on purpose: outside the transaction
    ts = spanner.COMMIT_TIMESTAMP

    def work(txn: Transaction) -> None:
        _advance(txn, tenant_id, "profile", "billing")
        txn.insert_or_update(
            "UserProfiles",
            columns=("TenantID", "UserID", "FirstName", "LastName", "UpdatedAt"),
            values=[(tenant_id, user_id, first_name, last_name, ts)],
        )
        txn.insert_or_update(
            "UserCredentials",
            columns=("TenantID", "UserID", "PasswordHash", "UpdatedAt"),
            values=[(tenant_id, user_id, password_hash, ts)],
        )

    run_write(db, work)


def complete_onboarding(db: Database, tenant_id: str) -> None:
    """Last step, after billing is set up; safe to repeat."""

    def work(txn: Transaction) -> None:
        tx_update(
            txn,
            """
            UPDATE Tenants SET Status = @active, UpdatedAt = PENDING_COMMIT_TIMESTAMP()
            WHERE TenantID = @t AND Status = @onboarding
            """,
            {"active": "active", "t": tenant_id, "onboarding": "onboarding"},
        )
        tx_update(
            txn,
            """
            UPDATE TenantProfiles SET OnboardingStep = @complete,
                   UpdatedAt = PENDING_COMMIT_TIMESTAMP()
            WHERE TenantID = @t
            """,
            {"complete": "complete", "t": tenant_id},
        )

    run_write(db, work)
