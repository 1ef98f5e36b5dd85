"""Every parse type the step patterns name, registered with behave in one place.

The generic ones (`{database:Database}`, `{where:Conditions}`…) are registered by
harness/step_types.py when it is imported; each product's are its step_types.TYPES. A type is
registered before any step file is loaded: environment.py imports this module (behave loads it
first), and each step file that names a type imports it too, so no step file depends on the
order behave loads them in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from behave import register_type

import harness.step_types  # noqa: F401  (registers the generic types on import)
from products.academy import step_types as academy
from products.clinic import step_types as clinic
from products.saas import step_types as saas

PRODUCT_TYPES: dict[str, Mapping[str, Callable[[str], object]]] = {
    "saas": saas.TYPES,
    "academy": academy.TYPES,
    "clinic": clinic.TYPES,
}


def all_types() -> dict[str, Callable[[str], object]]:
    """Every product's types by name; two products naming one type differently is an error."""
    found: dict[str, Callable[[str], object]] = {}
    owner: dict[str, str] = {}
    for product, types in PRODUCT_TYPES.items():
        for name, parser in types.items():
            if name in found and found[name] is not parser:
                raise ValueError(
                    f"the step type {name!r} is declared by both {owner[name]!r} and "
                    f"{product!r}: name one of them differently"
                )
            found[name], owner[name] = parser, product
    return found


register_type(**all_types())
