"""The dashboard's data and the signed-in person's display name (users and billing databases).

A display name change is applied exactly once per Idempotency-Key: the key, the change and its
history row are written in one transaction (see app/saas/idempotency.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from google.api_core.exceptions import AlreadyExists
from google.cloud import spanner
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import Databases, query_one, run_write, tx_update
from app.saas.billing import load_plans
from app.saas.idempotency import Answer, KeyedRequest, remember_answer, stored_answer
from app.saas.sessions import CurrentUser
from app.saas.upgrade import effective_plan
from app.saas.validation import FieldError

MAX_DISPLAY_NAME = 100  # characters, as UserProfiles.DisplayName STRING(100) counts them


class ProfileMissing(LookupError):
    """The person has no profile yet (they did not create one in the setup wizard)."""


def display_name(raw: object) -> str:
    """The name trimmed, inner runs of spaces made one; 1 to MAX_DISPLAY_NAME characters."""
    if not isinstance(raw, str):
        raise FieldError("display_name", "Display name must be text.")
    value = " ".join(raw.split())
    if not value:
        raise FieldError("display_name", "Enter a display name.")
    if len(value) > MAX_DISPLAY_NAME:
        raise FieldError(
            "display_name", f"Display name must be at most {MAX_DISPLAY_NAME} characters."
        )
    return value


def _shown_name(profile: dict[str, Any] | None, email: str) -> str:
    if profile is None:
        return email
    return profile["DisplayName"] or f"{profile['FirstName']} {profile['LastName']}"


def dashboard_view(databases: Databases, user: CurrentUser) -> dict[str, Any]:
    """What the dashboard shows: the tenant, its plan as billing sees it, the person's profile."""
    plan, _ = effective_plan(databases, user, load_plans(databases.billing))
    profile = query_one(
        databases.users,
        """
        SELECT FirstName, LastName, DisplayName FROM UserProfiles
        WHERE TenantID = @tenant AND UserID = @user
        """,
        {"tenant": user.tenant_id, "user": user.user_id},
    )
    return {
        "tenant": {"name": user.tenant_name},
        "plan": {"name": plan.display_name if plan else user.tenant_plan},
        "profile": {
            "display_name": _shown_name(profile, user.email),
            "email": user.email,
            "role": user.role,
        },
    }


@dataclass(frozen=True)
class NameChange:
    user: CurrentUser
    name: str
    request: KeyedRequest


def _apply(txn: Transaction, change: NameChange) -> Answer:
    user, request = change.user, change.request
    earlier = stored_answer(txn, user.tenant_id, user.user_id, request)
    if earlier is not None:
        return earlier
    changed = tx_update(
        txn,
        """
        UPDATE UserProfiles SET DisplayName = @name, UpdatedAt = PENDING_COMMIT_TIMESTAMP()
        WHERE TenantID = @tenant AND UserID = @user
        """,
        {"name": change.name, "tenant": user.tenant_id, "user": user.user_id},
    )
    if changed == 0:
        raise ProfileMissing(f"user {user.user_id} has no profile")
    change_id = str(uuid.uuid4())
    txn.insert(
        "ProfileChanges",
        columns=("TenantID", "UserID", "ChangeID", "DisplayName", "IdempotencyKey", "ChangedAt"),
        values=[(user.tenant_id, user.user_id, change_id, change.name, request.key,
                 spanner.COMMIT_TIMESTAMP)],
    )  # fmt: skip
    answer = Answer(200, {"profile": {"display_name": change.name}, "change_id": change_id})
    remember_answer(txn, user.tenant_id, user.user_id, request, answer)
    return answer


def _earlier_answer(txn: Transaction, change: NameChange) -> Answer | None:
    return stored_answer(txn, change.user.tenant_id, change.user.user_id, change.request)


def change_display_name(db: Database, change: NameChange) -> Answer:
    """Apply the change once: a repeat of its key gets the first answer, replayed."""
    try:
        return run_write(db, _apply, change)
    except AlreadyExists:
        # A request with the same key committed between our read and our commit.
        earlier = run_write(db, _earlier_answer, change)
        if earlier is None:
            raise
        return earlier
