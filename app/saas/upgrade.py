"""Plan upgrades: pricing (quote) and the charge + cross-database write (confirm).

Recovery across the two databases: the billing database is the source of truth for a
tenant's plan. Pages show the plan of the active subscription, and ``effective_plan``
re-applies ``Tenants.Plan`` (idempotently) whenever it disagrees, so a crash after the
billing write but before the users-database write is repaired on the tenant's next page view.
A failure after the charge but before the billing write refunds the charge.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.platform.db import Databases
from app.saas.billing import (
    Subscription,
    SubscriptionChangedError,
    active_subscription,
    card_on_file,
    load_plans,
    switch_plan,
)
from app.saas.dates import add_months
from app.saas.payments import Gateway, PaymentError
from app.saas.plans import Plan, PlanError, check_upgrade, find_plan
from app.saas.proration import (
    cycle_months,
    format_amount,
    new_cycle_charge,
    prorate,
    unused_credit,
)
from app.saas.sessions import CurrentUser
from app.saas.tenants import set_tenant_plan

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Quote:
    subscription: Subscription
    current: Plan
    target: Plan
    amount: Decimal
    today: date
    renewal: date  # the new subscription's next billing date
    credit: Decimal | None = None  # unused days of the old cycle, when a new cycle starts today

    @property
    def amount_text(self) -> str:
        return format_amount(self.amount)

    @property
    def credit_text(self) -> str:
        return format_amount(self.credit or Decimal(0))

    @property
    def starts_new_cycle(self) -> bool:
        """A move to a longer billing cycle: the new plan's full cycle starts today."""
        return self.credit is not None


def effective_plan(
    dbs: Databases, user: CurrentUser, plans: list[Plan]
) -> tuple[Plan | None, Subscription | None]:
    """The tenant's plan as billing sees it (falls back to Tenants.Plan without one)."""
    subscription = active_subscription(dbs.billing, user.tenant_id)
    plan_id = subscription.plan_id if subscription else user.tenant_plan
    if subscription and subscription.plan_id != user.tenant_plan:
        log.warning("re-applying plan %s to tenant %s", plan_id, user.tenant_id)
        set_tenant_plan(dbs.users, user.tenant_id, plan_id)
    return find_plan(plans, plan_id), subscription


def quote_upgrade(dbs: Databases, user: CurrentUser, target_id: str, today: date) -> Quote:
    """Price the upgrade; raises PlanError when it is not allowed."""
    if not user.is_admin:
        raise PlanError("Only administrators can change the plan.")
    plans = load_plans(dbs.billing)
    current, subscription = effective_plan(dbs, user, plans)
    if subscription is None or current is None:
        raise PlanError("There is no active subscription to upgrade.")
    target = find_plan(plans, target_id)
    if target is None:
        raise PlanError("This plan does not exist.")
    check_upgrade(current, target)
    old_cycle = subscription.billing_cycle
    if cycle_months(target.billing_cycle) == cycle_months(old_cycle):
        # Same cycle: the difference for the days left, renewing on the same date.
        amount = prorate(
            subscription.amount, target.amount, subscription.next_billing_date, today, old_cycle
        )
        return Quote(subscription, current, target, amount, today, subscription.next_billing_date)
    # A longer cycle: the new plan's full cycle starts today, less the old cycle's unused days.
    credit = unused_credit(subscription.amount, subscription.next_billing_date, today, old_cycle)
    amount = new_cycle_charge(
        subscription.amount, target.amount, subscription.next_billing_date, today, old_cycle
    )
    renewal = add_months(today, cycle_months(target.billing_cycle))
    return Quote(subscription, current, target, amount, today, renewal, credit)


def confirm_upgrade(dbs: Databases, gateway: Gateway, quote: Quote) -> None:
    """Charge the proration to the card on file, then switch the plan in both databases."""
    tenant_id = quote.subscription.tenant_id
    card = card_on_file(dbs.billing, tenant_id)
    if card is None:
        raise PaymentError("There is no card on file; add a payment method first.")
    charge = gateway.charge_card_on_file(card, quote.amount, quote.target.currency, quote.today)
    try:
        switch_plan(
            dbs.billing, quote.subscription, quote.target, quote.amount, quote.today, quote.renewal
        )
    except SubscriptionChangedError:
        gateway.refund(charge)
        raise PlanError(
            "Your subscription changed meanwhile; please review the upgrade again."
        ) from None
    except Exception:
        gateway.refund(charge)
        raise
    set_tenant_plan(dbs.users, tenant_id, quote.target.plan_id)
