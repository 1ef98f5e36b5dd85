"""Jinja2 templates: the product's folder first, then the platform's (base, macros, login)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.responses import Response

from app.platform.csrf import FIELD, RENDERED

PLATFORM_TEMPLATES = Path(__file__).parent / "templates"


def make_templates(product_templates: Path, title: str, support_email: str) -> Jinja2Templates:
    """Templates where a product's file of the same name wins over the platform's."""
    templates = Jinja2Templates(directory=[product_templates, PLATFORM_TEMPLATES])
    templates.env.globals.update(
        product_title=title,
        support_email=support_email,
        csrf_token=csrf_token,
        csrf_field=csrf_field,
        csp_nonce=csp_nonce,
    )
    return templates


def _state(context: Context, name: str) -> str:
    request: Request = context["request"]
    return str(request.scope.get("state", {}).get(name, ""))


@pass_context
def csrf_token(context: Context) -> str:
    """This browser's CSRF token (app/platform/csrf.py), for scripts: <meta name=csrf-token>."""
    request: Request = context["request"]
    state = request.scope.setdefault("state", {})
    state[RENDERED] = True
    return str(state.get("csrf_token", ""))


@pass_context
def csrf_field(context: Context) -> Markup:
    """The hidden CSRF field: ``{{ csrf_field() }}`` first in every form that posts."""
    value = csrf_token(context)
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, value)


@pass_context
def csp_nonce(context: Context) -> str:
    """The nonce an inline <script> or <style> needs: ``nonce="{{ csp_nonce() }}"``."""
    return _state(context, "csp_nonce")


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """Render a template of the app that handles ``request``."""
    context.setdefault("errors", {})
    context.setdefault("values", {})
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status_code)
