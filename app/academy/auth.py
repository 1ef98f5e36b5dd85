"""Who logs in at /login: an active student, who lands on their courses."""

from __future__ import annotations

from collections.abc import Sequence

from app.academy.dates import utc_now
from app.academy.sessions import ACTIVE, STUDENT_SESSIONS
from app.platform.db import Databases, query_one
from app.platform.password_upgrade import upgrade_password_hash
from app.platform.security import verify_password
from app.platform.sessions import Granted, Refused, SessionStore

LANDING = "/courses"


def check_credentials(databases: Databases, email: str, password: str) -> str | None:
    """The StudentID when the email and password match an active student, else None; their
    password hash is then upgraded to the current parameters if it was made with others."""
    row = query_one(
        databases.academy,
        """
        SELECT s.StudentID, s.Status, c.PasswordHash
        FROM Students AS s
        LEFT JOIN StudentCredentials AS c ON c.StudentID = s.StudentID
        WHERE LOWER(s.Email) = LOWER(@email)
        """,
        {"email": email.strip()},
    )
    password_hash = row["PasswordHash"] if row else None
    # verify first, whatever the row: an unknown email costs the same time as a known one
    if not verify_password(password_hash, password) or row is None or row["Status"] != ACTIVE:
        return None
    upgrade_password_hash(
        databases.academy,
        """
        UPDATE StudentCredentials
        SET PasswordHash = @new_hash, UpdatedAt = PENDING_COMMIT_TIMESTAMP()
        WHERE StudentID = @student AND PasswordHash = @old_hash
        """,
        {"student": row["StudentID"]},
        row["PasswordHash"],
        password,
    )
    return row["StudentID"]


class AcademyAuthenticator:
    """Students only: the academy has no other kind of account."""

    @property
    def stores(self) -> Sequence[SessionStore[object]]:
        return (STUDENT_SESSIONS,)

    def log_in(self, databases: Databases, email: str, password: str) -> Granted | Refused | None:
        student_id = check_credentials(databases, email, password)
        if student_id is None:
            return None
        token = STUDENT_SESSIONS.start(databases, student_id, utc_now())
        return Granted(STUDENT_SESSIONS.cookie, token, LANDING)
