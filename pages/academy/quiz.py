"""A module's quiz: one group of choices per question, and the score once it is sent."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Response

from pages.base import Screen

_NONCE = re.compile(r'nonce="[^"]*"')


class QuizScreen(Screen):
    @property
    def questions(self) -> Locator:
        return self.page.locator('fieldset[data-testid^="question-"]')

    def choose(self, question_no: int, choice: int) -> None:
        """Picks the choice (its index in the question's list) of question `question_no`.

        A real click at the button, without Playwright's wait for it to be visible and still
        (half the cost of an answer): a hidden or covered button would not be checked, and the
        score the academy gives the attempt would say so."""
        self.part(f"question-{question_no}").locator(
            f'input[type="radio"][value="{choice}"]'
        ).click(force=True)

    def choose_value(self, question_no: int, value: str) -> None:
        """What a student's browser tools can do: the first choice of question ``question_no``
        made to send ``value`` instead of its own, and checked."""
        button = self.part(f"question-{question_no}").locator('input[type="radio"]').first
        button.evaluate("(button, value) => { button.value = value; }", value)
        button.check(force=True)

    @property
    def error(self) -> Locator:
        return self.page.locator(".quiz-error")

    @property
    def closed(self) -> Locator:
        return self.part("quiz-closed")

    @property
    def attempts_left(self) -> Locator:
        return self.part("attempts-left")

    @property
    def retake_link(self) -> Locator:
        return self.part("retake-quiz")

    def submit(self) -> None:
        """Sends the answers; returns once the result has loaded."""
        with self.page.expect_navigation():
            self.part("submit-quiz").click()

    @property
    def score(self) -> Locator:
        return self.part("quiz-score")

    @staticmethod
    def path_of(course_id: str, module_id: str) -> str:
        return f"/courses/{course_id}/modules/{module_id}/quiz"

    def everything_loaded_at(self, path: str) -> list[str]:
        """The page at `path` as the browser ends up with it (its DOM), then every text the
        browser received while loading it (the page itself, scripts, any JSON); each page
        load's own script nonce (the Content-Security-Policy's) written as "nonce"."""
        received: list[str] = []

        def keep(response: Response) -> None:
            kind = response.headers.get("content-type", "")
            if kind.startswith(("text/", "application/json", "application/javascript")):
                received.append(f"{response.url}\n{response.text()}")

        self.page.on("response", keep)
        try:
            self.page.goto(path, wait_until="networkidle")
            dom = self.page.content()
        finally:
            self.page.remove_listener("response", keep)
        return [_NONCE.sub('nonce="nonce"', text) for text in (dom, *received)]
