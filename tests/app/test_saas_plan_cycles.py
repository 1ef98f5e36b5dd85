"""Which plan changes are upgrades, across billing cycles (app/saas/plans.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.saas.plans import Plan, PlanError, check_upgrade, upgrade_options


def plan(plan_id: str, cycle: str, tier: int, currency: str = "USD") -> Plan:
    return Plan(plan_id, plan_id.title(), Decimal("1"), currency, cycle, tier)


BASIC_M, BASIC_Q, BASIC_Y = (plan("basic", "monthly", 1), plan("basic-q", "quarterly", 1),
                             plan("basic-y", "yearly", 1))  # fmt: skip
PRO_M, PRO_Q, PRO_Y = (plan("pro", "monthly", 2), plan("pro-q", "quarterly", 2),
                       plan("pro-y", "yearly", 2))  # fmt: skip
ENTERPRISE = plan("enterprise", "monthly", 3)
ALL = [BASIC_M, BASIC_Q, BASIC_Y, PRO_M, PRO_Q, PRO_Y, ENTERPRISE]


@pytest.mark.parametrize(
    ("current", "offered"),
    [
        (BASIC_M, [PRO_M, PRO_Q, PRO_Y, ENTERPRISE]),
        (BASIC_Q, [PRO_Q, PRO_Y]),
        (BASIC_Y, [PRO_Y]),
        (PRO_M, [ENTERPRISE]),
        (PRO_Y, []),
    ],
)
def test_offered_upgrades_are_bigger_plans_with_a_cycle_at_least_as_long(
    current: Plan, offered: list[Plan]
) -> None:
    assert upgrade_options(ALL, current) == offered


@pytest.mark.parametrize(("current", "target"), [(BASIC_Q, PRO_M), (BASIC_Y, PRO_Q),
                                                 (BASIC_Y, ENTERPRISE)])  # fmt: skip
def test_a_shorter_cycle_is_refused(current: Plan, target: Plan) -> None:
    with pytest.raises(PlanError, match="keeps or lengthens the billing cycle"):
        check_upgrade(current, target)


def test_another_currency_is_not_offered() -> None:
    euro = plan("pro-eur", "monthly", 2, "EUR")
    assert upgrade_options([BASIC_M, euro], BASIC_M) == []


@pytest.mark.parametrize("currency", ["EUR", "ZAR"])  # sorting before and after USD
def test_a_plan_in_another_currency_is_neither_offered_nor_an_upgrade(currency: str) -> None:
    other = plan(f"pro-{currency.lower()}", "monthly", 2, currency)
    assert upgrade_options([BASIC_M, other], BASIC_M) == []
    with pytest.raises(PlanError, match="billed in another currency"):
        check_upgrade(BASIC_M, other)
