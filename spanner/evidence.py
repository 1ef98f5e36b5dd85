"""Put each query and the rows it returned into the report, beside the step that ran it.

A polling check runs its queries many times; only its last attempt's queries are attached
(`collecting` holds them back, `emit` attaches them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import allure

from spanner.tables import render_table

Attachment = tuple[str, str]  # (text, name)
_held: ContextVar[list[Attachment] | None] = ContextVar("held_attachments", default=None)


def attach_query(
    database: str, sql: str, params: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]
) -> None:
    lines = [f"-- database: {database}", sql.strip()]
    if params:
        lines.append("-- parameters:")
        lines.extend(f"--   @{name} = {value!r}" for name, value in params.items())
    attachments = [
        ("\n".join(lines), f"query on {database}"),
        (render_table(rows) if rows else "(no rows)", f"{len(rows)} row(s) from {database}"),
    ]
    held = _held.get()
    if held is not None:
        held.extend(attachments)
    else:
        emit(attachments)


@contextmanager
def collecting() -> Iterator[list[Attachment]]:
    """Hold back the attachments made inside; the caller decides which to emit."""
    held: list[Attachment] = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


def emit(attachments: Sequence[Attachment]) -> None:
    for text, name in attachments:
        allure.attach(text, name=name, attachment_type=allure.attachment_type.TEXT)
