"""`{name}` in feature text (base/placeholders.py): what the scenario learned, or an error."""

from __future__ import annotations

from datetime import date

import pytest

from base.placeholders import UnknownPlaceholder, resolve

LEARNED = {"tenant": "t-1", "renewal": date(2026, 1, 31), "seats": 5}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("{tenant}", "t-1"),
        ("{renewal}", date(2026, 1, 31)),  # a whole placeholder keeps its type
        ("/tenants/{tenant}/seats", "/tenants/t-1/seats"),
        ("> {seats}", "> 5"),
        ('{"plan": "pro", "seats": 5}', '{"plan": "pro", "seats": 5}'),  # JSON braces are text
        ("{} and {not a name} and {-x} and {3}", "{} and {not a name} and {-x} and {3}"),
        ("no braces", "no braces"),
        (42, 42),
    ],
)
def test_placeholders_become_what_was_learned(text, value) -> None:
    assert resolve(text, LEARNED) == value


def test_an_unknown_name_is_named_with_what_was_learned() -> None:
    with pytest.raises(UnknownPlaceholder) as error:
        resolve("/tenants/{tenant}/users/{user}", LEARNED)
    assert str(error.value) == (
        "{user} in '/tenants/{tenant}/users/{user}' was not learned in this scenario "
        "(learned so far: renewal, seats, tenant)"
    )


def test_an_unknown_name_before_anything_was_learned_says_so() -> None:
    with pytest.raises(UnknownPlaceholder, match=r"\(learned so far: nothing yet\)"):
        resolve("{tenant}", {})
