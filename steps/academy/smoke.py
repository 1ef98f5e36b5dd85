"""The academy's @smoke steps: what a student sees, read from the deployed academy and checked
against what its database holds (reads only)."""

from __future__ import annotations

from behave import then, when
from playwright.sync_api import expect

from pages.academy.courses import CourseScreen, MyCoursesScreen
from queries.academy.smoke import course_titles, courses_of, module_titles


def _started_courses(context) -> list[dict]:
    email = context.smoke_account.email
    started = courses_of(context.db.academy, email)
    assert started, f"the academy should hold a course that {email} has started"
    return started


@then("they see the academy's courses, the ones they started among them")
def step_sees_courses(context):
    """The student's list is the catalogue, in title order."""
    titles = course_titles(context.db.academy)
    started = [course["Title"] for course in _started_courses(context)]
    assert set(started) <= set(titles), f"courses started but not in the catalogue: {started}"
    expect(
        MyCoursesScreen(context.page).course_links,
        "a signed-in student sees the academy's courses, in title order",
    ).to_have_text(titles)


@when("they open a course they started")
def step_open_started_course(context):
    """The first course the student has started, by title."""
    course = _started_courses(context)[0]
    context.learned["course"] = course
    CourseScreen(context.page, course["CourseID"]).open()


@then("they see its modules in order")
def step_sees_modules(context):
    """The course page lists the course's modules by position."""
    course = context.learned["course"]
    expect(
        CourseScreen(context.page, course["CourseID"]).module_links,
        f"the page of {course['Title']} lists its modules in order",
    ).to_have_text(module_titles(context.db.academy, course["CourseID"]))
