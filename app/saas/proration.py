"""Proration of a mid-cycle plan upgrade (a business rule the acceptance tests check).

A subscription's current cycle runs from ``cycle_start`` to ``next_billing_date``, where
``cycle_start`` is ``next_billing_date`` minus one cycle (one calendar month for a monthly
plan, the day clamped to the end of the month: a cycle renewing on Mar 31 started Feb 28/29).

    days_left  = (next_billing_date - today).days, clamped to [0, cycle_days]
    cycle_days = (next_billing_date - cycle_start).days
    proration  = (new_price - old_price) * days_left / cycle_days

computed with Decimal, rounded to cents with ROUND_HALF_UP, never negative. On the renewal
day itself days_left is 0, so the upgrade costs nothing until the next invoice.

A move to a plan billed over a LONGER cycle (monthly -> quarterly or yearly, quarterly ->
yearly) cannot keep the old renewal date: the new plan's full cycle starts today and renews
one new cycle from today. The tenant pays the new plan's full price less a credit for the
unused days of the old cycle:

    credit = old_price * days_left / cycle_days          (rounded to cents, half up)
    charge = new_price - credit                          (never negative)
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.saas.dates import add_months

CENT = Decimal("0.01")
CYCLE_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3, "yearly": 12}


def cycle_months(billing_cycle: str) -> int:
    try:
        return CYCLE_MONTHS[billing_cycle]
    except KeyError:
        raise ValueError(f"unknown billing cycle {billing_cycle!r}") from None


def cycle_start(next_billing_date: date, billing_cycle: str = "monthly") -> date:
    return add_months(next_billing_date, -cycle_months(billing_cycle))


def _days_left_of_cycle(
    next_billing_date: date, today: date, billing_cycle: str
) -> tuple[int, int]:
    """The days left until renewal (none before today, at most the whole cycle) and the
    cycle's length in days."""
    cycle_days = (next_billing_date - cycle_start(next_billing_date, billing_cycle)).days
    return min(max((next_billing_date - today).days, 0), cycle_days), cycle_days


def prorate(
    old_price: Decimal,
    new_price: Decimal,
    next_billing_date: date,
    today: date,
    billing_cycle: str = "monthly",
) -> Decimal:
    """Amount to charge today for moving from old_price to new_price (see module docstring)."""
    days_left, cycle_days = _days_left_of_cycle(next_billing_date, today, billing_cycle)
    amount = (Decimal(new_price) - Decimal(old_price)) * days_left / cycle_days
    return max(amount, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal) -> str:
    """Plain decimal with two places: no currency sign, no thousands separator."""
    return str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


def unused_credit(
    old_price: Decimal, next_billing_date: date, today: date, billing_cycle: str = "monthly"
) -> Decimal:
    """What the unused days of the current cycle are worth (see module docstring)."""
    days_left, cycle_days = _days_left_of_cycle(next_billing_date, today, billing_cycle)
    credit = Decimal(old_price) * days_left / cycle_days
    return credit.quantize(CENT, rounding=ROUND_HALF_UP)


def new_cycle_charge(
    old_price: Decimal,
    new_price: Decimal,
    next_billing_date: date,
    today: date,
    billing_cycle: str = "monthly",
) -> Decimal:
    """Amount to charge today when the new plan's full cycle starts today."""
    credit = unused_credit(old_price, next_billing_date, today, billing_cycle)
    return max(Decimal(new_price) - credit, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
