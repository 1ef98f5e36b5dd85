"""Query parameters: Spanner types inferred from Python values, and a real round trip."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from google.cloud.spanner_v1 import Type, TypeCode, param_types
from google.cloud.spanner_v1.database import Database

from spanner.params import ParameterError, spanner_type_of, typed_params
from spanner.query import query

VALUES: dict[str, tuple[Any, Type]] = {
    "str": ("Acme; DROP TABLE", param_types.STRING),
    "int": (2**53 + 1, param_types.INT64),
    "float": (0.1, param_types.FLOAT64),
    "bool": (True, param_types.BOOL),
    "decimal": (Decimal("499.99"), param_types.NUMERIC),
    "date": (date(2024, 2, 29), param_types.DATE),
    "datetime": (datetime(2026, 1, 31, 9, 30, 15, 123456, tzinfo=UTC), param_types.TIMESTAMP),
    "bytes": (b"abcd", param_types.BYTES),
    "list": (["a", "b"], param_types.Array(param_types.STRING)),
}


@pytest.mark.parametrize("case", VALUES.values(), ids=VALUES.keys())
def test_type_is_inferred(case: tuple[Any, Type]) -> None:
    value, expected = case
    assert spanner_type_of(value) == expected


def test_bool_is_bool_not_int64() -> None:
    assert spanner_type_of(False).code == TypeCode.BOOL


def test_datetime_is_timestamp_not_date() -> None:
    assert spanner_type_of(datetime(2026, 1, 1, tzinfo=UTC)).code == TypeCode.TIMESTAMP


def test_tuple_becomes_a_list_and_explicit_types_win() -> None:
    values, types = typed_params({"ids": (1, 2), "x": None}, {"x": param_types.STRING})
    assert values == {"ids": [1, 2], "x": None}
    assert types == {"ids": param_types.Array(param_types.INT64), "x": param_types.STRING}


@pytest.mark.parametrize(
    ("value", "fragment"),
    [([], "@ids: cannot infer the element type of an empty list"), (None, "@ids is None")],
    ids=["empty list", "None"],
)
def test_uninferable_values_name_the_parameter(value: Any, fragment: str) -> None:
    with pytest.raises(ParameterError, match=fragment):
        typed_params({"ids": value})


@pytest.mark.parametrize(
    "case",
    [case for name, case in VALUES.items() if name != "bytes"],
    ids=[name for name in VALUES if name != "bytes"],
)
def test_round_trip_through_the_emulator(case: tuple[Any, Type], typed_db: Database) -> None:
    value, _ = case
    rows = query(typed_db, "SELECT @v AS v", {"v": value}, attach=False)
    assert rows == [{"v": value}]
    assert isinstance(rows[0]["v"], type(value))  # 1 == True, so check the type too


def test_bytes_parameter_reaches_spanner_intact(typed_db: Database) -> None:
    rows = query(typed_db, "SELECT TO_HEX(@v) AS hex", {"v": b"abcd"}, attach=False)
    assert rows == [{"hex": b"abcd".hex()}]


def test_bytes_come_back_as_the_bytes_written(typed_db: Database) -> None:
    rows = query(typed_db, "SELECT @v AS v, FROM_HEX('00ff') AS raw", {"v": b"\x00\xff"})
    assert rows == [{"v": b"\x00\xff", "raw": b"\x00\xff"}]
