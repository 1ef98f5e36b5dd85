"""Calendar helpers. The business "today" is the America/Los_Angeles date, as Spanner's
CURRENT_DATE() sees it, so the app and SQL checks agree at any hour of the day."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LA = ZoneInfo("America/Los_Angeles")


def utc_now() -> datetime:
    return datetime.now(UTC)


def la_date_of(moment: datetime) -> date:
    """The Los Angeles calendar date of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(LA).date()


def today_la(now: datetime | None = None) -> date:
    return la_date_of(now if now is not None else utc_now())


def add_months(day: date, months: int) -> date:
    """Shift by calendar months, clamping the day to the end of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
