"""The generic mail and API steps (steps/mail.py, steps/api.py), proven with behave itself.

behave runs once on a small project (data/mail_api_steps/: a notice board whose app mails
invitations and answers JSON) against the shared emulator; each test reads one scenario's
outcome from behave's JSON report: the steps that should pass pass, and each kind of failure
says what it must.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.mail_sink import Mail
from harness.mail_words import Email, Link
from pages.json_api import Answer, ApiError, field_matches, field_mismatches
from spanner.emulator import Backend

BEHAVE = Path(sys.executable).with_name("behave")
PROJECT = Path(__file__).resolve().parent / "data" / "mail_api_steps"
RUN_TIMEOUT = 180


@pytest.fixture(scope="module")
def outcomes(emulator: Backend, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Each scenario of the project's features by name: its status and its failure's text."""
    project = tmp_path_factory.mktemp("mail_api") / "project"
    shutil.copytree(PROJECT, project)
    report = project / "report.json"
    env = {
        **os.environ,
        "SPANNER_EMULATOR_HOST": emulator.emulator_host,
        "SPANNER_INSTANCE": f"mail-api-{uuid.uuid4().hex[:8]}",
        "TEST_OUTPUT": str(project / "out"),
        # the failures that wait for an email that never comes wait 1 s, not the default 10
        "MAIL_WAIT_TIMEOUT": "1",
        "PYTHONPATH": str(project),
    }
    result = subprocess.run(
        [str(BEHAVE), "-f", "json", "-o", str(report), "-f", "plain", "features"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert report.exists(), result.stdout + result.stderr
    found: dict[str, dict] = {}
    for feature in json.loads(report.read_text()):
        for scenario in feature.get("elements", []):
            if scenario.get("type") != "scenario":  # a Background
                continue
            failures = [
                step["result"].get("error_message", "")
                for step in scenario["steps"]
                if step.get("result", {}).get("status") == "failed"
            ]
            message = "\n".join(
                "\n".join(failure) if isinstance(failure, list) else failure for failure in failures
            )
            found[scenario["name"]] = {"status": scenario["status"], "message": message}
    return found


def outcome(outcomes: dict[str, dict], name: str) -> dict:
    assert name in outcomes, f"no scenario {name!r}; scenarios: {list(outcomes)}"
    return outcomes[name]


@pytest.mark.parametrize(
    "name",
    [
        "A signed-in person reads their account",
        "A signed-in person's unsafe request carries what the app's own page sends",
        "A client with a key sends an invitation, without the browser's cookies",
        "A revoked key is refused",
        "An HTML invitation arrives and its link is followed by its text",
        "A plain-text reminder's link is followed by the words that introduce it, or its path",
        "A two-part email's link is followed by the text of its HTML link",
        "A two-part email's link is named by its text part too",
        "The browser's session is used, not the accounts file's password",
    ],
)
def test_the_steps_pass_where_they_should(outcomes: dict[str, dict], name: str) -> None:
    found = outcome(outcomes, name)
    assert found["status"] == "passed", found["message"]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        (
            "No email with that subject arrives within the bound",
            [
                'no email to sam@example.com with the subject "You are not invited" arrived '
                "within 1s at the suite's SMTP sink",
                "every email that arrived:",
                'to sam@example.com: "You are invited"',
                'to sam@example.com: "Your invitation"',
                'to sam@example.com: "Your invitation, in two parts"',
            ],
        ),
        (
            "A link a two-part email does not have lists the links of both parts",
            [
                'the email to sam@example.com with the subject "Your invitation, in two parts" '
                'has no link "Decline"',
                '"Join the board" -> http://127.0.0.1:',
                '"Open this link to join" -> http://127.0.0.1:',
            ],
        ),
        (
            "A link the email does not have",
            [
                'the email to sam@example.com with the subject "You are invited" has no link '
                '"Decline" (a link is named by its text, its address or its path); its links:',
                '"Accept the invitation" -> http://127.0.0.1:',
            ],
        ),
        (
            "A link to remember that the email does not have",
            [
                'the email to sam@example.com with the subject "Your invitation" has no link '
                '"Decline"',
                '"Open your invitation" -> http://127.0.0.1:',
            ],
        ),
        (
            "What an email says, before any email arrived",
            ["no email has arrived in this scenario yet: say which one first"],
        ),
        (
            "A request method that is not one",
            ["FETCH is no request method the API steps send: GET, POST, PUT, PATCH, DELETE, HEAD"],
        ),
        (
            "A field to remember that the response does not have",
            [
                'the response has no field "plan.price" (plan has no "price"); '
                "GET /api/me answered 200 with:",
            ],
        ),
        (
            "Words the email does not say",
            [
                'the email does not say "Goodbye"; it is to sam@example.com, subject '
                '"Your invitation":',
                "Hello! Open your invitation: http://127.0.0.1:",
            ],
        ),
        (
            "Nobody signed in is refused",
            [
                "the response status is 401, not 200: GET /api/me answered 401 with:",
                '{"error": "sign in first"}',
            ],
        ),
        (
            "A field that differs and one that is missing",
            [
                'the response differs: "plan.name" is "Pro", expected Basic; '
                '"plan.price" is missing (expected 10)',
                "GET /api/me answered 200 with:",
                '"plan": {"name": "Pro", "seats": 5}',
            ],
        ),
        (
            "A field remembered before any request",
            ["no request has been sent in this scenario yet"],
        ),
        (
            "A key of an account the accounts file does not list",
            [
                "fixtures/api/accounts.yaml has no API key of 'unknown.example.com' under "
                "`api_keys:`; its accounts with a key: acme.example.com, revoked.example.com",
            ],
        ),
        (
            "A body that is not JSON",
            ["the request's body is not JSON (Expecting value: line 1 column 11", '{"email": sam}'],
        ),
        (
            "A person the browser has not signed in signs in with the accounts file's password",
            [
                "pat@example.com could not sign in at http://127.0.0.1:",
                "Incorrect email or password.",
            ],
        ),
    ],
)
def test_each_failure_says_what_went_wrong(
    outcomes: dict[str, dict], name: str, says: list[str]
) -> None:
    found = outcome(outcomes, name)
    assert found["status"] == "failed", found
    for words in says:
        assert words in found["message"], found["message"]


