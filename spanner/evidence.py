"""Put each query and the rows it returned into the report, beside the step that ran it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import allure

from spanner.tables import render_table


def attach_query(
    database: str, sql: str, params: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]
) -> None:
    lines = [f"-- database: {database}", sql.strip()]
    if params:
        lines.append("-- parameters:")
        lines.extend(f"--   @{name} = {value!r}" for name, value in params.items())
    allure.attach(
        "\n".join(lines), name=f"query on {database}", attachment_type=allure.attachment_type.TEXT
    )
    allure.attach(
        render_table(rows) if rows else "(no rows)",
        name=f"{len(rows)} row(s) from {database}",
        attachment_type=allure.attachment_type.TEXT,
    )
