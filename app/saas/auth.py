"""Who logs in at /login: a tenant user (to /dashboard) or a platform operator (to /admin)."""

from __future__ import annotations

from collections.abc import Sequence

from app.platform.db import Databases
from app.platform.sessions import Granted, Refused, SessionStore
from app.saas.accounts import check_admin_credentials, check_credentials
from app.saas.dates import utc_now
from app.saas.sessions import ADMIN_SESSIONS, SUSPENDED, USER_SESSIONS

SUSPENDED_NOTICE = "_account_suspended.html"


class SaasAuthenticator:
    """Tenant users first, then platform operators; a suspended tenant's user is refused."""

    @property
    def stores(self) -> Sequence[SessionStore[object]]:
        return (USER_SESSIONS, ADMIN_SESSIONS)

    def log_in(self, databases: Databases, email: str, password: str) -> Granted | Refused | None:
        user = check_credentials(databases.users, email, password)
        if user is not None:
            if user.tenant_status == SUSPENDED:
                return Refused(403, SUSPENDED_NOTICE)
            token = USER_SESSIONS.start(databases, user.tenant_id, user.user_id, utc_now())
            return Granted(USER_SESSIONS.cookie, token, "/dashboard")
        admin_id = check_admin_credentials(databases.users, email, password)
        if admin_id is not None:
            token = ADMIN_SESSIONS.start(databases, admin_id, utc_now())
            return Granted(ADMIN_SESSIONS.cookie, token, "/admin/tenants")
        return None
