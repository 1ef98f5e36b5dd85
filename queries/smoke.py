"""The SQL behind the @smoke steps: reads only, each in a read-only snapshot (spanner.query),
so they run as well against a production database as against the suite's fixtures."""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, query


def saas_organisation_of(users: Database, email: str) -> Row | None:
    """The organisation the person with this email belongs to: its name."""
    rows = query(
        users,
        """
        SELECT t.TenantID, t.Name
        FROM Users u JOIN Tenants t ON t.TenantID = u.TenantID
        WHERE u.Email = @email
        """,
        {"email": email},
    )
    return rows[0] if rows else None


def saas_plan_names(billing: Database) -> list[str]:
    """Every plan the platform sells, smallest first, as the sign-up form lists them."""
    rows = query(billing, "SELECT DisplayName FROM Plans ORDER BY Tier, PlanID")
    return [row["DisplayName"] for row in rows]


def academy_course_titles(academy: Database) -> list[str]:
    """The catalogue, in the order a student's list shows it."""
    rows = query(academy, "SELECT Title FROM Courses ORDER BY Title, CourseID")
    return [row["Title"] for row in rows]


def academy_courses_of(academy: Database, email: str) -> list[Row]:
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


def academy_module_titles(academy: Database, course_id: str) -> list[str]:
    """A course's modules in order, as its page lists them: "1. Title"."""
    rows = query(
        academy,
        "SELECT Position, Title FROM CourseModules WHERE CourseID = @course_id "
        "ORDER BY Position, ModuleID",
        {"course_id": course_id},
    )
    return [f"{row['Position']}. {row['Title']}" for row in rows]
