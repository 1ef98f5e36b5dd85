"""Sign-up limits the browser's form keeps anyone from typing past (its maxlength), so only a
request sent around the form reaches them: the server refuses them too, counting letters."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.saas.validation import FieldError, company_name, email, hostname

ACCENTED = "éàüöñ"  # two bytes each in UTF-8


def accented(count: int) -> str:
    return "".join(ACCENTED[index % len(ACCENTED)] for index in range(count))


def letters(count: int) -> str:
    return "".join(chr(ord("a") + index % 26) for index in range(count))


LONGEST_DOMAIN = f"{letters(63)}.{letters(32)}.com"  # 100 characters
LONGEST_EMAIL = f"{letters(64)}@{letters(63)}.{letters(63)}.{letters(57)}.com"  # 254


def test_limits_count_letters_not_bytes() -> None:
    assert company_name(accented(200)) == accented(200)
    assert hostname(LONGEST_DOMAIN) == LONGEST_DOMAIN
    assert email(LONGEST_EMAIL) == LONGEST_EMAIL


@pytest.mark.parametrize(
    ("field", "value", "told"),
    [
        ("company_name", accented(201), "Company name must be 2 to 200 characters."),
        ("domain", f"{letters(63)}.{letters(33)}.com", "Enter a valid domain name"),
        ("admin_email", f"{letters(64)}@{letters(63)}.{letters(63)}.{letters(58)}.com",
         "Enter a valid email address"),
    ],
)  # fmt: skip
def test_one_letter_over_the_limit_is_refused_by_the_server(
    client: TestClient, field: str, value: str, told: str
) -> None:
    form = {"company_name": "Acme", "domain": "acme.example.com",
            "admin_email": "admin@acme.example.com", "plan": "basic"}  # fmt: skip
    form[field] = value
    r = client.post("/signup", data=form)
    assert r.status_code == 400, f"sign-up over the limit of {field} must be refused"
    assert told in r.text


def test_validators_refuse_one_letter_over() -> None:
    for check, value in (
        (company_name, accented(201)),
        (hostname, f"{letters(63)}.{letters(33)}.com"),
        (email, f"{letters(64)}@{letters(63)}.{letters(63)}.{letters(58)}.com"),
    ):
        with pytest.raises(FieldError):
            check(value)
