"""The academy's static files (the course video) under /static, with range requests so the
player can seek."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent.parent / "static"

router = APIRouter()
router.mount("/static", StaticFiles(directory=STATIC), name="static")
