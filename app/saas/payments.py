"""Payment gateway with card-test semantics (an in-process stand-in for a real gateway).

Card rules: spaces and dashes are ignored, then 13-19 digits passing the Luhn check, of a
brand the platform takes (Visa, Mastercard, Discover, American Express);
expiry MM/YY not before the current month (Los Angeles date); CVC of 3 digits, 4 for
American Express (prefix 34/37). 4000 0000 0000 0002 is always declined; every other
valid number (e.g. 4242 4242 4242 4242) is approved. Only brand, last four digits and
expiry ever leave this module: never the full number or the CVC.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

log = logging.getLogger(__name__)

DECLINED_NUMBERS = frozenset({"4000000000000002"})
DECLINE_MESSAGE = "Your card was declined."
UNKNOWN_BRAND_MESSAGE = "We take Visa, Mastercard, Discover and American Express cards."
_EXPIRY_RE = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{2})\s*$")


class PaymentError(ValueError):
    """Invalid card input or a declined payment; the message is shown to the user."""


@dataclass(frozen=True)
class Card:
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class Charge:
    charge_id: str
    amount: Decimal
    currency: str


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def card_brand(digits: str) -> str:
    if digits[:2] in ("34", "37"):
        return "amex"
    if digits.startswith("4"):
        return "visa"
    if 51 <= int(digits[:2]) <= 55 or 2221 <= int(digits[:4]) <= 2720:
        return "mastercard"
    if digits.startswith("6011") or digits.startswith("65"):
        return "discover"
    return "card"


def normalise_number(raw: str) -> str:
    digits = raw.replace(" ", "").replace("-", "")
    if not digits:
        raise PaymentError("Enter your card number.")
    if not digits.isdigit():
        raise PaymentError("Card number must contain digits only.")
    if not 13 <= len(digits) <= 19 or not luhn_valid(digits):
        raise PaymentError("Your card number is invalid.")
    return digits


def parse_expiry(raw: str, today: date) -> tuple[int, int]:
    """(month, year) of an MM/YY expiry; a card is valid through the end of that month."""
    match = _EXPIRY_RE.match(raw)
    if not match:
        raise PaymentError("Enter the expiry date as MM/YY.")
    month, year = int(match.group(1)), 2000 + int(match.group(2))
    if not 1 <= month <= 12:
        raise PaymentError("Expiry month must be between 01 and 12.")
    if (year, month) < (today.year, today.month):
        raise PaymentError("Your card has expired.")
    return month, year


def check_cvc(raw: str, brand: str) -> None:
    expected = 4 if brand == "amex" else 3
    value = raw.strip()
    if len(value) != expected or not value.isdigit():
        raise PaymentError(f"The security code (CVC) must be {expected} digits.")


def validate_card(number: str, expiry: str, cvc: str, today: date) -> tuple[str, Card]:
    """Check the card input; returns (digits, card) or raises PaymentError."""
    digits = normalise_number(number)
    month, year = parse_expiry(expiry, today)
    brand = card_brand(digits)
    if brand == "card":
        raise PaymentError(UNKNOWN_BRAND_MESSAGE)
    check_cvc(cvc, brand)
    return digits, Card(brand=brand, last4=digits[-4:], exp_month=month, exp_year=year)


class Gateway:
    """The gateway calls the app makes; swap for a real provider's client in production."""

    def verify_card(self, number: str, expiry: str, cvc: str, today: date) -> Card:
        """Validate and authorise a new card without charging it."""
        digits, card = validate_card(number, expiry, cvc, today)
        if digits in DECLINED_NUMBERS:
            raise PaymentError(DECLINE_MESSAGE)
        return card

    def charge_card_on_file(
        self, card: Card, amount: Decimal, currency: str, today: date
    ) -> Charge:
        if amount < 0:
            raise ValueError("amount must not be negative")
        if (card.exp_year, card.exp_month) < (today.year, today.month):
            raise PaymentError("The card on file has expired; add a new card first.")
        charge = Charge(charge_id=str(uuid.uuid4()), amount=amount, currency=currency)
        log.info("charged %s %s to %s ending %s", amount, currency, card.brand, card.last4)
        return charge

    def refund(self, charge: Charge) -> None:
        log.info("refunded charge %s (%s %s)", charge.charge_id, charge.amount, charge.currency)
