"""The price list (Plans table of the billing database) and the upgrade rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.saas.proration import cycle_months


@dataclass(frozen=True)
class Plan:
    plan_id: str
    display_name: str
    amount: Decimal
    currency: str
    billing_cycle: str
    tier: int


class PlanError(ValueError):
    """A plan change the rules refuse; the message is shown to the user."""


def find_plan(plans: list[Plan], plan_id: str) -> Plan | None:
    return next((p for p in plans if p.plan_id == plan_id), None)


def is_upgrade(current: Plan, target: Plan) -> bool:
    """A strictly higher tier, in the same currency, billed over a cycle at least as long.

    A move to a shorter cycle is not an upgrade: the unused part of a long prepaid cycle
    would be worth more than the new, shorter cycle costs, and billing does not refund.
    """
    return (
        target.tier > current.tier
        and target.currency == current.currency
        and cycle_months(target.billing_cycle) >= cycle_months(current.billing_cycle)
    )


def upgrade_options(plans: list[Plan], current: Plan) -> list[Plan]:
    """The plans ``check_upgrade`` accepts from the current one, smallest tier first."""
    return sorted((p for p in plans if is_upgrade(current, p)), key=lambda p: (p.tier, p.plan_id))


def check_upgrade(current: Plan, target: Plan) -> None:
    """Raise PlanError unless moving from current to target is an upgrade."""
    if target.plan_id == current.plan_id:
        raise PlanError(f"You are already on the {current.display_name} plan.")
    if target.tier <= current.tier:
        raise PlanError(
            f"{target.display_name} is not an upgrade from {current.display_name}; "
            "only moves to a higher plan are possible here."
        )
    if target.currency != current.currency:
        raise PlanError(f"{target.display_name} is billed in another currency.")
    if cycle_months(target.billing_cycle) < cycle_months(current.billing_cycle):
        raise PlanError(
            f"{target.display_name} is billed {target.billing_cycle}, more often than your "
            f"{current.billing_cycle} {current.display_name} plan; an upgrade keeps or "
            "lengthens the billing cycle."
        )
