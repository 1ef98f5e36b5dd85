"""The SaaS platform's billing rules, computed independently of the app under test."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MONTHS_OF_CYCLE = {"monthly": 1, "quarterly": 3, "yearly": 12}


def months_before(day: date, months: int) -> date:
    """The same day the given number of calendar months earlier, or that month's last day
    when it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expected_proration(
    old: Decimal, new: Decimal, renewal: date, today: date, cycle: str = "monthly"
) -> Decimal:
    """The price difference times the share of the billing cycle left, rounded half up to
    cents. The cycle is the calendar months (one, three or twelve) before the renewal date."""
    cycle_start = months_before(renewal, MONTHS_OF_CYCLE[cycle])
    share = Decimal((renewal - today).days) / Decimal((renewal - cycle_start).days)
    return ((new - old) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def one_month_after(day: date) -> date:
    """The same day of the next calendar month, or that month's last day when it is shorter."""
    return months_before(day, -1)