def mail(body: str, html: str = "") -> Mail:
    return Mail("app@example.com", ("sam@example.com",), "Hello", body, html)


def test_a_plain_text_links_texts_are_the_words_that_introduce_it() -> None:
    email = Email.of(
        mail(
            "Welcome!\n\nConfirm your address:\n\nhttps://app.example/verify?token=t1\n\n"
            "Sign in here: https://app.example/login.\n"
            "Or read [the guide](https://app.example/guide) first.\n"
            "https://app.example/bare\n"
        )
    )
    assert email.links == (
        Link("the guide", "https://app.example/guide"),
        Link("Confirm your address", "https://app.example/verify?token=t1"),
        Link("Sign in here", "https://app.example/login"),
        Link("", "https://app.example/bare"),
    )
    assert email.link("/verify").url == "https://app.example/verify?token=t1"
    assert email.link("https://app.example/bare").text == ""


def test_an_html_emails_links_are_its_anchors_and_its_words_its_text() -> None:
    email = Email.of(
        mail(
            "<html><head><style>p {color: red}</style></head><body><p>Hello&nbsp;Sam,</p>"
            '<p><a href="https://app.example/a">Accept  the\n invitation</a></p></body></html>'
        )
    )
    assert email.links == (Link("Accept the invitation", "https://app.example/a"),)
    assert email.says("Hello Sam, Accept the invitation")
    assert not email.says("color")


def test_a_two_part_emails_links_are_named_by_its_html_part_first() -> None:
    email = Email.of(
        mail(
            "Hi Sam,\nJoin us: https://app.example/join\n",
            '<p>Hi&nbsp;Sam,</p><p><a href="https://app.example/join">Join the board</a></p>',
        )
    )
    assert email.links == (
        Link("Join the board", "https://app.example/join"),
        Link("Join us", "https://app.example/join"),
    )
    assert email.link("Join the board").url == "https://app.example/join"
    assert email.says("Hi Sam, Join the board") and email.says("Join us:")
    assert not email.says("Goodbye")
    assert email.shown() == (
        'to sam@example.com, subject "Hello":\n  Hi Sam, Join the board\n'
        "  its text part: Hi Sam, Join us: https://app.example/join"
    )


def test_an_html_only_emails_body_is_not_read_twice() -> None:
    html_part = '<p><a href="https://app.example/a">Accept</a></p>'
    email = Email.of(mail(html_part, html_part))
    assert (email.links, email.plain) == ((Link("Accept", "https://app.example/a"),), "")


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        ("Pro", "Pro", True),
        ("Pro", "Professional", False),
        ("> 4", 5, True),
        ("> 5", 5, False),
        ("149.00", 149, True),
        ("true", True, True),
        ("null", None, True),
        ("not null", None, False),
        ("like 'Fabri%'", "Fabrikam", True),
        ("[a, b]", ["a", "b"], True),
        ('[{"id": 1}]', [{"id": 1}], True),
        ('{"name": "Pro"}', {"name": "Pro"}, True),
        ('{"name": "Pro"}', {"name": "Basic"}, False),
        # "now" as the test runs, not as the module is collected (a long run outlasts 5 minutes)
        ("within 5 minutes of now", lambda: datetime.now(UTC).isoformat(), True),
        ("within 5 minutes of now", "2020-01-01T00:00:00Z", False),
        ("<= 2026-01-01", "2025-12-31", True),
    ],
)
def test_a_response_field_is_checked_in_the_database_checks_notation(
    expected: str, actual: object, matches: bool
) -> None:
    if callable(actual):
        actual = actual()
    assert field_matches(expected, actual) is matches


def test_a_body_that_is_not_json_is_said_so_not_as_missing_fields() -> None:
    answer = Answer("GET", "/page", 200, "<html>Hello</html>")
    with pytest.raises(ApiError, match=r"the response is not JSON: GET /page answered 200"):
        field_mismatches(answer, [("plan.name", "Pro")])
