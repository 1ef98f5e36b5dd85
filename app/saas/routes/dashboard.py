"""The tenant dashboard: the page, and its script (the data comes from routes/dashboard_api)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse
from starlette.responses import Response

from app.platform.templating import render
from app.saas.deps import onboarded_user
from app.saas.sessions import CurrentUser

router = APIRouter()
STATIC = Path(__file__).resolve().parent.parent / "static"


@router.get("/dashboard")
def dashboard(
    request: Request, user: Annotated[CurrentUser, Depends(onboarded_user)], welcome: str = ""
) -> Response:
    # The browser keeps each person's saved copy under a key of their own.
    storage_key = f"{user.tenant_id}/{user.user_id}"
    return render(request, "dashboard.html", user=user, storage_key=storage_key,
                  welcome=welcome == "1")  # fmt: skip


SCRIPTS = frozenset({"dashboard.js", "sign_out.js"})


@router.get("/static/saas/{name}")
def script(name: str) -> FileResponse:
    """The SaaS pages' scripts (app/saas/static); no-cache: a new release's is used at once."""
    if name not in SCRIPTS:
        raise HTTPException(404)
    return FileResponse(
        STATIC / name, media_type="text/javascript", headers={"Cache-Control": "no-cache"}
    )
