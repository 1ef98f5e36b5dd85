"""Idempotency keys of a person's changes (users database, table IdempotencyKeys).

The browser makes a UUID when a change is made and sends it as the Idempotency-Key header
every time it sends that change. The first request to commit stores the key with a hash of
the request and its answer, in the change's own transaction; a repeat with the same request
gets that answer again and changes nothing; the key reused for another request is refused.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from google.cloud import spanner
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import tx_query
from app.platform.security import sha256_hex

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_REUSED = (
    "This Idempotency-Key was already used for another change; make a new key for a new change."
)


class IdempotencyError(ValueError):
    """The request's key is missing, malformed or reused; ``status`` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class KeyedRequest:
    key: str
    fingerprint: str


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def parse_key(raw: str | None) -> str:
    """The header's UUID in its canonical form."""
    if raw is None or not raw.strip():
        raise IdempotencyError(
            400, f"The {KEY_HEADER} header is required: a UUID made when the change was made."
        )
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        raise IdempotencyError(400, f"The {KEY_HEADER} header must be a UUID.") from None


def keyed_request(raw_key: str | None, method: str, path: str, payload: object) -> KeyedRequest:
    """The key and a fingerprint of what was asked: method, path and the JSON body."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return KeyedRequest(parse_key(raw_key), sha256_hex(f"{method.upper()} {path}\n{canonical}"))


def stored_answer(
    txn: Transaction, tenant_id: str, user_id: str, request: KeyedRequest
) -> Answer | None:
    """The answer given to the key's first request, or None for a new key."""
    rows = tx_query(
        txn,
        """
        SELECT RequestHash, ResponseStatus, ResponseBody FROM IdempotencyKeys
        WHERE TenantID = @tenant AND UserID = @user AND IdempotencyKey = @key
        """,
        {"tenant": tenant_id, "user": user_id, "key": request.key},
    )
    if not rows:
        return None
    if rows[0]["RequestHash"] != request.fingerprint:
        raise IdempotencyError(422, KEY_REUSED)
    return Answer(rows[0]["ResponseStatus"], json.loads(rows[0]["ResponseBody"]), replayed=True)


def remember_answer(
    txn: Transaction, tenant_id: str, user_id: str, request: KeyedRequest, answer: Answer
) -> None:
    """Store the key with the answer, in the transaction that made the change."""
    txn.insert(
        "IdempotencyKeys",
        columns=("TenantID", "UserID", "IdempotencyKey", "RequestHash", "ResponseStatus",
                 "ResponseBody", "CreatedAt"),
        values=[(tenant_id, user_id, request.key, request.fingerprint, answer.status,
                 json.dumps(answer.body), spanner.COMMIT_TIMESTAMP)],
    )  # fmt: skip
