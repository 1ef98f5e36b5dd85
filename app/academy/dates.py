"""The business day: the America/Los_Angeles date, as Spanner's CURRENT_DATE() sees it, so the
app and SQL checks agree on a certificate's completion date at any hour of the day."""

from __future__ import annotations

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
