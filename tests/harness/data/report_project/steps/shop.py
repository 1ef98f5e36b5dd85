"""Steps of the report's test project: one rule holds, one is broken, one test is broken, and
one holds only on its second attempt (the till's marker file)."""

from __future__ import annotations

from pathlib import Path

from behave import given, then

BOOK_PRICE = 10


@given("a basket with {count:d} books")
def step_a_basket_with_books(context, count: int) -> None:
    context.basket = [BOOK_PRICE] * count


@then("the basket holds {count:d} books")
def step_the_basket_holds(context, count: int) -> None:
    assert len(context.basket) == count, f"the basket holds {len(context.basket)} books"


@then("the basket's total is {total:d} euros")
def step_the_total_is(context, total: int) -> None:
    found = sum(context.basket)
    assert found == total, f"the basket's total is {found} euros, not {total}"


@given("the till has woken up")
def step_the_till_has_woken_up(context) -> None:
    """The first call wakes the till (it creates the marker file) and is refused."""
    marker = Path(context.config.userdata["till_marker"])
    if not marker.exists():
        marker.write_text("awake\n", encoding="utf-8")
        raise AssertionError("the till was asleep and did not answer")


@then("the till answers")
def step_the_till_answers(context) -> None:
    assert Path(context.config.userdata["till_marker"]).exists()


@given("the receipt printer is out of paper")
def step_the_printer_is_out_of_paper(context) -> None:
    context.printer_paper = 0


@then("a receipt is printed")
def step_a_receipt_is_printed(context) -> None:
    raise RuntimeError("the receipt printer is not connected")
