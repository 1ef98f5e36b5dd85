"""The tenant dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from app.billing import load_plans
from app.deps import dbs, onboarded_user
from app.sessions import CurrentUser
from app.templating import render
from app.upgrade import effective_plan

router = APIRouter()


@router.get("/dashboard")
def dashboard(
    request: Request, user: Annotated[CurrentUser, Depends(onboarded_user)], welcome: str = ""
) -> Response:
    databases = dbs(request)
    plan, _ = effective_plan(databases, user, load_plans(databases.secondary))
    return render(request, "dashboard.html", user=user, plan=plan, welcome=welcome == "1")
