"""A mail scanner or link preview: it opens every link of an email with a plain GET, without
the person's cookies, and follows redirects, as security gateways and chat previews do."""

from __future__ import annotations

import httpx


def open_link(link: str) -> httpx.Response:
    """Opens the link the way a scanner does: GET, redirects followed, no cookies of anyone."""
    with httpx.Client(follow_redirects=True, timeout=10) as client:
        return client.get(link, headers={"User-Agent": "MailScanner/1.0 (link check)"})


def has_confirm_button(response: httpx.Response) -> bool:
    """Whether the page shown is the emailed link's page with its button to press."""
    return 'data-testid="confirm-email"' in response.text


def session_cookies_set(response: httpx.Response) -> list[str]:
    """The session cookies the answers (redirects included) tried to set."""
    answers = [*response.history, response]
    return [
        value
        for answer in answers
        for value in answer.headers.get_list("set-cookie")
        if "session" in value.split("=", 1)[0].lower()
    ]
