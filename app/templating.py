"""Jinja2 templates and the helper that renders them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("user", None)
    context.setdefault("admin", None)
    context.setdefault("errors", {})
    context.setdefault("values", {})
    return templates.TemplateResponse(request, name, context, status_code=status_code)
