"""The SaaS platform's billing rules, computed independently of the app under test."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def expected_proration(old: Decimal, new: Decimal, renewal: date, today: date) -> Decimal:
    """The price difference times the share of the monthly cycle left, rounded half up to
    cents. The cycle is the calendar month before the renewal date."""
    month, year = (renewal.month - 1, renewal.year) if renewal.month > 1 else (12, renewal.year - 1)
    cycle_start = date(year, month, min(renewal.day, calendar.monthrange(year, month)[1]))
    share = Decimal((renewal - today).days) / Decimal((renewal - cycle_start).days)
    return ((new - old) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def one_month_after(day: date) -> date:
    """The same day of the next calendar month, or that month's last day when it is shorter."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
