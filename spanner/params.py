"""Query parameters with their Spanner types inferred from the Python values."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from google.cloud.spanner_v1 import Type, param_types


class ParameterError(TypeError):
    """A parameter's value has no Spanner type we can infer."""


def spanner_type_of(value: Any, name: str = "?") -> Type:
    # bool before int, datetime before date: each is a subclass of the other
    if isinstance(value, bool):
        return param_types.BOOL
    if isinstance(value, int):
        return param_types.INT64
    if isinstance(value, float):
        return param_types.FLOAT64
    if isinstance(value, Decimal):
        return param_types.NUMERIC
    if isinstance(value, str):
        return param_types.STRING
    if isinstance(value, bytes):
        return param_types.BYTES
    if isinstance(value, datetime):
        return param_types.TIMESTAMP
    if isinstance(value, date):
        return param_types.DATE
    if isinstance(value, list | tuple):
        items = [item for item in value if item is not None]
        if not items:
            raise ParameterError(
                f"parameter @{name}: cannot infer the element type of an empty list; "
                "pass param_types explicitly"
            )
        return param_types.Array(spanner_type_of(items[0], name))
    if value is None:
        raise ParameterError(
            f"parameter @{name} is None: compare with IS NULL, or pass param_types explicitly"
        )
    raise ParameterError(f"parameter @{name}: no Spanner type for {type(value).__name__}")


def typed_params(
    params: Mapping[str, Any] | None, explicit: Mapping[str, Type] | None = None
) -> tuple[dict[str, Any], dict[str, Type]]:
    values = {name: _wire(v) for name, v in (params or {}).items()}
    types = dict(explicit or {})
    for name, value in values.items():
        if name not in types:
            types[name] = spanner_type_of(value, name)
    return values, types


def _wire(value: Any) -> Any:
    """The client sends bytes as they are and Spanner reads them as base64: encode them."""
    if isinstance(value, bytes):
        return base64.b64encode(value)
    if isinstance(value, list | tuple):
        return [_wire(item) for item in value]
    return value
