"""The kitchen's safety rules in the domain: ticket colours against elapsed time and the promise, items that need no
preparation, the allergens a line carries, and the notice only a ticket with one can acknowledge."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from pos_app.domain.allergens import Allergen
from pos_app.domain.errors import InvalidTransitionError, ValidationFailedError
from pos_app.domain.events import KitchenNoticeAcknowledgedEvent, OrderPlacedEvent, OrderReadyEvent
from pos_app.domain.intake import OrderIntake
from pos_app.domain.kitchen import AgeThresholds, acknowledge_notice, age_deadlines, age_state
from pos_app.domain.menu import Menu, MenuItem, Size, Topping
from pos_app.domain.money import Money, TaxPolicy
from pos_app.domain.orders import Customer, Order, OrderStatus, OrderType, PaymentMethod

T0 = datetime(2026, 3, 14, 18, 0, tzinfo=UTC)
ORDER_ID = UUID("5e0b1c7a-2f4d-4e6b-8a9c-1d2e3f4a5b6c")
MENU = Menu(
    items={
        "margherita": MenuItem(
            "margherita", "Margherita", "", "pizza", Money(1299), 12, allergens=(Allergen.MILK, Allergen.GLUTEN)
        ),
        "cola": MenuItem(
            "cola", "Cola", "", "drink", Money(250), 0, sizes=(Size.MEDIUM,), takes_toppings=False,
            needs_preparation=False,
        ),
        "tiramisu": MenuItem(
            "tiramisu", "Tiramisù", "", "dessert", Money(599), 0, sizes=(Size.MEDIUM,), takes_toppings=False,
            needs_preparation=False,
        ),
    },
    toppings={"anchovies": Topping("anchovies", "Anchovies", Money(150), allergens=(Allergen.FISH,))},
)  # fmt: skip


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def place(lines: list[tuple[str, str, list[str], str]], allergies: list[list[str]] | None = None) -> Order:
    intake = OrderIntake.of("5550102030", lines, MENU, allergies=allergies or [])
    return Order.place(
        order_id=ORDER_ID,
        number=3,
        business_date=date(2026, 3, 14),
        order_type=OrderType.PICKUP,
        customer=Customer(name="Anna", phone=intake.phone, address=None),
        lines=intake.lines,
        payment_method=PaymentMethod.CARD,
        amount_tendered=None,
        tax=TaxPolicy(1000, prices_include_tax=True),
        delivery_fee=Money(300),
        estimated_ready_at=at(20),
        now=T0,
        staff_id="luigi",
    )


# colours ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, "on_time"), (7.9, "on_time"), (8, "near"), (9, "near"), (15, "late"), (16, "late"), (60, "late")],
)
def test_a_ticket_promised_far_ahead_still_turns_amber_at_8_and_red_at_15_minutes(
    minutes: float, expected: str
) -> None:
    deadlines = age_deadlines(T0, at(90), AgeThresholds(8, 15))

    assert age_state(deadlines, at(minutes)) == expected


def test_a_ticket_past_its_promised_time_is_red_even_if_it_is_young() -> None:
    deadlines = age_deadlines(T0, at(5), AgeThresholds(8, 15))

    assert age_state(deadlines, at(2)) == "on_time"
    assert age_state(deadlines, at(3)) == "near"  # two minutes before the promise
    assert age_state(deadlines, at(5)) == "late"


def test_an_hour_old_ticket_is_never_green_whatever_the_thresholds() -> None:
    deadlines = age_deadlines(T0, at(500), AgeThresholds(30, 45))

    assert age_state(deadlines, at(60)) == "late"


def test_thresholds_must_turn_amber_before_red() -> None:
    with pytest.raises(ValueError, match="red no sooner"):
        AgeThresholds(15, 8)


# no preparation -----------------------------------------------------------------------------------------------------


def test_an_order_of_drinks_only_is_ready_when_placed() -> None:
    order = place([("cola", "medium", [], ""), ("tiramisu", "medium", [], "")])

    assert order.status is OrderStatus.READY
    assert order.ready_at == T0
    assert all(item.ready_at == T0 for item in order.items)
    events = order.pull_events()
    assert isinstance(events[0], OrderPlacedEvent)
    assert [item.needs_preparation for item in events[0].items] == [False, False]
    assert isinstance(events[-1], OrderReadyEvent)


def test_an_order_is_ready_when_its_last_prepared_item_is() -> None:
    order = place([("cola", "medium", [], ""), ("margherita", "medium", [], "")])
    assert order.status is OrderStatus.PENDING
    assert order.items[0].ready_at == T0
    assert order.next_item_to_cook == 1

    order.start_cooking(at(1), "rosa")
    order.mark_item_ready(1, at(12), "rosa")

    assert order.status is OrderStatus.READY
    assert order.ready_at == at(12)


def test_an_item_that_needs_no_preparation_cannot_be_marked_ready_again() -> None:
    order = place([("cola", "medium", [], ""), ("margherita", "medium", [], "")])
    order.start_cooking(at(1), "rosa")

    with pytest.raises(InvalidTransitionError, match="already ready"):
        order.mark_item_ready(0, at(2), "rosa")


def test_drinks_add_nothing_to_the_kitchen_time_of_an_order() -> None:
    intake = OrderIntake.of("5550102030", [("cola", "medium", [], ""), ("margherita", "medium", [], "")], MENU)

    assert intake.kitchen_minutes == [12]


# allergens on a line ------------------------------------------------------------------------------------------------


def test_a_line_carries_its_menu_allergens_with_its_toppings_and_the_customers_allergies() -> None:
    order = place([("margherita", "large", ["anchovies"], "nut allergy"), ("cola", "medium", [], "")], [["nuts"], []])

    pizza, cola = order.pull_events()[0].items  # type: ignore[attr-defined]
    assert pizza.allergens == ("gluten", "fish", "milk")
    assert pizza.allergies == ("nuts",)
    assert cola.allergens == ()
    assert cola.allergies == ()


def test_an_unknown_allergy_on_a_line_names_that_line() -> None:
    with pytest.raises(ValidationFailedError) as raised:
        OrderIntake.of("5550102030", [("margherita", "medium", [], "")], MENU, allergies=[["onions"]])

    assert list(raised.value.errors) == ["pizza_items[0].allergies"]


# notices ------------------------------------------------------------------------------------------------------------


def test_a_ticket_notice_is_acknowledged_as_an_event_naming_its_kind() -> None:
    event = acknowledge_notice(ORDER_ID, 3, "cancelled", at(2), "rosa")

    assert event == KitchenNoticeAcknowledgedEvent(
        occurred_at=at(2), staff_id="rosa", order_id=ORDER_ID, kind="cancelled"
    )


def test_a_ticket_without_a_notice_has_nothing_to_acknowledge() -> None:
    with pytest.raises(InvalidTransitionError, match="no kitchen notice"):
        acknowledge_notice(ORDER_ID, 3, None, at(2), "rosa")
