"""Proration of a mid-cycle upgrade (app/saas/proration.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.saas.proration import (
    cycle_start,
    format_amount,
    new_cycle_charge,
    prorate,
    unused_credit,
)

BASIC, PRO = Decimal("49.00"), Decimal("149.00")


def test_full_cycle_left_charges_the_whole_difference() -> None:
    assert prorate(BASIC, PRO, date(2026, 5, 15), date(2026, 4, 15)) == Decimal("100.00")


def test_half_of_a_30_day_cycle() -> None:
    # Cycle Apr 15 -> May 15 has 30 days; 15 left.
    assert prorate(BASIC, PRO, date(2026, 5, 15), date(2026, 4, 30)) == Decimal("50.00")


def test_rounds_half_up_to_cents() -> None:
    # Cycle Jan 1 -> Feb 1 has 31 days; 13 left: 100 * 13 / 31 = 41.935... -> 41.94
    assert prorate(BASIC, PRO, date(2026, 2, 1), date(2026, 1, 19)) == Decimal("41.94")
    # An exact half cent rounds up: 10.25 * 15 / 30 = 5.125 -> 5.13 (half-even gives 5.12)
    assert prorate(Decimal("0"), Decimal("10.25"), date(2026, 5, 15), date(2026, 4, 30)) == (
        Decimal("5.13")
    )


def test_renewal_day_costs_nothing() -> None:
    assert prorate(BASIC, PRO, date(2026, 5, 15), date(2026, 5, 15)) == Decimal("0.00")


def test_overdue_renewal_is_never_negative() -> None:
    assert prorate(BASIC, PRO, date(2026, 5, 15), date(2026, 5, 20)) == Decimal("0.00")


def test_cheaper_plan_is_never_negative() -> None:
    assert prorate(PRO, BASIC, date(2026, 5, 15), date(2026, 4, 20)) == Decimal("0.00")


def test_days_left_are_capped_at_the_cycle_length() -> None:
    assert prorate(BASIC, PRO, date(2026, 5, 15), date(2026, 3, 1)) == Decimal("100.00")


@pytest.mark.parametrize(
    ("next_billing", "start"),
    [
        (date(2026, 3, 31), date(2026, 2, 28)),  # clamp to the end of February
        (date(2028, 3, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 3, 15), date(2026, 2, 15)),
        (date(2026, 1, 31), date(2025, 12, 31)),  # across the year end
    ],
)
def test_cycle_start_is_one_calendar_month_earlier(next_billing: date, start: date) -> None:
    assert cycle_start(next_billing) == start


def test_leap_year_february_cycle_has_29_days() -> None:
    # Cycle Feb 29 -> Mar 29 2028 has 29 days; on Mar 1, 28 days are left: 100 * 28 / 29
    assert prorate(BASIC, PRO, date(2028, 3, 29), date(2028, 3, 1)) == Decimal("96.55")


def test_month_end_cycle_from_february() -> None:
    # Renewal Mar 31 2026: cycle Feb 28 -> Mar 31 has 31 days; Mar 16 leaves 15.
    assert prorate(BASIC, PRO, date(2026, 3, 31), date(2026, 3, 16)) == Decimal("48.39")


def test_format_amount_is_plain_with_two_places() -> None:
    assert format_amount(Decimal("1234.5")) == "1234.50"
    assert format_amount(Decimal("41.665")) == "41.67"
    assert format_amount(Decimal("0")) == "0.00"


def test_unknown_billing_cycle_is_an_error() -> None:
    with pytest.raises(ValueError, match="billing cycle"):
        prorate(BASIC, PRO, date(2026, 5, 15), date(2026, 5, 1), "weekly")


def test_a_new_cycle_costs_the_new_price_less_the_unused_days() -> None:
    # Monthly Basic renewing May 15 (cycle Apr 15 -> May 15, 30 days), 12 days left:
    # credit 49 * 12 / 30 = 19.60; Professional Yearly 1499 - 19.60 = 1479.40.
    renewal, today = date(2026, 5, 15), date(2026, 5, 3)
    assert unused_credit(BASIC, renewal, today) == Decimal("19.60")
    assert new_cycle_charge(BASIC, Decimal("1499.00"), renewal, today) == Decimal("1479.40")


def test_a_new_cycle_on_the_renewal_day_gives_no_credit() -> None:
    day = date(2026, 5, 15)
    assert new_cycle_charge(BASIC, Decimal("429.00"), day, day) == Decimal("429.00")


def test_a_new_cycle_from_a_quarter_credits_the_quarter_days() -> None:
    # Quarterly 139 renewing Jul 1 2026 (cycle Apr 1 -> Jul 1, 91 days), 50 left:
    # credit 139 * 50 / 91 = 76.373... -> 76.37; 1499 - 76.37 = 1422.63.
    renewal, today = date(2026, 7, 1), date(2026, 5, 12)
    assert unused_credit(Decimal("139.00"), renewal, today, "quarterly") == Decimal("76.37")
    assert new_cycle_charge(
        Decimal("139.00"), Decimal("1499.00"), renewal, today, "quarterly"
    ) == Decimal("1422.63")


def test_a_new_cycle_is_never_negative() -> None:
    day = date(2026, 5, 15)
    assert new_cycle_charge(PRO, BASIC, day, date(2026, 4, 15)) == Decimal("0.00")


def test_a_new_cycle_after_an_overdue_renewal_gives_no_credit() -> None:
    """Days past the renewal date are not days left: no negative credit raises the charge."""
    renewal, today = date(2026, 5, 15), date(2026, 5, 20)
    assert unused_credit(BASIC, renewal, today) == Decimal("0.00")
    assert new_cycle_charge(BASIC, Decimal("1499.00"), renewal, today) == Decimal("1499.00")


def test_a_new_cycle_costing_less_than_one_unit_is_charged_as_it_is() -> None:
    """The charge is floored at 0, not rounded up: a whole unused cycle of 100.00 leaves 0.50."""
    renewal, today = date(2026, 5, 15), date(2026, 4, 15)
    charge = new_cycle_charge(Decimal("100.00"), Decimal("100.50"), renewal, today)
    assert charge == Decimal("0.50")
