"""After a successful login: a password hash made with older argon2 parameters is replaced by
one made with the current ones (app/platform/security.py), in the product's own table."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from google.api_core.exceptions import GoogleAPICallError
from google.cloud.spanner_v1.database import Database
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import run_write, tx_update
from app.platform.security import HashingBusy, upgraded_hash

log = logging.getLogger(__name__)


def upgrade_password_hash(
    database: Database,
    update_sql: str,
    key: Mapping[str, object],
    password_hash: str,
    password: str,
) -> bool:
    """Store a new hash of ``password`` when ``password_hash`` (just verified to match it) was
    made with other parameters; whether one was stored.

    ``update_sql`` sets the column to @new_hash where the row is ``key`` (its own parameters)
    and still holds @old_hash, so a password changed meanwhile is never overwritten. The login
    goes on whatever happens here: the next one tries again.
    """
    try:
        new_hash = upgraded_hash(password_hash, password)
    except HashingBusy:
        log.warning("password hash left to upgrade at a later login: no hashing slot was free")
        return False
    if new_hash is None:
        return False
    values = {**key, "new_hash": new_hash, "old_hash": password_hash}

    def store(txn: Transaction) -> int:
        return tx_update(txn, update_sql, values)

    try:
        return run_write(database, store) == 1
    except GoogleAPICallError:
        log.warning("the upgraded password hash could not be stored", exc_info=True)
        return False
