"""A course module's page: its video, the way to its quiz or assignment, and mark-complete."""

from __future__ import annotations

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pages.base import Screen

# Seeks the video to a share of its length (and pauses it there, in the same moment, when
# asked); the player must know the length first (_wait_for_length).
_SEEK = """(video, [share, pause]) => {
  const length = Number.isFinite(video.duration) ? video.duration : 1e6;
  video.currentTime = length * share;
  if (pause) video.pause();
}"""

_KNOWS_LENGTH = "video => video.readyState >= 1"


class ModuleScreen(Screen):
    def __init__(self, page: Page, course_id: str, module_id: str) -> None:
        super().__init__(page)
        self.path = f"/courses/{course_id}/modules/{module_id}"

    @property
    def video(self) -> Locator:
        return self.part("course-video")

    def play_video_to_the_end(self) -> None:
        """Plays the video through, at its own pace (the academy counts a video watched only
        when it had time to play); returns once the page has reported the end, waiting at most
        the video's length and a margin."""
        self._wait_for_length()
        length = self.video.evaluate("video => video.duration")
        with self.page.expect_response(_reported_finished, timeout=(length + 10) * 1000):
            self.part("play-video").click()

    def skip_video_to_the_end(self) -> None:
        """Plays the video and skips to its end at once; returns once the page has reported
        the end (whatever the academy answered)."""
        with self.page.expect_response(_reported_finished):
            self.part("play-video").click()
            self._wait_for_length()
            self.video.evaluate(_SEEK, [1, False])

    def play_video_and_stop_halfway(self) -> None:
        """Plays the video, skips to its middle and pauses; returns once the page has sent
        whatever it sends about it."""
        self.part("play-video").click()
        self._wait_for_length()
        self.video.evaluate(_SEEK, [0.5, True])
        self.page.wait_for_load_state("networkidle")

    def _wait_for_length(self) -> None:
        """Until the player knows the video's length, within the page's action timeout."""
        try:
            self.page.wait_for_function(_KNOWS_LENGTH, arg=self.video.element_handle())
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"the video on {self.path} did not load: the player never learned its length"
            ) from None

    @property
    def video_status(self) -> Locator:
        """What the page says of the video: its data-finished is "true" once the end is recorded."""
        return self.part("video-status")

    @property
    def quiz_link(self) -> Locator:
        return self.part("take-quiz")

    @property
    def assignment_link(self) -> Locator:
        return self.part("submit-assignment")

    def take_quiz(self) -> None:
        self.quiz_link.click()

    def submit_assignment(self) -> None:
        self.assignment_link.click()

    def mark_complete(self) -> None:
        """Sends mark-complete; returns once the academy's answer has loaded."""
        with self.page.expect_navigation():
            self.part("mark-complete").click()

    @property
    def module_error(self) -> Locator:
        return self.page.locator(".module-error")

    @property
    def module_completed(self) -> Locator:
        return self.page.locator(".module-completed")


def _reported_finished(response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/video-finished")
