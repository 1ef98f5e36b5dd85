"""Jinja2 templates: the product's folder first, then the platform's (base, macros, login)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

PLATFORM_TEMPLATES = Path(__file__).parent / "templates"


def make_templates(product_templates: Path, title: str, support_email: str) -> Jinja2Templates:
    """Templates where a product's file of the same name wins over the platform's."""
    templates = Jinja2Templates(directory=[product_templates, PLATFORM_TEMPLATES])
    templates.env.globals.update(product_title=title, support_email=support_email)
    return templates


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """Render a template of the app that handles ``request``."""
    context.setdefault("errors", {})
    context.setdefault("values", {})
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status_code)
