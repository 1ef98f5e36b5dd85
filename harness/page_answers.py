"""Checks of the status the app gave the page a person's browser loaded last.

Where the status is part of what the app promises (a refused form is 400 Bad Request, a
conflict 409, a page of nothing 404), a monitor, a crawler and an API client read it even
when the page's words look the same; the steps that see a refusal check it too. The page's
scripts' requests are checked the same way (`assert_sent_answered`).
"""

from __future__ import annotations

from harness.browser import PageAnswer, ScenarioBrowser, status_name


def assert_page_answered(context, status: int, rule: str) -> PageAnswer:
    """The page the browser loaded last came with `status`, else `rule` fails, naming the
    answer it came with."""
    answer = _session(context, rule).last_page_answer(rule)
    assert answer.status == status, (
        f"{rule}: the app must answer {status_name(status)}, it answered {answer}"
    )
    return answer


def assert_sent_answered(
    context, method: str, path: str, statuses: tuple[int, ...], rule: str
) -> PageAnswer:
    """The app's last answer to the page's `method path` had one of `statuses`."""
    answer = _session(context, rule).last_answer_to(method, path, rule)
    assert answer.status in statuses, (
        f"{rule}: the app must answer {' or '.join(map(status_name, statuses))}, "
        f"it answered {answer}"
    )
    return answer


def _session(context, rule: str) -> ScenarioBrowser:
    session = getattr(context, "browser_session", None)
    if session is None:
        raise AssertionError(f"{rule}: no browser is open in this scenario")
    return session
