"""Sign-up, the verification email and link, and credential checks (users database)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from google.api_core.exceptions import AlreadyExists
from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import query_one, run_write, tx_query, tx_update
from app.platform.mail import send_mail
from app.platform.password_upgrade import upgrade_password_hash
from app.platform.security import new_token, sha256_hex
from app.platform.settings import Settings
from app.saas.domain_claims import check_email_at_domain, claim, remove_expired
from app.saas.sessions import insert_user_session


class VerificationError(ValueError):
    """The verification link cannot be used; the message is shown to the user."""


@dataclass(frozen=True)
class SignupRequest:
    company_name: str
    domain: str
    admin_email: str
    plan_id: str


@dataclass(frozen=True)
class UserLogin:
    """A tenant user found by email at login."""

    tenant_id: str
    user_id: str
    status: str
    tenant_status: str
    password_hash: str | None  # None: no password set yet (the wizard's profile step sets it)


@dataclass(frozen=True)
class OperatorLogin:
    """A platform operator found by email at login."""

    admin_id: str
    password_hash: str


@dataclass(frozen=True)
class SignupOutcome:
    """``token``: the new sign-up's verification token; None when the address already has an
    account (``existing_account``, as stored), and nothing was written."""

    token: str | None
    existing_account: str | None = None


def sign_up(
    db: Database, request: SignupRequest, now: datetime, lifetime: timedelta
) -> SignupOutcome:
    """Create the tenant, its admin user and a verification token valid for ``lifetime``,
    removing expired sign-ups of the same domain or address first."""
    check_email_at_domain(request.admin_email, request.domain)
    token = new_token()
    tenant_id, user_id = str(uuid.uuid4()), str(uuid.uuid4())
    ts = spanner.COMMIT_TIMESTAMP

    def work(txn: Transaction) -> SignupOutcome:
        found = claim(txn, request.domain, request.admin_email, now)
        if found.existing_account is not None:
            return SignupOutcome(None, found.existing_account)
        remove_expired(txn, found)
        txn.insert(
            "Tenants",
            columns=("TenantID", "Name", "Domain", "Plan", "Status", "CreatedAt", "UpdatedAt"),
            values=[(tenant_id, request.company_name, request.domain, request.plan_id,
                     "pending_verification", ts, ts)],
        )  # fmt: skip
        txn.insert(
            "Users",
            columns=("TenantID", "UserID", "Email", "Role", "Status", "CreatedAt"),
            values=[(tenant_id, user_id, request.admin_email, "admin",
                     "pending_verification", ts)],
        )  # fmt: skip
        txn.insert(
            "TenantProfiles",
            columns=("TenantID", "OnboardingStep", "UpdatedAt"),
            values=[(tenant_id, "organisation", ts)],
        )
        txn.insert(
            "EmailVerifications",
            columns=("TenantID", "UserID", "TokenHash", "ExpiresAt", "CreatedAt"),
            values=[(tenant_id, user_id, sha256_hex(token), now + lifetime, ts)],
        )
        return SignupOutcome(token)

    try:
        return run_write(db, work)
    except AlreadyExists:
        # A concurrent sign-up won a unique index between our check and the commit: look
        # again, so the answer is the one the check gives (never whether the address is known).
        return run_write(db, work)


def send_verification_email(settings: Settings, to: str, token: str, hours: int) -> None:
    """Mail the verification link; raises MailError when it cannot be sent."""
    link = f"{settings.public_url}/verify?token={token}"
    body = (
        "Welcome!\n\n"
        "Confirm your email address to finish setting up your organisation:\n\n"
        f"{link}\n\n"
        f"The link expires in {hours} hours. If you did not sign up, ignore this email.\n"
    )
    send_mail(settings, to, "Verify your email", body)


def send_existing_account_email(settings: Settings, to: str) -> None:
    """Tell the owner of an address that has an account that someone tried to sign it up."""
    body = (
        "Someone, perhaps you, tried to sign up a new organisation with this email address.\n\n"
        "You already have an account. Sign in here:\n\n"
        f"{settings.public_url}/login\n\n"
        "If it was not you, ignore this email: nothing was changed.\n"
    )
    send_mail(settings, to, "You already have an account", body)


def verify_email(db: Database, token: str, now: datetime) -> str:
    """Consume the token, activate the user and start onboarding; returns a session token."""
    token_hash = sha256_hex(token)

    def work(txn: Transaction) -> str:
        rows = tx_query(
            txn,
            """
            SELECT TenantID, UserID, ExpiresAt, UsedAt
            FROM EmailVerifications@{FORCE_INDEX=EmailVerificationsByToken}
            WHERE TokenHash = @hash
            """,
            {"hash": token_hash},
        )
        if not rows:
            raise VerificationError("This verification link is not valid.")
        row = rows[0]
        if row["UsedAt"] is not None:
            raise VerificationError("This verification link has already been used.")
        if row["ExpiresAt"] <= now:
            raise VerificationError("This verification link has expired.")
        tenant_id, user_id = row["TenantID"], row["UserID"]
        txn.update(
            "EmailVerifications",
            columns=("TenantID", "UserID", "TokenHash", "UsedAt"),
            values=[(tenant_id, user_id, token_hash, spanner.COMMIT_TIMESTAMP)],
        )
        txn.update(
            "Users",
            columns=("TenantID", "UserID", "Status"),
            values=[(tenant_id, user_id, "active")],
        )
        tx_update(
            txn,
            """
            UPDATE Tenants SET Status = @onboarding, UpdatedAt = PENDING_COMMIT_TIMESTAMP()
            WHERE TenantID = @tenant AND Status = @pending
            """,
            {"onboarding": "onboarding", "tenant": tenant_id, "pending": "pending_verification"},
        )
        return insert_user_session(txn, tenant_id, user_id, now)

    if not token or len(token) > 200:
        raise VerificationError("This verification link is not valid.")
    return run_write(db, work)


def find_user(db: Database, email: str) -> UserLogin | None:
    """The tenant user with this email (any status), with their password hash if they have one."""
    row = query_one(
        db,
        """
        SELECT u.TenantID, u.UserID, u.Status, c.PasswordHash, t.Status AS TenantStatus
        FROM Users AS u
        JOIN Tenants AS t ON t.TenantID = u.TenantID
        LEFT JOIN UserCredentials AS c ON c.TenantID = u.TenantID AND c.UserID = u.UserID
        WHERE LOWER(u.Email) = LOWER(@email)
        """,
        {"email": email.strip()},
    )
    if row is None:
        return None
    return UserLogin(
        row["TenantID"], row["UserID"], row["Status"], row["TenantStatus"], row["PasswordHash"]
    )


def find_operator(db: Database, email: str) -> OperatorLogin | None:
    """The platform operator with this email, with their password hash."""
    row = query_one(
        db,
        "SELECT AdminID, PasswordHash FROM PlatformAdmins WHERE LOWER(Email) = LOWER(@email)",
        {"email": email.strip()},
    )
    return OperatorLogin(row["AdminID"], row["PasswordHash"]) if row else None


def upgrade_user_hash(db: Database, user: UserLogin, password_hash: str, password: str) -> bool:
    """After the user's successful login: their hash with the current parameters, if it was not."""
    return upgrade_password_hash(
        db,
        """
        UPDATE UserCredentials
        SET PasswordHash = @new_hash, UpdatedAt = PENDING_COMMIT_TIMESTAMP()
        WHERE TenantID = @tenant AND UserID = @user AND PasswordHash = @old_hash
        """,
        {"tenant": user.tenant_id, "user": user.user_id},
        password_hash,
        password,
    )


def upgrade_operator_hash(db: Database, operator: OperatorLogin, password: str) -> bool:
    """After the operator's successful login: their hash with the current parameters, if it
    was not."""
    return upgrade_password_hash(
        db,
        """
        UPDATE PlatformAdmins SET PasswordHash = @new_hash
        WHERE AdminID = @admin AND PasswordHash = @old_hash
        """,
        {"admin": operator.admin_id},
        operator.password_hash,
        password,
    )
