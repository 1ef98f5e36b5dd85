"""Spanner's idea of "today", and relative times like now-1h or today+30d.

Spanner's CURRENT_DATE() and DATE(ts) use America/Los_Angeles unless told otherwise, so the
suite's "today" is that zone's date too: fixtures, checks and the app agree at any hour.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SPANNER_TIMEZONE = ZoneInfo("America/Los_Angeles")
_RELATIVE = re.compile(r"^(now|today)\s*(?:([+-])\s*(\d+)\s*([smhdw]))?$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def utc_now() -> datetime:
    return datetime.now(UTC)


def spanner_today(now: datetime | None = None) -> date:
    return (now or utc_now()).astimezone(SPANNER_TIMEZONE).date()


def start_of_day(day: date) -> datetime:
    """Midnight of a Spanner (Los Angeles) day, in UTC."""
    return datetime.combine(day, time.min, SPANNER_TIMEZONE).astimezone(UTC)


def parse_relative(text: str, now: datetime | None = None) -> datetime | date | None:
    """`now`, `now-1h`, `today`, `today+30d` ... -> datetime (now) or date (today); else None."""
    match = _RELATIVE.match(text.strip())
    if not match:
        return None
    anchor, sign, amount, unit = match.groups()
    offset = timedelta()
    if sign:
        offset = timedelta(**{_UNITS[unit.lower()]: int(amount)})
        if sign == "-":
            offset = -offset
    now = now or utc_now()
    if anchor.lower() == "now":
        return now + offset
    if unit and unit.lower() not in ("d", "w"):
        raise ValueError(f"{text!r}: today moves in days or weeks (d, w), not {unit}")
    return spanner_today(now) + offset
