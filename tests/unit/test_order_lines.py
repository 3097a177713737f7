"""Quantities and tables in the domain: a line of several is priced for one, rounded once, times the quantity;
a dine-in order needs its table."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.cancel_reasons import cancel_reason_text
from pos_app.domain.errors import ValidationFailedError
from pos_app.domain.intake import kitchen_minutes, price_lines
from pos_app.domain.menu import Menu, MenuItem, Size
from pos_app.domain.money import Money, round_half_up
from pos_app.domain.order_parts import OrderStatus, OrderType, PaymentMethod, table_problems
from pos_app.domain.staff import Role
from tests.unit.test_order_aggregate import MENU, place, priced

COLA = MenuItem("cola", "Cola", "", "drink", Money(250), 0, takes_toppings=False)
WITH_COLA = Menu(items={**MENU.items, "cola": COLA}, toppings=MENU.toppings)


def test_a_line_of_two_is_the_rounded_unit_price_twice() -> None:
    [line] = price_lines([("margherita", "large", [], "")], MENU, [2])

    assert line.unit_price == Money(1689)  # 12.99 × 1.3 = 16.887 → 16.89
    assert line.price == Money(3378)  # not 2 × 16.887 = 33.774 → 33.77
    assert line.quantity == 2


@given(base=st.integers(1, 100_000), quantity=st.integers(1, 50), size=st.sampled_from(list(Size)))
def test_any_line_costs_its_unit_price_times_its_quantity_exactly(base: int, quantity: int, size: Size) -> None:
    menu = Menu(items={"p": MenuItem("p", "P", "", "pizza", Money(base), 10)})
    multiplier = {Size.SMALL: (4, 5), Size.MEDIUM: (1, 1), Size.LARGE: (13, 10)}[size]

    [line] = price_lines([("p", size.value, [], "")], menu, [quantity])

    assert line.price.cents == round_half_up(Fraction(base) * Fraction(*multiplier)) * quantity


@pytest.mark.parametrize("quantity", [0, 51, -1])
def test_a_quantity_outside_1_to_50_names_the_line(quantity: int) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        price_lines([("margherita", "medium", [], ""), ("diavola", "medium", [], "")], MENU, [1, quantity])

    assert list(caught.value.errors) == ["pizza_items[1].quantity"]


def test_without_quantities_every_line_is_one() -> None:
    lines = price_lines([("margherita", "medium", [], ""), ("diavola", "medium", [], "")], MENU)

    assert [line.quantity for line in lines] == [1, 1]


def test_the_kitchen_makes_each_pizza_of_a_line_and_no_drink() -> None:
    lines = price_lines([("margherita", "medium", [], ""), ("cola", "medium", [], "")], WITH_COLA, [3, 2])

    assert kitchen_minutes(lines) == [12, 12, 12]


def test_an_order_totals_its_lines_of_several_and_the_event_carries_the_quantities() -> None:
    lines = price_lines([("margherita", "large", [], ""), ("diavola", "medium", [], "")], MENU, [2, 1])

    order = place(lines=lines)

    assert order.subtotal_cents == 3378 + 1499
    placed = order.pending_events[0]
    assert [item.quantity for item in placed.items] == [2, 1]  # type: ignore[attr-defined]
    assert [item.price_cents for item in placed.items] == [3378, 1499]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("table", "covers", "errors"),
    [
        (None, None, {"table_number": ["A dine-in order needs its table number"]}),
        (0, None, {"table_number": ["A table number is 1 to 999"]}),
        (7, 0, {"covers": ["Covers (guests) are 1 to 99"]}),
        (7, None, {}),
        (7, 4, {}),
    ],
)
def test_a_dine_in_order_needs_its_table_and_covers_are_optional(
    table: int | None, covers: int | None, errors: dict[str, Any]
) -> None:
    assert table_problems(OrderType.DINE_IN, table, covers) == errors


def test_placing_a_dine_in_order_without_a_table_is_refused_and_records_nothing() -> None:
    with pytest.raises(ValidationFailedError) as caught:
        place(order_type=OrderType.DINE_IN, table_number=None, lines=priced([("margherita", "small", [], "")]))

    assert "table_number" in caught.value.errors


def test_a_dine_in_order_keeps_its_table_and_covers_and_a_pickup_none() -> None:
    dine_in = place(order_type=OrderType.DINE_IN, table_number=7, covers=4)
    pickup = place(order_type=OrderType.PICKUP, table_number=7, covers=4)

    assert (dine_in.table_number, dine_in.covers) == (7, 4)
    assert (dine_in.pending_events[0].table_number, dine_in.pending_events[0].covers) == (7, 4)  # type: ignore[attr-defined]
    assert (pickup.table_number, pickup.covers) == (None, None)


@pytest.mark.parametrize(
    ("code", "note", "recorded"),
    [
        ("changed_mind", "", "Customer changed their mind"),
        ("wrong_order", " meant pepperoni ", "Wrong order: meant pepperoni"),
        ("other", "oven broke", "oven broke"),
        (None, "free text only", "free text only"),
    ],
)
def test_a_cancel_reason_is_recorded_in_words(code: str | None, note: str, recorded: str) -> None:
    assert cancel_reason_text(code, note) == recorded


@pytest.mark.parametrize(("code", "note"), [(None, ""), (None, "   "), ("other", ""), ("nonsense", "x")])
def test_no_reason_or_other_without_words_is_refused(code: str | None, note: str) -> None:
    with pytest.raises(ValidationFailedError):
        cancel_reason_text(code, note)


def test_the_order_refuses_a_cancel_without_a_reason_and_records_nothing() -> None:
    order = place(amount_tendered=None, payment_method=PaymentMethod.CASH)
    order.pull_events()

    with pytest.raises(ValidationFailedError):
        order.cancel("  ", Role.COUNTER, order.placed_at, "luigi")

    assert order.status is OrderStatus.PENDING
    assert order.pending_events == ()
