"""Card rules of the payment gateway (app/saas/payments.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.saas.payments import Card, Gateway, PaymentError, card_brand, luhn_valid, validate_card

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    "number", ["4242424242424242", "4000000000000002", "378282246310005", "5555555555554444"]
)
def test_luhn_accepts_test_cards(number: str) -> None:
    assert luhn_valid(number)


@pytest.mark.parametrize("number", ["4242424242424241", "1234567812345678", "12a4", ""])
def test_luhn_rejects_bad_numbers(number: str) -> None:
    assert not luhn_valid(number)


def test_success_card_is_approved_and_only_safe_details_are_kept() -> None:
    card = Gateway().verify_card("4242 4242 4242 4242", "12/30", "123", TODAY)
    assert card == Card(brand="visa", last4="4242", exp_month=12, exp_year=2030)


def test_decline_card_is_declined() -> None:
    with pytest.raises(PaymentError, match="^Your card was declined.$"):
        Gateway().verify_card("4000 0000 0000 0002", "12/30", "123", TODAY)


def test_other_luhn_valid_numbers_succeed() -> None:
    assert Gateway().verify_card("5555-5555-5555-4444", "01/27", "999", TODAY).brand == "mastercard"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("4242 4242 4242 4241", "invalid"),  # Luhn
        ("4242", "invalid"),  # too short
        ("4242 4242 4242 4242 4242", "invalid"),  # too long (20 digits)
        ("4242x4242", "digits only"),
        ("", "Enter your card number"),
    ],
)
def test_bad_numbers(number: str, message: str) -> None:
    with pytest.raises(PaymentError, match=message):
        validate_card(number, "12/30", "123", TODAY)


@pytest.mark.parametrize("expiry", ["06/26", "6/26", "12/99", " 07 / 26 "])
def test_expiry_current_month_or_later_is_accepted(expiry: str) -> None:
    validate_card("4242424242424242", expiry, "123", TODAY)


@pytest.mark.parametrize(
    ("expiry", "message"),
    [("05/26", "expired"), ("12/25", "expired"), ("13/30", "month"), ("00/30", "month"),
     ("1230", "MM/YY"), ("12/2030", "MM/YY"), ("", "MM/YY")],
)  # fmt: skip
def test_expiry_rejected(expiry: str, message: str) -> None:
    with pytest.raises(PaymentError, match=message):
        validate_card("4242424242424242", expiry, "123", TODAY)


def test_cvc_rules_depend_on_brand() -> None:
    validate_card("378282246310005", "12/30", "1234", TODAY)
    with pytest.raises(PaymentError, match="4 digits"):
        validate_card("378282246310005", "12/30", "123", TODAY)
    with pytest.raises(PaymentError, match="3 digits"):
        validate_card("4242424242424242", "12/30", "1234", TODAY)
    with pytest.raises(PaymentError, match="3 digits"):
        validate_card("4242424242424242", "12/30", "12a", TODAY)


def test_brands() -> None:
    assert card_brand("378282246310005") == "amex"
    assert card_brand("341111111111111") == "amex"
    assert card_brand("2223003122003222") == "mastercard"
    assert card_brand("6011111111111117") == "discover"


def test_a_negative_charge_is_refused_as_a_mistake() -> None:
    card = Card("visa", "4242", 6, 2026)
    with pytest.raises(ValueError, match="must not be negative"):
        Gateway().charge_card_on_file(card, Decimal("-0.01"), "USD", TODAY)
    assert Gateway().charge_card_on_file(card, Decimal("0"), "USD", TODAY).amount == 0


def test_charging_an_expired_card_on_file_fails() -> None:
    card = Card("visa", "4242", 5, 2026)
    with pytest.raises(PaymentError, match="expired"):
        Gateway().charge_card_on_file(card, Decimal("10.00"), "USD", TODAY)
    charge = Gateway().charge_card_on_file(
        Card("visa", "4242", 6, 2026), Decimal("10"), "USD", TODAY
    )
    assert charge.amount == Decimal("10") and charge.currency == "USD"


@pytest.mark.parametrize("number", ["2220999999999991", "2721000000000004", "5600000000000003"])
def test_cards_of_no_brand_the_platform_takes_are_refused(number: str) -> None:
    with pytest.raises(PaymentError, match="^We take Visa, Mastercard, Discover and American"):
        validate_card(number, "12/30", "123", TODAY)
