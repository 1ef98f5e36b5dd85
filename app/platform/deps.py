"""What a request handler reaches through the request: settings, databases, redirects."""

from __future__ import annotations

from fastapi import Request

from app.platform.db import Databases
from app.platform.settings import Settings


class Redirect(Exception):  # noqa: N818 - control flow, not an error
    """Answer with a 303 redirect; clear_cookie also logs the browser out."""

    def __init__(self, location: str, clear_cookie: str | None = None) -> None:
        super().__init__(location)
        self.location = location
        self.clear_cookie = clear_cookie


def settings(request: Request) -> Settings:
    return request.app.state.settings


def dbs(request: Request) -> Databases:
    return request.app.state.dbs
