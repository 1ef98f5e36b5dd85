"""The start page and the brief's sign-in address: both lead to where the provider belongs."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.platform.sessions import LOGIN_PATH

router = APIRouter()
SEARCH_PATH = "/patients/search"


@router.get("/")
def home() -> Response:
    """The search (which sends a provider without both factors on to /login or /mfa)."""
    return RedirectResponse(SEARCH_PATH, status_code=303)


@router.get("/provider/login")
def provider_login() -> Response:
    """The brief's sign-in address; the sign-in page is the shared /login."""
    return RedirectResponse(LOGIN_PATH, status_code=303)
