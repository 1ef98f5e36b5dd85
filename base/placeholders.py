"""`{name}` in feature text: something the scenario learned earlier under that name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def resolve(value: Any, learned: Mapping[str, Any]) -> Any:
    """Replace `{name}` in text with what the scenario learned under that name.

    A value that is exactly one placeholder becomes the learned value itself (a date stays a
    date); placeholders inside longer text become text. Unknown names are left as they are.
    """
    if not isinstance(value, str) or "{" not in value:
        return value
    full = _PLACEHOLDER.fullmatch(value)
    if full and full.group(1) in learned:
        return learned[full.group(1)]
    return _PLACEHOLDER.sub(lambda m: str(learned.get(m.group(1), m.group(0))), value)
