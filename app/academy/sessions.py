"""Students' sessions (StudentSessions): the cookie holds a token, the table its SHA-256."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from google.cloud import spanner
from google.cloud.spanner_v1.transaction import Transaction

from app.platform.db import Databases, query_one, run_write, tx_update
from app.platform.sessions import SESSION_LIFETIME, new_session, session_id

STUDENT_COOKIE = "student_session"
ACTIVE = "active"


@dataclass(frozen=True)
class CurrentStudent:
    student_id: str
    email: str
    full_name: str
    session_id: str  # the SHA-256 of the session's cookie token, as StudentSessions keeps it


class StudentSessions:
    """Sessions of students; a student who is no longer active is signed out."""

    cookie = STUDENT_COOKIE

    def start(self, databases: Databases, student_id: str, now: datetime) -> str:
        token, sid = new_session()

        def work(txn: Transaction) -> None:
            txn.insert(
                "StudentSessions",
                columns=("StudentID", "SessionID", "ExpiresAt", "CreatedAt"),
                values=[(student_id, sid, now + SESSION_LIFETIME, spanner.COMMIT_TIMESTAMP)],
            )

        run_write(databases.academy, work)
        return token

    def load(self, databases: Databases, token: str) -> CurrentStudent | None:
        sid = session_id(token)
        row = query_one(
            databases.academy,
            """
            SELECT s.StudentID, st.Email, st.FullName, st.Status
            FROM StudentSessions@{FORCE_INDEX=StudentSessionsBySessionID} AS s
            JOIN Students AS st ON st.StudentID = s.StudentID
            WHERE s.SessionID = @sid AND s.ExpiresAt > CURRENT_TIMESTAMP()
            """,
            {"sid": sid},
        )
        if row is None or row["Status"] != ACTIVE:
            return None
        return CurrentStudent(row["StudentID"], row["Email"], row["FullName"], sid)

    def end(self, databases: Databases, token: str) -> None:
        run_write(
            databases.academy,
            lambda txn: tx_update(
                txn,
                "DELETE FROM StudentSessions WHERE SessionID = @sid",
                {"sid": session_id(token)},
            ),
        )


STUDENT_SESSIONS = StudentSessions()
