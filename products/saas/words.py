"""The SaaS platform's business words as app values: plan names, card expiry dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from spanner.clock import spanner_today


def plan_id(plan_name: str) -> str:
    """The plan's id for its name: Enterprise -> enterprise, Basic Yearly -> basic-yearly."""
    return "-".join(plan_name.lower().split())


def price_list(plans: list[tuple[str, str, str, str, int]]) -> list[dict[str, object]]:
    """Plans rows from (name, price, currency, billing cycle, tier)."""
    return [
        {
            "PlanID": plan_id(name),
            "DisplayName": name,
            "Amount": Decimal(price),
            "Currency": currency,
            "BillingCycle": cycle,
            "Tier": tier,
        }
        for name, price, currency, cycle, tier in plans
    ]


def future_expiry(today: date | None = None, years: int = 2) -> str:
    """A card expiry (MM/YY) safely in the future, whatever today is."""
    today = today or spanner_today()
    return f"{today.month:02d}/{(today.year + years) % 100:02d}"


# --- card payments: expiry phrases and brand names

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# "this month", "last month", "January next year", "month 13 of next year" (a month that does
# not exist, as an admin might type it)
EXPIRY_PHRASE = (
    r"(?:this|last) month"
    rf"|(?:{'|'.join(MONTH_NAMES)}) (?:this|next) year"
    r"|month \d{1,2} of (?:this|next) year"
)
CARD_BRANDS = {
    "Visa": "visa",
    "Mastercard": "mastercard",
    "Discover": "discover",
    "American Express": "amex",
}


def card_expiry(phrase: str, today: date | None = None) -> tuple[int, int]:
    """(month, year) of an expiry phrase (EXPIRY_PHRASE), counted from Spanner's today."""
    today = today or spanner_today()
    words = phrase.strip().split()
    if words[-1] == "month":
        back = 1 if words[0] == "last" else 0
        index = today.year * 12 + today.month - 1 - back
        return index % 12 + 1, index // 12
    year = today.year + (1 if words[-2] == "next" else 0)
    if words[0] == "month":
        return int(words[1]), year
    if words[0] not in MONTH_NAMES:
        raise ValueError(f"{phrase!r} is not an expiry date (this month, January next year, ...)")
    return MONTH_NAMES.index(words[0]) + 1, year


def expiry_entry(month: int, year: int) -> str:
    """The expiry as a card shows it and the admin types it: MM/YY."""
    return f"{month:02d}/{year % 100:02d}"


def card_brand_id(brand: str) -> str:
    """The brand the platform records for its name: American Express -> amex."""
    if brand not in CARD_BRANDS:
        raise ValueError(f"unknown card brand {brand!r} (known: {', '.join(CARD_BRANDS)})")
    return CARD_BRANDS[brand]


# the tenant's pages, by the words a feature uses for them
ORGANISATION_PAGES = {
    "the dashboard": "/dashboard",
    "the organisation settings": "/settings",
    "the billing tab": "/settings/billing",
    "the usage page": "/billing/usage",
    "the plan upgrades": "/settings/billing/upgrade",
}
# the setup wizard's steps and the pages typed in by address while a step is pending
WIZARD_PAGES = {
    "the organisation step": "/onboarding/organisation",
    "the profile step": "/onboarding/profile",
    "the card step": "/onboarding/billing",
    **ORGANISATION_PAGES,
}
# a form of the wizard sent straight to its address, with answers the step would take
WIZARD_FORMS = {
    "the organisation form": (
        "/onboarding/organisation",
        {"company_size": "11-50", "industry": "technology"},
    ),
    "the profile form": (
        "/onboarding/profile",
        {
            "first_name": "Skip",
            "last_name": "Ahead",
            "password": "Skipping-Ahead-2026!",
            "confirm_password": "Skipping-Ahead-2026!",
        },
    ),
    "the card form": (
        "/onboarding/billing",
        {
            "card_number": "4242 4242 4242 4242",
            "expiry": "12/40",
            "cvc": "123",
            "billing_address": "1 Shortcut Lane",
        },
    ),
}
