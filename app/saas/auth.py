"""Who logs in at /login: a tenant user (to /dashboard) or a platform operator (to /admin)."""

from __future__ import annotations

from collections.abc import Sequence

from app.platform.db import Databases
from app.platform.security import verify_password
from app.platform.sessions import Granted, Refused, SessionStore
from app.saas.accounts import (
    find_operator,
    find_user,
    upgrade_operator_hash,
    upgrade_user_hash,
)
from app.saas.dates import utc_now
from app.saas.sessions import ADMIN_SESSIONS, SUSPENDED, USER_SESSIONS

SUSPENDED_NOTICE = "_account_suspended.html"
ACTIVE = "active"


class SaasAuthenticator:
    """Tenant users, then platform operators; a suspended tenant's user is refused.

    Both are looked up first, then one password hash is checked: the tenant user's when they
    have a password, else the operator's, else a dummy one, so a login attempt costs one hash
    whether the email is known or not.
    """

    @property
    def stores(self) -> Sequence[SessionStore[object]]:
        return (USER_SESSIONS, ADMIN_SESSIONS)

    def log_in(self, databases: Databases, email: str, password: str) -> Granted | Refused | None:
        user = find_user(databases.users, email)
        operator = find_operator(databases.users, email)
        if user is not None and user.password_hash is not None:
            if not verify_password(user.password_hash, password) or user.status != ACTIVE:
                return None
            if user.tenant_status == SUSPENDED:
                return Refused(403, SUSPENDED_NOTICE)
            upgrade_user_hash(databases.users, user, user.password_hash, password)
            token = USER_SESSIONS.start(databases, user.tenant_id, user.user_id, utc_now())
            return Granted(USER_SESSIONS.cookie, token, "/dashboard")
        matches = verify_password(operator.password_hash if operator else None, password)
        if operator is None or not matches:
            return None
        upgrade_operator_hash(databases.users, operator, password)
        token = ADMIN_SESSIONS.start(databases, operator.admin_id, utc_now())
        return Granted(ADMIN_SESSIONS.cookie, token, "/admin/tenants")
