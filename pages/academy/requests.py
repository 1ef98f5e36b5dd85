"""What a student's browser asks of the academy, page by page and action by action, sent as the
pages send it, without following a redirect: to see where the academy sends a student it turns
away."""

from __future__ import annotations

from playwright.sync_api import APIResponse, Page

from pages.academy.forged import CSRF_HEADER, form_token

# a request's business name -> (method, path under the course, what it sends)
_REQUESTS: dict[str, tuple[str, str, str]] = {
    "their courses": ("GET", "/courses", ""),
    "the course page": ("GET", "{course}", ""),
    "the page of module-05": ("GET", "{course}/modules/module-05", ""),
    "the quiz of module-05": ("GET", "{course}/modules/module-05/quiz", ""),
    "the assignment of module-04": ("GET", "{course}/modules/module-04/assignment", ""),
    "the certificate": ("GET", "{course}/certificate", ""),
    "a start of the course": ("POST", "{course}/start", "form"),
    "a record of the video of module-05": ("POST", "{course}/modules/module-05/video-finished", ""),
    "a score of answers to module-05's quiz": (
        "POST",
        "{course}/modules/module-05/quiz",
        "answers",
    ),
    "a hand-in for module-04": ("POST", "{course}/modules/module-04/assignment", "pdf"),
    "the completion of module-05": ("POST", "{course}/modules/module-05/complete", "form"),
}

QUESTIONS = 10


class AcademyRequests:
    def __init__(self, page: Page, course_id: str) -> None:
        self.page = page
        self.course = f"/courses/{course_id}"

    def send(self, name: str, pdf: bytes) -> APIResponse:
        """Sends the named request in the page's session; `pdf` is what a hand-in sends."""
        assert name in _REQUESTS, f"no request is named {name!r}; known: {sorted(_REQUESTS)}"
        method, path, body = _REQUESTS[name]
        url = path.format(course=self.course)
        request = self.page.request
        # the form token of the page the student has open, as the page's own forms send it
        token = form_token(self.page)
        headers = {CSRF_HEADER: token} if token else {}
        if body == "answers":
            answers = {f"answer-{number}": "0" for number in range(1, QUESTIONS + 1)}
            return request.post(url, form=answers, headers=headers, max_redirects=0)
        if body == "pdf":
            upload = {"name": "assignment.pdf", "mimeType": "application/pdf", "buffer": pdf}
            return request.post(
                url,
                multipart={"file": upload, "notes": "Late work"},
                headers=headers,
                max_redirects=0,
            )
        if method == "POST":
            return request.post(url, form={}, headers=headers, max_redirects=0)
        return request.get(url, max_redirects=0)
