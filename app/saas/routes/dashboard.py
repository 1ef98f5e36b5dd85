"""The tenant dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from app.platform.deps import dbs
from app.platform.templating import render
from app.saas.billing import load_plans
from app.saas.deps import onboarded_user
from app.saas.sessions import CurrentUser
from app.saas.upgrade import effective_plan

router = APIRouter()


@router.get("/dashboard")
def dashboard(
    request: Request, user: Annotated[CurrentUser, Depends(onboarded_user)], welcome: str = ""
) -> Response:
    databases = dbs(request)
    plan, _ = effective_plan(databases, user, load_plans(databases.billing))
    return render(request, "dashboard.html", user=user, plan=plan, welcome=welcome == "1")
