"""The menu and the one pricing formula: line = (base + Σ toppings) × size multiplier, half-up to the cent, once."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import ValidationFailedError, summarize
from pos_app.domain.menu import (
    SIZE_MULTIPLIERS,
    Menu,
    MenuItem,
    Size,
    Topping,
    line_price,
)
from pos_app.domain.money import Money


def menu_item(**overrides: Any) -> MenuItem:
    fields: dict[str, Any] = {
        "id": "margherita",
        "name": "Margherita",
        "description": "Tomato, mozzarella, basil",
        "category": "pizza",
        "base_price": Money(1299),
        "preparation_minutes": 12,
    }
    fields.update(overrides)
    return MenuItem(**fields)


MARGHERITA = menu_item()
DIAVOLA = menu_item(id="diavola", name="Diavola", base_price=Money(1499))
CALZONE = menu_item(id="calzone", name="Calzone", base_price=Money(1399), sizes=(Size.MEDIUM,))
TARTUFO = menu_item(id="tartufo", name="Tartufo", base_price=Money(2199), available=False, seasonal=True)
COLA = menu_item(
    id="cola", name="Cola", category="drink", base_price=Money(350), preparation_minutes=0, takes_toppings=False
)
HAM = Topping("ham", "Ham", Money(200))
OLIVES = Topping("olives", "Olives", Money(125))
ANCHOVIES = Topping("anchovies", "Anchovies", Money(175), available=False)


def a_menu() -> Menu:
    items = [MARGHERITA, DIAVOLA, CALZONE, TARTUFO, COLA]
    toppings = [HAM, OLIVES, ANCHOVIES]
    return Menu(items={i.id: i for i in items}, toppings={t.id: t for t in toppings})


def rejected_fields(menu: Menu, requested: Sequence[tuple[str, str, Sequence[str], str]]) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailedError) as caught:
        menu.price_lines(requested, "pizza_items")
    return caught.value.errors


# the formula ----------------------------------------------------------------------------------------------------------


def test_the_size_multipliers_are_eight_tenths_one_and_thirteen_tenths() -> None:
    multipliers = SIZE_MULTIPLIERS

    assert multipliers == {Size.SMALL: Fraction(8, 10), Size.MEDIUM: Fraction(1), Size.LARGE: Fraction(13, 10)}


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (Size.SMALL, Money(1199)),  # 14.99 × 0.8 = 11.992
        (Size.MEDIUM, Money(1499)),
        (Size.LARGE, Money(1949)),  # 14.99 × 1.3 = 19.487
    ],
)
def test_a_margherita_with_ham_costs_base_plus_topping_times_the_size(size: Size, expected: Money) -> None:
    price = line_price(Money(1299), [Money(200)], size)

    assert price == expected


def test_a_line_without_toppings_is_the_base_price_times_the_size() -> None:
    price = line_price(Money(1299), [], Size.LARGE)

    assert price == Money(1689)  # 12.99 × 1.3 = 16.887


def test_every_topping_is_added_before_the_size_multiplier() -> None:
    price = line_price(Money(1000), [Money(200), Money(125), Money(175)], Size.SMALL)

    assert price == Money(1200)  # (10.00 + 5.00) × 0.8


def test_a_line_of_exactly_half_a_cent_rounds_up() -> None:
    price = line_price(Money(1295), [], Size.LARGE)

    assert price == Money(1684)  # 12.95 × 1.3 = 16.835


def test_a_line_is_rounded_once_not_once_per_part() -> None:
    base, topping = Money(995), Money(125)

    price = line_price(base, [topping], Size.LARGE)

    # once: (9.95 + 1.25) × 1.3 = 14.56; rounding each part first would give 12.94 (12.935) + 1.63 (1.625) = 14.57
    assert price == Money(1456)


MULTIPLIERS_BY_HAND = {"small": Fraction(8, 10), "medium": Fraction(10, 10), "large": Fraction(13, 10)}


@given(
    base=st.integers(min_value=1, max_value=100_000),
    toppings=st.lists(st.integers(min_value=0, max_value=5_000), max_size=10),
    size=st.sampled_from(list(Size)),
)
def test_a_line_price_is_the_exact_formula_rounded_half_up(base: int, toppings: list[int], size: Size) -> None:
    exact_cents = (Fraction(base) + sum(Fraction(t) for t in toppings)) * MULTIPLIERS_BY_HAND[size.value]

    price = line_price(Money(base), [Money(t) for t in toppings], size)

    assert price == Money(math.floor(exact_cents + Fraction(1, 2)))


# pricing requested lines ----------------------------------------------------------------------------------------------


def test_requested_lines_are_priced_in_order_with_their_toppings_and_notes() -> None:
    menu = a_menu()

    lines = menu.price_lines(
        [("margherita", "large", ["ham", "olives"], "  well done "), ("cola", "medium", [], "")], "pizza_items"
    )

    assert [line.item for line in lines] == [MARGHERITA, COLA]
    assert [line.size for line in lines] == [Size.LARGE, Size.MEDIUM]
    assert lines[0].toppings == (HAM, OLIVES)
    assert lines[0].special_instructions == "well done"
    assert lines[0].price == Money(2111)  # (12.99 + 2.00 + 1.25) × 1.3 = 21.112
    assert lines[1].toppings == ()
    assert lines[1].price == Money(350)


def test_the_same_topping_twice_is_charged_twice() -> None:
    menu = a_menu()

    [line] = menu.price_lines([("margherita", "medium", ["ham", "ham"], "")], "pizza_items")

    assert line.toppings == (HAM, HAM)
    assert line.price == Money(1699)


def test_an_empty_order_is_rejected_naming_the_field() -> None:
    menu = a_menu()

    errors = rejected_fields(menu, [])

    assert list(errors) == ["pizza_items"]


def test_an_item_not_on_the_menu_is_named_by_its_position() -> None:
    menu = a_menu()

    errors = rejected_fields(menu, [("margherita", "large", [], ""), ("hawaiian", "large", [], "")])

    assert list(errors) == ["pizza_items[1].pizza_id"]
    assert "'hawaiian' is not on the menu" in errors["pizza_items[1].pizza_id"]


def test_an_unavailable_item_is_rejected() -> None:
    menu = a_menu()

    errors = rejected_fields(menu, [("margherita", "large", [], ""), ("tartufo", "medium", [], "")])

    assert errors == {"pizza_items[1].pizza_id": ["Tartufo is not available right now"]}


def test_a_size_the_item_does_not_come_in_is_rejected_naming_the_sizes_it_does() -> None:
    menu = a_menu()

    errors = rejected_fields(menu, [("margherita", "small", [], ""), ("calzone", "large", [], "")])

    assert errors == {"pizza_items[1].size": ["Calzone comes in: medium"]}


@pytest.mark.parametrize("size", ["xl", "LARGE", ""])
def test_a_size_that_does_not_exist_is_rejected(size: str) -> None:
    menu = a_menu()

    errors = rejected_fields(menu, [("margherita", size, [], "")])

    assert list(errors) == ["pizza_items[0].size"]


def test_an_unknown_topping_is_rejected() -> None:
    menu = a_menu()

    errors = rejected_fields(menu, [("diavola", "medium", [], ""), ("margherita", "large", ["ham", "pineapple"], "")])

    assert errors == {"pizza_items[1].toppings": ["'pineapple' is not a topping"]}


def test_an_unavailable_topping_is_rejected() -> None:
    menu = a_menu()

    errors = rejected_fields(menu, [("diavola", "medium", [], ""), ("margherita", "large", ["anchovies"], "")])

    assert errors == {"pizza_items[1].toppings": ["Anchovies is not available right now"]}


def test_toppings_on_an_item_that_takes_none_are_rejected() -> None:
    menu = a_menu()

    errors = rejected_fields(menu, [("margherita", "large", [], ""), ("cola", "medium", ["ham"], "")])

    assert errors == {"pizza_items[1].toppings": ["Cola takes no toppings"]}


def test_more_than_ten_toppings_are_rejected() -> None:
    menu = a_menu()

    errors = rejected_fields(menu, [("margherita", "large", ["olives"] * 11, "")])

    assert errors == {"pizza_items[0].toppings": ["At most 10 toppings"]}


def test_ten_toppings_are_allowed() -> None:
    menu = a_menu()

    [line] = menu.price_lines([("margherita", "medium", ["olives"] * 10, "")], "pizza_items")

    assert line.price == Money(1299 + 10 * 125)


def test_every_bad_line_is_named_at_once() -> None:
    menu = a_menu()

    errors = rejected_fields(
        menu,
        [
            ("hawaiian", "large", [], ""),
            ("margherita", "large", [], ""),
            ("calzone", "small", [], ""),
            ("margherita", "medium", ["pineapple"], ""),
        ],
    )

    assert set(errors) == {"pizza_items[0].pizza_id", "pizza_items[2].size", "pizza_items[3].toppings"}


def test_the_error_message_names_every_bad_field() -> None:
    menu = a_menu()

    with pytest.raises(ValidationFailedError) as caught:
        menu.price_lines([("hawaiian", "large", [], ""), ("calzone", "small", [], "")], "pizza_items")

    assert caught.value.status == 400
    assert "pizza_items[0].pizza_id" in caught.value.message
    assert "pizza_items[1].size" in caught.value.message


def test_errors_are_named_after_the_field_passed_in() -> None:
    menu = a_menu()

    with pytest.raises(ValidationFailedError) as caught:
        menu.price_lines([("margherita", "large", [], ""), ("hawaiian", "large", [], "")], "items")

    assert list(caught.value.errors) == ["items[1].pizza_id"]


def test_a_summary_joins_every_field_and_its_messages() -> None:
    errors = {"customer_phone": ["At least 7 digits"], "size": ["Pick one", "of three"]}

    text = summarize(errors)

    assert text == "customer_phone: At least 7 digits; size: Pick one of three"


# menu item validation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("item_id", ["margherita", "quattro_formaggi", "coke_33cl", "p2"])
def test_a_lowercase_ascii_id_with_digits_and_underscores_is_valid(item_id: str) -> None:
    item = menu_item(id=item_id)

    assert item.id == item_id


@pytest.mark.parametrize("item_id", ["", "Margherita", "quattro-formaggi", "pizza pie", "café", "___", "ｐ２"])
def test_a_malformed_item_id_is_rejected(item_id: str) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        menu_item(id=item_id)

    assert list(caught.value.errors) == ["item_id"]


@pytest.mark.parametrize("name", ["", "   "])
def test_a_menu_item_needs_a_name(name: str) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        menu_item(name=name)

    assert list(caught.value.errors) == ["name"]


def test_a_menu_item_needs_a_known_category() -> None:
    with pytest.raises(ValidationFailedError) as caught:
        menu_item(category="pasta")

    assert list(caught.value.errors) == ["category"]


@pytest.mark.parametrize("category", ["pizza", "side", "drink", "dessert"])
def test_every_known_category_is_valid(category: str) -> None:
    item = menu_item(category=category)

    assert item.category == category


@pytest.mark.parametrize("cents", [0, -1, 100_001])
def test_a_price_outside_one_cent_to_a_thousand_is_rejected(cents: int) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        menu_item(base_price=Money(cents))

    assert list(caught.value.errors) == ["base_price"]


@pytest.mark.parametrize("cents", [1, 100_000])
def test_a_price_of_one_cent_or_a_thousand_is_valid(cents: int) -> None:
    item = menu_item(base_price=Money(cents))

    assert item.base_price == Money(cents)


@pytest.mark.parametrize("minutes", [-1, 181])
def test_preparation_outside_zero_to_three_hours_is_rejected(minutes: int) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        menu_item(preparation_minutes=minutes)

    assert list(caught.value.errors) == ["preparation_time_minutes"]


@pytest.mark.parametrize("minutes", [0, 180])
def test_preparation_of_zero_or_three_hours_is_valid(minutes: int) -> None:
    item = menu_item(preparation_minutes=minutes)

    assert item.preparation_minutes == minutes


def test_a_menu_item_is_offered_in_at_least_one_size() -> None:
    with pytest.raises(ValidationFailedError) as caught:
        menu_item(sizes=())

    assert list(caught.value.errors) == ["available_sizes"]


def test_every_problem_with_a_menu_item_is_named_at_once() -> None:
    with pytest.raises(ValidationFailedError) as caught:
        menu_item(id="Bad Id", name=" ", category="pasta", base_price=Money(0), preparation_minutes=200, sizes=())

    assert set(caught.value.errors) == {
        "item_id",
        "name",
        "category",
        "base_price",
        "preparation_time_minutes",
        "available_sizes",
    }


def test_changing_a_menu_item_validates_the_change() -> None:
    item = menu_item()

    with pytest.raises(ValidationFailedError) as caught:
        item.with_changes(base_price=Money(0))

    assert list(caught.value.errors) == ["base_price"]


def test_changing_a_menu_item_returns_a_new_item_and_keeps_the_old_one() -> None:
    item = menu_item()

    cheaper = item.with_changes(base_price=Money(1199), available=False)

    assert cheaper.base_price == Money(1199)
    assert cheaper.available is False
    assert item.base_price == Money(1299)
    assert item.available is True
