"""The SQL behind the academy's security steps: the videos the academy served to a student's
sessions, and making a serving older (the time a video takes to play, without waiting for it).
Every value is a query parameter."""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, execute, query


def video_servings(db: Database, student_id: str, course_id: str, module_id: str) -> list[Row]:
    """Each session of the student the module's video was served to, first serving first."""
    return query(
        db,
        """
        SELECT SessionID, ServedAt FROM VideoServings
        WHERE StudentID = @student_id AND CourseID = @course_id AND ModuleID = @module_id
        ORDER BY ServedAt
        """,
        {"student_id": student_id, "course_id": course_id, "module_id": module_id},
    )


def serve_earlier(
    db: Database, student_id: str, course_id: str, module_id: str, seconds: int
) -> int:
    """Moves every serving of the module's video to the student `seconds` earlier; returns how
    many servings moved."""
    return execute(
        db,
        """
        UPDATE VideoServings
        SET ServedAt = TIMESTAMP_SUB(ServedAt, INTERVAL @seconds SECOND)
        WHERE StudentID = @student_id AND CourseID = @course_id AND ModuleID = @module_id
        """,
        {"student_id": student_id, "course_id": course_id, "module_id": module_id,
         "seconds": seconds},
    )  # fmt: skip


def progress_in_course(db: Database, student_id: str, course_id: str) -> Row:
    """Everything a student's progress in a course is made of: the enrollment's state, the
    modules completed, the videos watched, the quiz attempts and the hand-ins (by module)."""
    rows = query(
        db,
        """
        SELECT
          (SELECT Status FROM CourseEnrollments
           WHERE StudentID = @student_id AND CourseID = @course_id) AS EnrollmentStatus,
          ARRAY(SELECT ModuleID FROM ModuleCompletions
                WHERE StudentID = @student_id AND CourseID = @course_id
                ORDER BY ModuleID) AS CompletedModules,
          ARRAY(SELECT ModuleID FROM VideoViews
                WHERE StudentID = @student_id AND CourseID = @course_id
                ORDER BY ModuleID) AS WatchedVideos,
          (SELECT COUNT(*) FROM QuizAttempts
           WHERE StudentID = @student_id AND CourseID = @course_id) AS QuizAttempts,
          ARRAY(SELECT ModuleID FROM AssignmentSubmissions
                WHERE StudentID = @student_id AND CourseID = @course_id
                ORDER BY ModuleID) AS HandedInModules
        """,
        {"student_id": student_id, "course_id": course_id},
    )
    return rows[0]
