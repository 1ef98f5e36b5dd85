"""What a request handler reaches through the request: settings, databases, redirects."""

from __future__ import annotations

from fastapi import Request

from app.platform.db import Databases
from app.platform.settings import Settings
from app.platform.sign_in_records import SignInRecords


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


def sign_in_records(request: Request) -> SignInRecords:
    """Failed sign-ins, locks and session activity, in the store the product chose."""
    records: SignInRecords | None = getattr(request.app.state, "sign_in_records", None)
    if records is None:
        records = request.app.state.sign_in_records = request.app.state.make_sign_in_records(
            dbs(request)
        )
    return records


def client_address(request: Request) -> str:
    """The client's address as uvicorn gives it (X-Forwarded-For only from trusted proxies)."""
    return request.client.host if request.client else "unknown"
