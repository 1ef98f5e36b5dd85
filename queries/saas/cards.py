"""The SQL behind paying by card: the cards on file and where the setup wizard stands.

Cards on file live in the billing database (only brand, last four digits and expiry, never the
number or the security code); the setup wizard's step in the users database. Every value is a
query parameter.
"""

from __future__ import annotations

from google.cloud.spanner_v1.database import Database

from spanner.query import Row, execute, query


def cards_on_file(db: Database, tenant_id: str) -> list[Row]:
    """billing database: every card the tenant has on file."""
    return query(
        db,
        """
        SELECT Brand, Last4, ExpiryMonth, ExpiryYear
        FROM PaymentMethods
        WHERE TenantID = @tenant_id
        """,
        {"tenant_id": tenant_id},
    )


def onboarding_state(db: Database, tenant_id: str) -> Row | None:
    """users database: the tenant's plan and status, and its step in the setup wizard."""
    rows = query(
        db,
        """
        SELECT t.Plan, t.Status, p.OnboardingStep
        FROM Tenants t
        JOIN TenantProfiles p ON p.TenantID = t.TenantID
        WHERE t.TenantID = @tenant_id
        """,
        {"tenant_id": tenant_id},
    )
    return rows[0] if rows else None


def billing_addresses(db: Database, tenant_id: str) -> list[Row]:
    """billing database: the address of every card the tenant has on file."""
    return query(
        db,
        "SELECT BillingAddress FROM PaymentMethods WHERE TenantID = @tenant_id",
        {"tenant_id": tenant_id},
    )


def put_at_card_step(db: Database, tenant_id: str) -> int:
    """users database: the tenant is onboarding, its setup wizard waiting for the card."""
    moved = execute(
        db,
        "UPDATE TenantProfiles SET OnboardingStep = @billing WHERE TenantID = @tenant_id",
        {"billing": "billing", "tenant_id": tenant_id},
    )
    execute(
        db,
        "UPDATE Tenants SET Status = @onboarding WHERE TenantID = @tenant_id",
        {"onboarding": "onboarding", "tenant_id": tenant_id},
    )
    return moved


def start_subscription_unrecorded(db: Database, tenant_id: str, plan_id: str) -> int:
    """billing database: an active subscription to the (monthly) plan at its price, renewing
    a month from today in Los Angeles, as the card step writes it before the users database's
    part."""
    return execute(
        db,
        """
        INSERT INTO Subscriptions (SubscriptionID, TenantID, Plan, Status, BillingCycle, Amount,
                                   Currency, NextBillingDate, CreatedAt)
        SELECT @subscription_id, @tenant_id, PlanID, @active, BillingCycle, Amount, Currency,
               DATE_ADD(CURRENT_DATE(@zone), INTERVAL @months MONTH), CURRENT_TIMESTAMP()
        FROM Plans
        WHERE PlanID = @plan_id
        """,
        {"subscription_id": f"sub-{tenant_id}-unrecorded", "tenant_id": tenant_id,
         "active": "active", "zone": "America/Los_Angeles", "months": 1, "plan_id": plan_id},
    )  # fmt: skip
