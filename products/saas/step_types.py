"""The SaaS platform's placeholders in step patterns: each parse type's allowed values are in
its docstring (`make steps` prints them). products/step_types.py registers TYPES with behave."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import parse

from products.saas.words import (
    CARD_BRANDS,
    EXPIRY_PHRASE,
    ORGANISATION_PAGES,
    WIZARD_FORMS,
    WIZARD_PAGES,
    card_expiry,
)
from spanner.clock import SPANNER_TIMEZONE, spanner_today

# --- signing in and the pages of a tenant (steps/saas/access.py)

LANDINGS = {"their organisation's dashboard": "/dashboard", "the tenants console": "/admin/tenants"}


@parse.with_pattern("|".join(LANDINGS))
def parse_landing(text: str) -> str:
    return text


@parse.with_pattern("|".join(ORGANISATION_PAGES))
def parse_organisation_page(text: str) -> str:
    return text


# what happened since the session started, and the state it left in the users database
SINCE = {
    "their organisation was suspended": ("TenantStatus", "suspended"),
    "their account was disabled": ("UserStatus", "disabled"),
}


@parse.with_pattern("|".join(SINCE))
def parse_since(text: str) -> str:
    return text


# --- the setup wizard (steps/saas/access_wizard.py)

# the wizard's steps in the features' words, and as the users database keeps them
STEPS = {"organisation": "organisation", "profile": "profile", "card": "billing"}
STEP_PAGES = {"organisation": "/onboarding/organisation", "profile": "/onboarding/profile",
              "card": "/onboarding/billing"}  # fmt: skip


@parse.with_pattern("|".join(STEPS))
def parse_wizard_step(text: str) -> str:
    return text


@parse.with_pattern("|".join(re.escape(name) for name in WIZARD_PAGES))
def parse_wizard_page(text: str) -> str:
    return text


@parse.with_pattern("|".join(WIZARD_FORMS))
def parse_wizard_form(text: str) -> str:
    return text


# --- cards (steps/saas/cards.py)


@parse.with_pattern(EXPIRY_PHRASE)
def parse_card_expiry(text: str) -> tuple[int, int]:
    """`this month`, `last month`, `January this year`, `March next year` (any month's name), or
    `month 13 of next year` (a month number, even one that does not exist, as an admin might
    type it)."""
    return card_expiry(text)


@parse.with_pattern("|".join(CARD_BRANDS))
def parse_card_brand(text: str) -> str:
    return text


# --- usage reports too large (steps/saas/security.py)

SIZES = {"16 KB": 16 * 1024, "16 KB and 1 byte": 16 * 1024 + 1}
HOW = {"announcing its length": True, "without announcing its length": False}


@parse.with_pattern("|".join(sorted(SIZES, key=len, reverse=True)))
def parse_size(text: str) -> int:
    """`16 KB` (16,384 bytes) or `16 KB and 1 byte`."""
    return SIZES[text]


@parse.with_pattern("|".join(HOW))
def parse_how(text: str) -> bool:
    """`announcing its length` (Content-Length) or `without announcing its length` (chunked)."""
    return HOW[text]


# --- usage readings (steps/saas/usage_reports.py)

LARGEST_COUNT = 2**63 - 1  # "the largest count billing can store": Spanner's INT64 limit
MOST_IN_ONE_READING = 1_000_000_000  # "a billion": the most one reading may count
AMOUNT_WORDS = {
    "a billion": MOST_IN_ONE_READING,
    "a billion and one": MOST_IN_ONE_READING + 1,
    "the largest count billing can store": LARGEST_COUNT,
    "one more than the largest count billing can store": LARGEST_COUNT + 1,
}
METRICS = {"API calls": "api_calls", "GB of storage": "storage_gb", "active users": "active_users"}
_DAY_AND_TIME = re.compile(r"(?:(yesterday|today|tomorrow) at (\d{2}:\d{2})|(\d+) days? ago)")
_DAY_OFFSET = {"yesterday": -1, "today": 0, "tomorrow": 1}


@dataclass(frozen=True)
class ReadingTime:
    """When a reading happened, as the feature says it: a Los Angeles day and time of day, or
    text sent exactly as written."""

    phrase: str
    days_from_today: int = 0
    at: time = time(12, 0)
    written: str | None = None

    def moment(self) -> datetime:
        """The moment on Spanner's (Los Angeles) calendar; noon keeps "N days ago" well inside
        its day."""
        day = spanner_today() + timedelta(days=self.days_from_today)
        return datetime.combine(day, self.at, SPANNER_TIMEZONE)

    def sent(self) -> str:
        return self.written if self.written is not None else self.moment().isoformat()


@parse.with_pattern(r'"[^"]*"|(?:yesterday|today|tomorrow) at \d{2}:\d{2}|\d+ days? ago')
def parse_reading_time(text: str) -> ReadingTime:
    """`today at 09:00`, `yesterday at 23:30`, `tomorrow at 09:00` (Los Angeles time), `35 days
    ago` (at noon), `"yesterday"` (sent as that text)."""
    if text.startswith('"'):
        return ReadingTime(text, written=text[1:-1])
    match = _DAY_AND_TIME.fullmatch(text)
    assert match, f"not a reading time: {text!r}"
    day, at, days_ago = match.groups()
    if days_ago is not None:
        return ReadingTime(text, days_from_today=-int(days_ago))
    return ReadingTime(text, _DAY_OFFSET[day], time.fromisoformat(at))


@parse.with_pattern(
    r'"[^"]*"|-?\d+\.\d+|-?\d+|a billion(?: and one)?'
    r"|(?:one more than )?the largest count billing can store"
)
def parse_reported_amount(text: str) -> str | int | float:
    """`250` a whole number, `1.5` a fraction, `"5"` the text 5, `a billion` (the most one
    reading may count), `a billion and one`, `the largest count billing can store` (2^63-1) and
    `one more than the largest count billing can store`."""
    if text in AMOUNT_WORDS:
        return AMOUNT_WORDS[text]
    if text.startswith('"'):
        return text[1:-1]
    return float(text) if "." in text else int(text)


@parse.with_pattern("|".join(METRICS))
def parse_metric(text: str) -> str:
    """`API calls`, `GB of storage`, `active users`: the metric the API is told."""
    return METRICS[text]


@parse.with_pattern(r'no key|a made-up key|its revoked key|the key of "[^"]+"')
def parse_key_choice(text: str) -> str:
    """Which key the metering client sends: `no key`, `a made-up key`, `its revoked key` or
    `the key of "<domain>"` (the tenant's key in the feature's accounts file)."""
    return text


TYPES: dict[str, Callable[[str], object]] = {
    "Landing": parse_landing,
    "OrganisationPage": parse_organisation_page,
    "Since": parse_since,
    "WizardStep": parse_wizard_step,
    "WizardPage": parse_wizard_page,
    "WizardForm": parse_wizard_form,
    "CardExpiry": parse_card_expiry,
    "CardBrand": parse_card_brand,
    "ReportSize": parse_size,
    "Announcing": parse_how,
    "ReadingTime": parse_reading_time,
    "ReportedAmount": parse_reported_amount,
    "Metric": parse_metric,
    "KeyChoice": parse_key_choice,
}
