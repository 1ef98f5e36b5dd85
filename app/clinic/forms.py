"""What a clinic form's text fields must be: given (after trimming) and not over their length."""

from __future__ import annotations

from collections.abc import Mapping

# field -> (what the field is called in messages, its longest length)
FieldRules = Mapping[str, tuple[str, int]]


def field_problems(form: object, fields: FieldRules) -> dict[str, str]:
    """What is wrong with each of the (trimmed) form's fields; empty when all are right."""
    problems = {}
    for name, (what, longest) in fields.items():
        value = getattr(form, name)
        if not value:
            problems[name] = f"Enter {what}."
        elif len(value) > longest:
            problems[name] = f"{what.capitalize()} must be at most {longest} characters."
    return problems
