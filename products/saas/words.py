"""The SaaS platform's business words as app values: plan names, card expiry dates."""

from __future__ import annotations

from datetime import date

from spanner.clock import spanner_today


def plan_id(plan_name: str) -> str:
    """The plan's id for its name: Enterprise -> enterprise."""
    return plan_name.strip().lower()


def future_expiry(today: date | None = None, years: int = 2) -> str:
    """A card expiry (MM/YY) safely in the future, whatever today is."""
    today = today or spanner_today()
    return f"{today.month:02d}/{(today.year + years) % 100:02d}"
