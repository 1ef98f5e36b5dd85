"""`{name}` in feature text: something the scenario learned earlier under that name.

A placeholder is a name in braces: `{tenant}`, `{signup_link}`. Other braces are text: JSON
(`{"plan": "pro"}`), `{}`, `{a b}`, `{3}`. An unknown name is an error naming it and listing
what the scenario has learned, never text left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")  # not {3}: a count in a pattern is text


class UnknownPlaceholder(ValueError):
    """Feature text names `{name}` that the scenario has not learned."""


def learned_names(learned: Mapping[str, Any]) -> str:
    """What a scenario has learned, as an error message lists it."""
    return ", ".join(sorted(learned)) or "nothing yet"


def resolve(value: Any, learned: Mapping[str, Any]) -> Any:
    """Replace `{name}` in text with what the scenario learned under that name.

    A value that is exactly one placeholder becomes the learned value itself (a date stays a
    date); placeholders inside longer text become text. An unknown name raises
    UnknownPlaceholder.
    """
    if not isinstance(value, str) or "{" not in value:
        return value
    unknown = [name for name in _PLACEHOLDER.findall(value) if name not in learned]
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in dict.fromkeys(unknown))
        raise UnknownPlaceholder(
            f"{names} in {value!r} was not learned in this scenario "
            f"(learned so far: {learned_names(learned)})"
        )
    full = _PLACEHOLDER.fullmatch(value)
    if full:
        return learned[full.group(1)]
    return _PLACEHOLDER.sub(lambda m: str(learned[m.group(1)]), value)
