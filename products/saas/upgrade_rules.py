"""What an upgrade to a plan billed over a longer cycle costs, computed independently of the
app under test: the new plan's full cycle starts today, paid at its full price less what the
unused days of the old cycle are worth."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from products.saas.rules import MONTHS_OF_CYCLE, expected_proration, months_before

CENTS = Decimal("0.01")


def unused_days_credit(old_price: Decimal, renewal: date, today: date, cycle: str) -> Decimal:
    """The old price times the share of the old cycle still unused, rounded half up to cents."""
    cycle_start = months_before(renewal, MONTHS_OF_CYCLE[cycle])
    share = Decimal((renewal - today).days) / Decimal((renewal - cycle_start).days)
    return (old_price * share).quantize(CENTS, rounding=ROUND_HALF_UP)


def new_cycle_price(
    old_price: Decimal, new_price: Decimal, renewal: date, today: date, cycle: str
) -> Decimal:
    """The new plan's full price less the credit for the old cycle's unused days."""
    return new_price - unused_days_credit(old_price, renewal, today, cycle)


def renewal_of_new_cycle(today: date, cycle: str) -> date:
    """One new cycle (one, three or twelve calendar months) from today."""
    return months_before(today, -MONTHS_OF_CYCLE[cycle])


def upgrade_charge(
    old_price: Decimal,
    old_cycle: str,
    new_price: Decimal,
    new_cycle: str,
    renewal: date,
    today: date,
) -> tuple[Decimal, date]:
    """What an upgrade costs today and when the new subscription renews: within the cycle, the
    price difference for the days left, renewing on the same date; to a longer cycle, a new
    cycle from today at the full price less the unused days of the old one."""  # fmt: skip
    if MONTHS_OF_CYCLE[new_cycle] == MONTHS_OF_CYCLE[old_cycle]:
        return expected_proration(old_price, new_price, renewal, today, old_cycle), renewal
    return (
        new_cycle_price(old_price, new_price, renewal, today, old_cycle),
        renewal_of_new_cycle(today, new_cycle),
    )
