"""The SQL behind the academy's @smoke steps: reads only, each in a read-only snapshot
(spanner.query), so they run as well against a production database as against the suite's
fixtures."""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, query


def course_titles(academy: Database) -> list[str]:
    """The catalogue, in the order a student's list shows it."""
    rows = query(academy, "SELECT Title FROM Courses ORDER BY Title, CourseID")
    return [row["Title"] for row in rows]


def courses_of(academy: Database, email: str) -> list[Row]:
    """The courses the student with this email has started, by title."""
    return query(
        academy,
        """
        SELECT c.CourseID, c.Title
        FROM Students s
        JOIN CourseEnrollments e ON e.StudentID = s.StudentID
        JOIN Courses c ON c.CourseID = e.CourseID
        WHERE s.Email = @email
        ORDER BY c.Title, c.CourseID
        """,
        {"email": email},
    )


def module_titles(academy: Database, course_id: str) -> list[str]:
    """A course's modules in order, as its page lists them: "1. Title"."""
    rows = query(
        academy,
        "SELECT Position, Title FROM CourseModules WHERE CourseID = @course_id "
        "ORDER BY Position, ModuleID",
        {"course_id": course_id},
    )
    return [f"{row['Position']}. {row['Title']}" for row in rows]
