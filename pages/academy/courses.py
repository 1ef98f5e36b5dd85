"""The student's courses: the list they land on, a course's page, and its certificate."""

from __future__ import annotations

from playwright.sync_api import APIResponse, Download, Locator, Page

from pages.base import Screen


class MyCoursesScreen(Screen):
    """Where a student lands on signing in."""

    path = "/courses"

    def sign_out(self) -> None:
        """The log-out button in the header; returns once the sign-in page is back."""
        with self.page.expect_navigation():
            self.part("logout").click()

    @property
    def course_links(self) -> Locator:
        """Every course of the list, in its order."""
        return self.part("courses").locator("a")

    @property
    def my_courses_link(self) -> Locator:
        """In the header of every page a signed-in student sees."""
        return self.part("my-courses")


class CourseScreen(Screen):
    def __init__(self, page: Page, course_id: str) -> None:
        super().__init__(page)
        self.course_id = course_id
        self.path = f"/courses/{course_id}"

    def start(self) -> None:
        """Sends the start form; returns once the course page is back."""
        with self.page.expect_navigation():
            self.part("start-course").click()

    # where a module's entry says its state: completed, available or locked
    STATE = "data-state"

    @property
    def module_links(self) -> Locator:
        """Every module's link, "1. Title", in the course's order."""
        return self.page.locator('li[data-testid^="module-"] a')

    def module(self, module_id: str) -> Locator:
        """The module's entry in the course's list of modules, with its state (STATE)."""
        return self.part(f"module-{module_id}")

    @property
    def course_completed(self) -> Locator:
        return self.page.locator(".course-completed")

    @property
    def download_certificate_link(self) -> Locator:
        return self.part("download-certificate")

    def download_certificate(self) -> Download:
        with self.page.expect_download() as download:
            self.download_certificate_link.click()
        return download.value

    def ask_for_certificate_directly(self) -> APIResponse:
        """The certificate's address, asked for in the student's session, without a link."""
        return self.page.request.get(f"{self.path}/certificate")
