"""A test client that sends the CSRF token the way the apps' own pages do (app/platform/csrf.py):
its cookie and the X-CSRF-Token header on every POST, PUT, PATCH and DELETE. Tests of other
rules use it; tests of the CSRF defence itself use a plain TestClient."""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from typing import Any

import httpx
from fastapi.testclient import TestClient

from app.platform.csrf import HEADER, UNSAFE_METHODS

NAMES = ("csrf", "__Host-csrf")


def add_csrf_token(request: httpx.Request) -> None:
    """An httpx request hook: the CSRF cookie (a new token if none) and its header."""
    if request.method not in UNSAFE_METHODS or HEADER in request.headers:
        return
    jar: SimpleCookie = SimpleCookie()
    jar.load(request.headers.get("cookie", ""))
    held = [jar[name].value for name in NAMES if name in jar]
    token = held[0] if held else secrets.token_urlsafe(32)
    if not held:
        pairs = [request.headers.get("cookie", ""), *(f"{name}={token}" for name in NAMES)]
        request.headers["cookie"] = "; ".join(pair for pair in pairs if pair)
    request.headers[HEADER] = token


def browser_client(app: Any, **options: Any) -> TestClient:
    """``TestClient(app, **options)`` that sends the CSRF token with every unsafe request."""
    client = TestClient(app, **options)
    client.event_hooks = {"request": [add_csrf_token], "response": []}
    return client
