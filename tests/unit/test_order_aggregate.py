"""The Order aggregate: placing, the status machine, paying, cancelling. An illegal change changes nothing."""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from pos_app.domain.errors import (
    ConcurrencyError,
    DomainError,
    InvalidTransitionError,
    KitchenFullError,
    NotAllowedError,
    NotFoundError,
    ValidationFailedError,
)
from pos_app.domain.events import (
    CookingStartedEvent,
    OrderCancelledEvent,
    OrderDeliveredEvent,
    OrderItemData,
    OrderOutForDeliveryEvent,
    OrderPickedUpEvent,
    OrderPlacedEvent,
    OrderReadyEvent,
    PaymentProcessedEvent,
    PizzaReadyEvent,
)
from pos_app.domain.menu import Menu, MenuItem, PricedLine, Size, Topping
from pos_app.domain.money import Money, TaxPolicy
from pos_app.domain.orders import Customer, Order, OrderItem, OrderStatus, OrderType, PaymentMethod
from pos_app.domain.staff import Role

T0 = datetime(2026, 3, 14, 18, 0, tzinfo=UTC)
BUSINESS_DATE = date(2026, 3, 14)
ORDER_ID = UUID("0b5d8f4e-3c1a-4f7e-9a55-2f6c1e0d9b01")
TEN_PERCENT_INCLUDED = TaxPolicy(1000, prices_include_tax=True)
FEE = Money(300)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


MENU = Menu(
    items={
        "margherita": MenuItem("margherita", "Margherita", "", "pizza", Money(1299), 12),
        "diavola": MenuItem("diavola", "Diavola", "", "pizza", Money(1499), 14),
        "cola": MenuItem("cola", "Cola", "", "drink", Money(350), 0, takes_toppings=False),
    },
    toppings={"ham": Topping("ham", "Ham", Money(200))},
)
MARGHERITA_LARGE_WITH_HAM = ("margherita", "large", ["ham"], "well done")  # 19.49
DIAVOLA_MEDIUM = ("diavola", "medium", [], "")  # 14.99
MARGHERITA_SMALL = ("margherita", "small", [], "")  # 10.39
TWO_PIZZAS = [MARGHERITA_LARGE_WITH_HAM, DIAVOLA_MEDIUM]  # 34.48
THREE_PIZZAS = [*TWO_PIZZAS, MARGHERITA_SMALL]
ANNA = Customer(name="Anna Conti", phone="5550102030", address=None)
ANNA_AT_HOME = Customer(name="Anna Conti", phone="5550102030", address="Via Roma 1")
DELIVERY = {"order_type": OrderType.DELIVERY, "customer": ANNA_AT_HOME}


def priced(requested: list[tuple[str, str, list[str], str]]) -> list[PricedLine]:
    return MENU.price_lines(requested, "pizza_items")


def place(**overrides: Any) -> Order:
    """A pickup of two pizzas (34.48), paid by card when placed by counter staff `rosa`, unless overridden."""
    fields: dict[str, Any] = {
        "order_id": ORDER_ID,
        "number": 7,
        "business_date": BUSINESS_DATE,
        "order_type": OrderType.PICKUP,
        "customer": ANNA,
        "lines": priced(TWO_PIZZAS),
        "payment_method": PaymentMethod.CARD,
        "amount_tendered": None,
        "tax": TEN_PERCENT_INCLUDED,
        "delivery_fee": FEE,
        "estimated_ready_at": at(25),
        "now": T0,
        "staff_id": "rosa",
        "table_number": 12,  # kept by a dine-in order only
    }
    fields.update(overrides)
    return Order.place(**fields)


def order_in(status: OrderStatus, **overrides: Any) -> Order:
    """Drive a new order to `status` through the real transitions, then take the events recorded so far."""
    if status in (OrderStatus.OUT_FOR_DELIVERY, OrderStatus.DELIVERED):
        overrides = {**DELIVERY, **overrides}
    order = place(**overrides)
    if status is OrderStatus.CANCELLED:
        order.cancel("customer left", Role.COUNTER, at(1), "rosa", approver=("mario", "Mario Rossi"))
    if status not in (OrderStatus.PENDING, OrderStatus.CANCELLED):
        order.start_cooking(at(2), "luigi")
    if status not in (OrderStatus.PENDING, OrderStatus.CANCELLED, OrderStatus.COOKING):
        for index in range(len(order.items)):
            order.mark_item_ready(index, at(10 + index), "luigi")
    if status is OrderStatus.PICKED_UP:
        order.mark_picked_up(at(20), "rosa")
    if status in (OrderStatus.OUT_FOR_DELIVERY, OrderStatus.DELIVERED):
        order.assign_to_delivery("toni", at(20), "mario")
    if status is OrderStatus.DELIVERED:
        order.mark_delivered(at(35), "toni")
    order.pull_events()
    assert order.status is status
    return order


def assert_unchanged(order: Order, before: Order) -> None:
    assert order.status is before.status
    assert order.items == before.items
    assert order.pending_events == before.pending_events
    assert order == before


# placing ------------------------------------------------------------------------------------------------------------


def test_placing_an_order_records_the_order_placed_with_its_lines_and_totals() -> None:
    lines = priced(TWO_PIZZAS)

    order = place(lines=lines, payment_method=PaymentMethod.CASH)

    assert order.pending_events == (
        OrderPlacedEvent(
            occurred_at=T0,
            staff_id="rosa",
            order_id=ORDER_ID,
            order_number=7,
            business_date=BUSINESS_DATE,
            order_type="pickup",
            customer_name="Anna Conti",
            customer_phone="5550102030",
            customer_address=None,
            items=(
                OrderItemData(
                    menu_item_id="margherita",
                    name="Margherita",
                    category="pizza",
                    size="large",
                    toppings=("ham",),
                    topping_names=("Ham",),
                    special_instructions="well done",
                    price_cents=1949,
                    preparation_minutes=12,
                ),
                OrderItemData(
                    menu_item_id="diavola",
                    name="Diavola",
                    category="pizza",
                    size="medium",
                    toppings=(),
                    topping_names=(),
                    special_instructions="",
                    price_cents=1499,
                    preparation_minutes=14,
                ),
            ),
            subtotal_cents=3448,
            delivery_fee_cents=0,
            tax_cents=313,
            total_cents=3448,
            payment_method="cash",
            estimated_ready_at=at(25),
        ),
    )


def test_a_placed_order_keeps_its_lines_customer_and_times() -> None:
    lines = priced(TWO_PIZZAS)

    order = place(lines=lines)

    assert order.id == ORDER_ID
    assert order.number == 7
    assert order.business_date == BUSINESS_DATE
    assert order.status is OrderStatus.PENDING
    assert order.customer == ANNA
    assert order.items == [OrderItem.from_line(line) for line in lines]
    assert all(item.ready_at is None for item in order.items)
    assert order.placed_at == T0
    assert order.estimated_ready_at == at(25)
    assert order.placed_by == "rosa"
    assert (order.subtotal_cents, order.delivery_fee_cents, order.tax_cents, order.total_cents) == (3448, 0, 313, 3448)


def test_an_order_paid_in_cash_later_is_placed_unpaid_without_a_payment() -> None:
    customer = ANNA

    order = place(customer=customer, payment_method=PaymentMethod.CASH, amount_tendered=None)

    assert not order.is_paid
    assert [type(event) for event in order.pending_events] == [OrderPlacedEvent]


def test_paying_by_card_when_placing_records_the_payment_too() -> None:
    customer = ANNA

    order = place(customer=customer, payment_method=PaymentMethod.CARD)

    assert order.is_paid
    assert [type(event) for event in order.pending_events] == [OrderPlacedEvent, PaymentProcessedEvent]
    assert order.pending_events[1] == PaymentProcessedEvent(
        occurred_at=T0,
        staff_id="rosa",
        order_id=ORDER_ID,
        payment_method="card",
        amount_cents=3448,
        tendered_cents=3448,
        change_cents=0,
    )


def test_cash_tendered_when_placing_records_the_payment_and_the_change_due() -> None:
    tendered = Money(5000)

    order = place(payment_method=PaymentMethod.CASH, amount_tendered=tendered)

    assert order.is_paid
    assert (order.tendered_cents, order.change_cents) == (5000, 1552)
    assert [type(event) for event in order.pending_events] == [OrderPlacedEvent, PaymentProcessedEvent]
    assert order.pending_events[1] == PaymentProcessedEvent(
        occurred_at=T0,
        staff_id="rosa",
        order_id=ORDER_ID,
        payment_method="cash",
        amount_cents=3448,
        tendered_cents=5000,
        change_cents=1552,
    )


def test_the_exact_cash_leaves_no_change() -> None:
    tendered = Money(3448)

    order = place(payment_method=PaymentMethod.CASH, amount_tendered=tendered)

    assert order.is_paid
    assert order.change_cents == 0


def test_short_cash_is_rejected_naming_the_amount_tendered() -> None:
    one_cent_short = Money(3447)

    with pytest.raises(ValidationFailedError) as caught:
        place(payment_method=PaymentMethod.CASH, amount_tendered=one_cent_short)

    assert caught.value.status == 400
    assert caught.value.errors == {"amount_tendered": ["Short by 0.01: the total is 34.48"]}


def test_cash_is_checked_against_the_total_with_exclusive_tax_added() -> None:
    ten_percent_on_top = TaxPolicy(1000, prices_include_tax=False)

    with pytest.raises(ValidationFailedError) as caught:
        place(tax=ten_percent_on_top, payment_method=PaymentMethod.CASH, amount_tendered=Money(3448))

    assert caught.value.errors == {"amount_tendered": ["Short by 3.45: the total is 37.93"]}


def test_cash_tendered_with_a_card_payment_is_rejected() -> None:
    tendered = Money(5000)

    with pytest.raises(ValidationFailedError) as caught:
        place(payment_method=PaymentMethod.CARD, amount_tendered=tendered)

    assert list(caught.value.errors) == ["amount_tendered"]


@pytest.mark.parametrize("address", [None, "", "   "])
def test_a_delivery_needs_an_address(address: str | None) -> None:
    customer = Customer(name="Anna Conti", phone="5550102030", address=address)

    with pytest.raises(ValidationFailedError) as caught:
        place(order_type=OrderType.DELIVERY, customer=customer)

    assert caught.value.errors == {"customer_address": ["A delivery needs an address"]}


def test_a_delivery_pays_the_delivery_fee() -> None:
    customer = ANNA_AT_HOME

    order = place(order_type=OrderType.DELIVERY, customer=customer, delivery_fee=FEE)

    assert order.delivery_fee_cents == 300
    assert order.subtotal_cents == 3448
    assert order.total_cents == 3748
    assert order.tax_cents == 341  # 37.48 / 11 = 3.407


@pytest.mark.parametrize("order_type", [OrderType.PICKUP, OrderType.DINE_IN])
def test_only_a_delivery_pays_the_delivery_fee(order_type: OrderType) -> None:
    customer = ANNA_AT_HOME

    order = place(order_type=order_type, customer=customer, delivery_fee=FEE)

    assert order.delivery_fee_cents == 0
    assert order.total_cents == order.subtotal_cents == 3448


def test_exclusive_tax_is_added_to_the_order_total() -> None:
    ten_percent_on_top = TaxPolicy(1000, prices_include_tax=False)

    order = place(tax=ten_percent_on_top, **DELIVERY)

    assert (order.subtotal_cents, order.delivery_fee_cents, order.tax_cents) == (3448, 300, 375)
    assert order.total_cents == 3448 + 300 + 375


@pytest.mark.parametrize("name", ["", "   "])
def test_an_order_needs_the_customers_name(name: str) -> None:
    customer = Customer(name=name, phone="5550102030", address=None)

    with pytest.raises(ValidationFailedError) as caught:
        place(customer=customer)

    assert caught.value.errors == {"customer_name": ["Enter the customer's name"]}


def test_an_order_needs_at_least_one_line() -> None:
    no_lines: list[PricedLine] = []

    with pytest.raises(ValidationFailedError) as caught:
        place(lines=no_lines)

    assert list(caught.value.errors) == ["pizza_items"]


def test_every_problem_with_a_new_order_is_named_at_once() -> None:
    nameless_without_address = Customer(name=" ", phone="5550102030", address=None)

    with pytest.raises(ValidationFailedError) as caught:
        place(
            order_type=OrderType.DELIVERY,
            customer=nameless_without_address,
            lines=[],
            payment_method=PaymentMethod.CARD,
            amount_tendered=Money(100),
        )

    assert set(caught.value.errors) == {"pizza_items", "customer_name", "customer_address", "amount_tendered"}


def test_the_customers_name_and_address_are_trimmed() -> None:
    customer = Customer(name="  Anna Conti ", phone="5550102030", address="  Via Roma 1  ")

    order = place(order_type=OrderType.DELIVERY, customer=customer)

    assert order.customer == ANNA_AT_HOME
    placed = order.pending_events[0]
    assert isinstance(placed, OrderPlacedEvent)
    assert (placed.customer_name, placed.customer_address) == ("Anna Conti", "Via Roma 1")


def test_a_blank_address_on_a_pickup_is_kept_as_none() -> None:
    customer = Customer(name="Anna Conti", phone="5550102030", address="   ")

    order = place(order_type=OrderType.PICKUP, customer=customer)

    assert order.customer.address is None


# cooking ------------------------------------------------------------------------------------------------------------


def test_starting_to_cook_a_pending_order_moves_it_to_cooking() -> None:
    order = order_in(OrderStatus.PENDING)

    order.start_cooking(at(3), "luigi")

    assert order.status is OrderStatus.COOKING
    assert order.started_at == at(3)
    assert order.pending_events == (CookingStartedEvent(occurred_at=at(3), staff_id="luigi", order_id=ORDER_ID),)


@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.COOKING,
        OrderStatus.READY,
        OrderStatus.PICKED_UP,
        OrderStatus.OUT_FOR_DELIVERY,
        OrderStatus.DELIVERED,
        OrderStatus.CANCELLED,
    ],
)
def test_only_a_pending_order_can_start_cooking(status: OrderStatus) -> None:
    order = order_in(status)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.start_cooking(at(30), "luigi")

    assert caught.value.status == 409
    assert_unchanged(order, before)


def test_marking_one_pizza_ready_leaves_the_others_cooking() -> None:
    order = order_in(OrderStatus.COOKING, lines=priced(THREE_PIZZAS))

    order.mark_item_ready(1, at(9.5), "luigi")

    assert [item.ready_at for item in order.items] == [None, at(9.5), None]
    assert order.status is OrderStatus.COOKING
    assert order.ready_at is None
    assert order.pending_events == (
        PizzaReadyEvent(
            occurred_at=at(9.5), staff_id="luigi", order_id=ORDER_ID, pizza_index=1, actual_cooking_time_minutes=7.5
        ),
    )


def test_marking_the_last_pizza_ready_moves_the_order_to_ready() -> None:
    order = order_in(OrderStatus.COOKING, lines=priced(THREE_PIZZAS))
    order.mark_item_ready(2, at(8), "luigi")
    order.mark_item_ready(0, at(9), "luigi")
    order.pull_events()

    order.mark_item_ready(1, at(10), "mario")

    assert order.status is OrderStatus.READY
    assert order.ready_at == at(10)
    assert order.pending_events == (
        PizzaReadyEvent(
            occurred_at=at(10), staff_id="mario", order_id=ORDER_ID, pizza_index=1, actual_cooking_time_minutes=8.0
        ),
        OrderReadyEvent(occurred_at=at(10), staff_id="mario", order_id=ORDER_ID),
    )


def test_the_order_is_not_ready_until_its_last_pizza_is() -> None:
    order = order_in(OrderStatus.COOKING, lines=priced(THREE_PIZZAS))
    statuses = []

    for index in (0, 1, 2):
        order.mark_item_ready(index, at(10 + index), "luigi")
        statuses.append(order.status)

    assert statuses == [OrderStatus.COOKING, OrderStatus.COOKING, OrderStatus.READY]


def test_an_order_of_one_pizza_is_ready_with_that_pizza() -> None:
    order = order_in(OrderStatus.COOKING, lines=priced([DIAVOLA_MEDIUM]))

    order.mark_item_ready(0, at(14), "luigi")

    assert order.status is OrderStatus.READY
    assert [type(event) for event in order.pending_events] == [PizzaReadyEvent, OrderReadyEvent]


def test_the_order_ready_event_is_recorded_once() -> None:
    order = order_in(OrderStatus.COOKING, lines=priced(THREE_PIZZAS))

    for index in (0, 1, 2):
        order.mark_item_ready(index, at(10 + index), "luigi")
    for index in (0, 1, 2):
        with pytest.raises(InvalidTransitionError):
            order.mark_item_ready(index, at(20), "luigi")

    ready_events = [event for event in order.pending_events if isinstance(event, OrderReadyEvent)]
    assert ready_events == [OrderReadyEvent(occurred_at=at(12), staff_id="luigi", order_id=ORDER_ID)]


def test_the_next_item_to_cook_is_the_first_one_not_ready() -> None:
    order = order_in(OrderStatus.COOKING, lines=priced(THREE_PIZZAS))
    seen = [order.next_item_to_cook]

    for index in (0, 2, 1):
        order.mark_item_ready(index, at(10), "luigi")
        seen.append(order.next_item_to_cook)

    assert seen == [0, 1, 1, None]


def test_marking_a_pizza_ready_twice_is_rejected_and_changes_nothing() -> None:
    order = order_in(OrderStatus.COOKING, lines=priced(THREE_PIZZAS))
    order.mark_item_ready(1, at(9), "luigi")
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.mark_item_ready(1, at(10), "luigi")

    assert caught.value.status == 409
    assert_unchanged(order, before)


def test_marking_a_pizza_ready_before_cooking_starts_is_rejected_and_changes_nothing() -> None:
    order = order_in(OrderStatus.PENDING)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.mark_item_ready(0, at(10), "luigi")

    assert caught.value.status == 409
    assert_unchanged(order, before)


@pytest.mark.parametrize("index", [-1, 3, 99])
def test_marking_a_pizza_that_is_not_on_the_order_is_rejected_and_changes_nothing(index: int) -> None:
    order = order_in(OrderStatus.COOKING, lines=priced(THREE_PIZZAS))
    before = copy.deepcopy(order)

    with pytest.raises(ValidationFailedError) as caught:
        order.mark_item_ready(index, at(10), "luigi")

    assert caught.value.status == 400
    assert list(caught.value.errors) == ["pizza_index"]
    assert_unchanged(order, before)


def test_marking_a_pizza_of_a_cancelled_order_ready_is_rejected_and_changes_nothing() -> None:
    order = order_in(OrderStatus.COOKING)
    order.cancel("oven broke", Role.MANAGER, at(5), "mario")
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.mark_item_ready(0, at(10), "luigi")

    assert caught.value.status == 409
    assert_unchanged(order, before)


# picking up ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("order_type", [OrderType.PICKUP, OrderType.DINE_IN])
def test_a_ready_paid_order_is_picked_up(order_type: OrderType) -> None:
    order = order_in(OrderStatus.READY, order_type=order_type)

    order.mark_picked_up(at(22), "rosa")

    assert order.status is OrderStatus.PICKED_UP
    assert order.completed_at == at(22)
    assert order.pending_events == (OrderPickedUpEvent(occurred_at=at(22), staff_id="rosa", order_id=ORDER_ID),)


@pytest.mark.parametrize("status", [OrderStatus.PENDING, OrderStatus.COOKING, OrderStatus.CANCELLED])
def test_an_order_that_is_not_ready_cannot_be_picked_up(status: OrderStatus) -> None:
    order = order_in(status)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.mark_picked_up(at(22), "rosa")

    assert caught.value.status == 409
    assert_unchanged(order, before)


def test_an_order_cannot_be_picked_up_twice() -> None:
    order = order_in(OrderStatus.PICKED_UP)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError):
        order.mark_picked_up(at(25), "rosa")

    assert_unchanged(order, before)


def test_picking_up_a_delivery_is_rejected_and_changes_nothing() -> None:
    order = order_in(OrderStatus.READY, **DELIVERY)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.mark_picked_up(at(22), "rosa")

    assert caught.value.status == 409
    assert_unchanged(order, before)


def test_picking_up_an_unpaid_order_is_rejected_and_changes_nothing() -> None:
    order = order_in(OrderStatus.READY, payment_method=PaymentMethod.CASH)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.mark_picked_up(at(22), "rosa")

    assert caught.value.status == 409
    assert "not paid" in caught.value.message
    assert_unchanged(order, before)


def test_an_order_paid_at_the_counter_can_then_be_picked_up() -> None:
    order = order_in(OrderStatus.READY, payment_method=PaymentMethod.CASH)
    order.process_payment(PaymentMethod.CASH, Money(4000), at(21), "rosa")

    order.mark_picked_up(at(22), "rosa")

    assert order.status is OrderStatus.PICKED_UP


# delivering ---------------------------------------------------------------------------------------------------------


def test_a_ready_delivery_goes_out_with_its_driver() -> None:
    order = order_in(OrderStatus.READY, **DELIVERY)

    order.assign_to_delivery("toni", at(21), "mario")

    assert order.status is OrderStatus.OUT_FOR_DELIVERY
    assert order.driver_id == "toni"
    assert order.pending_events == (
        OrderOutForDeliveryEvent(occurred_at=at(21), staff_id="mario", order_id=ORDER_ID, driver_id="toni"),
    )


def test_a_delivery_out_for_delivery_is_delivered() -> None:
    order = order_in(OrderStatus.OUT_FOR_DELIVERY)

    order.mark_delivered(at(40), "toni")

    assert order.status is OrderStatus.DELIVERED
    assert order.completed_at == at(40)
    assert order.pending_events == (OrderDeliveredEvent(occurred_at=at(40), staff_id="toni", order_id=ORDER_ID),)


def test_an_unpaid_delivery_goes_out_and_is_paid_at_the_door() -> None:
    order = order_in(OrderStatus.READY, payment_method=PaymentMethod.CASH, **DELIVERY)

    order.assign_to_delivery("toni", at(21), "mario")
    order.process_payment(PaymentMethod.CASH, Money(4000), at(39), "toni")
    order.mark_delivered(at(40), "toni")

    assert order.status is OrderStatus.DELIVERED
    assert order.change_cents == 4000 - 3748


@pytest.mark.parametrize("order_type", [OrderType.PICKUP, OrderType.DINE_IN])
def test_sending_out_an_order_that_is_not_a_delivery_is_rejected_and_changes_nothing(order_type: OrderType) -> None:
    order = order_in(OrderStatus.READY, order_type=order_type)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.assign_to_delivery("toni", at(21), "mario")

    assert caught.value.status == 409
    assert_unchanged(order, before)


@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.PENDING,
        OrderStatus.COOKING,
        OrderStatus.OUT_FOR_DELIVERY,
        OrderStatus.DELIVERED,
        OrderStatus.CANCELLED,
    ],
)
def test_a_delivery_goes_out_only_when_ready(status: OrderStatus) -> None:
    order = order_in(status, **DELIVERY)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.assign_to_delivery("gino", at(30), "mario")

    assert caught.value.status == 409
    assert_unchanged(order, before)


def test_delivering_a_pickup_is_rejected_and_changes_nothing() -> None:
    order = order_in(OrderStatus.READY, order_type=OrderType.PICKUP)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.mark_delivered(at(40), "toni")

    assert caught.value.status == 409
    assert_unchanged(order, before)


@pytest.mark.parametrize(
    "status",
    [OrderStatus.PENDING, OrderStatus.COOKING, OrderStatus.READY, OrderStatus.DELIVERED, OrderStatus.CANCELLED],
)
def test_a_delivery_that_is_not_out_for_delivery_cannot_be_delivered(status: OrderStatus) -> None:
    order = order_in(status, **DELIVERY)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.mark_delivered(at(40), "toni")

    assert caught.value.status == 409
    assert_unchanged(order, before)


def test_delivering_an_unpaid_order_is_rejected_and_changes_nothing() -> None:
    order = order_in(OrderStatus.OUT_FOR_DELIVERY, payment_method=PaymentMethod.CASH)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.mark_delivered(at(40), "toni")

    assert caught.value.status == 409
    assert "not paid" in caught.value.message
    assert_unchanged(order, before)


# paying -------------------------------------------------------------------------------------------------------------


def test_paying_cash_later_records_the_tendered_amount_and_change() -> None:
    order = order_in(OrderStatus.COOKING, payment_method=PaymentMethod.CASH)

    order.process_payment(PaymentMethod.CASH, Money(5000), at(5), "rosa")

    assert order.is_paid
    assert (order.tendered_cents, order.change_cents) == (5000, 1552)
    assert order.pending_events == (
        PaymentProcessedEvent(
            occurred_at=at(5),
            staff_id="rosa",
            order_id=ORDER_ID,
            payment_method="cash",
            amount_cents=3448,
            tendered_cents=5000,
            change_cents=1552,
        ),
    )


def test_an_order_placed_for_cash_may_be_paid_by_card() -> None:
    order = order_in(OrderStatus.READY, payment_method=PaymentMethod.CASH)

    order.process_payment(PaymentMethod.CARD, None, at(21), "rosa")

    assert order.is_paid
    assert order.payment_method is PaymentMethod.CARD
    assert (order.tendered_cents, order.change_cents) == (3448, 0)


def test_paying_twice_is_rejected_and_changes_nothing() -> None:
    order = order_in(OrderStatus.READY, payment_method=PaymentMethod.CARD)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.process_payment(PaymentMethod.CASH, Money(5000), at(21), "rosa")

    assert caught.value.status == 409
    assert_unchanged(order, before)


def test_paying_a_cancelled_order_is_rejected_and_changes_nothing() -> None:
    order = order_in(OrderStatus.CANCELLED, payment_method=PaymentMethod.CASH)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.process_payment(PaymentMethod.CASH, Money(5000), at(21), "rosa")

    assert caught.value.status == 409
    assert_unchanged(order, before)


@pytest.mark.parametrize(
    ("method", "tendered"),
    [
        (PaymentMethod.CASH, None),
        (PaymentMethod.CASH, Money(3447)),
        (PaymentMethod.CARD, Money(5000)),
    ],
)
def test_a_wrong_tendered_amount_is_rejected_naming_it_and_changes_nothing(
    method: PaymentMethod, tendered: Money | None
) -> None:
    order = order_in(OrderStatus.READY, payment_method=PaymentMethod.CASH)
    before = copy.deepcopy(order)

    with pytest.raises(ValidationFailedError) as caught:
        order.process_payment(method, tendered, at(21), "rosa")

    assert caught.value.status == 400
    assert list(caught.value.errors) == ["amount_tendered"]
    assert_unchanged(order, before)


# cancelling ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COUNTER, Role.MANAGER])
def test_a_pending_order_can_be_cancelled_by_the_counter_or_a_manager(role: Role) -> None:
    order = order_in(OrderStatus.PENDING, payment_method=PaymentMethod.CASH)

    order.cancel("customer left", role, at(3), "rosa")

    assert order.status is OrderStatus.CANCELLED
    assert order.cancelled_at == at(3)
    assert order.cancel_reason == "customer left"
    assert order.pending_events == (
        OrderCancelledEvent(
            occurred_at=at(3),
            staff_id="rosa",
            order_id=ORDER_ID,
            reason="customer left",
            previous_status="pending",
            refund_cents=0,
            kitchen_acknowledges=True,
        ),
    )


@pytest.mark.parametrize("status", [OrderStatus.COOKING, OrderStatus.READY, OrderStatus.OUT_FOR_DELIVERY])
@pytest.mark.parametrize("role", [Role.COUNTER, Role.KITCHEN, Role.DRIVER])
def test_only_a_manager_can_cancel_an_order_once_cooking_starts(status: OrderStatus, role: Role) -> None:
    order = order_in(status)
    before = copy.deepcopy(order)

    with pytest.raises(NotAllowedError) as caught:
        order.cancel("customer left", role, at(30), "rosa")

    assert caught.value.status == 403
    assert_unchanged(order, before)


@pytest.mark.parametrize("status", [OrderStatus.COOKING, OrderStatus.READY, OrderStatus.OUT_FOR_DELIVERY])
def test_a_manager_can_cancel_an_order_that_is_cooking_ready_or_out(status: OrderStatus) -> None:
    order = order_in(status)

    order.cancel("burnt", Role.MANAGER, at(30), "mario")

    assert order.status is OrderStatus.CANCELLED
    [cancelled] = order.pending_events
    assert isinstance(cancelled, OrderCancelledEvent)
    assert cancelled.previous_status == status.value
    assert (cancelled.staff_id, cancelled.occurred_at, cancelled.reason) == ("mario", at(30), "burnt")


@pytest.mark.parametrize("status", [OrderStatus.PICKED_UP, OrderStatus.DELIVERED, OrderStatus.CANCELLED])
@pytest.mark.parametrize("role", list(Role))
def test_nobody_can_cancel_a_finished_order(status: OrderStatus, role: Role) -> None:
    order = order_in(status)
    before = copy.deepcopy(order)

    with pytest.raises(InvalidTransitionError) as caught:
        order.cancel("too late", role, at(60), "mario")

    assert caught.value.status == 409
    assert_unchanged(order, before)


@pytest.mark.parametrize("role", [Role.COUNTER, Role.KITCHEN, Role.DRIVER])
def test_cancelling_a_paid_order_without_a_manager_is_refused_and_changes_nothing(role: Role) -> None:
    order = order_in(OrderStatus.PENDING)
    before = copy.deepcopy(order)

    with pytest.raises(NotAllowedError) as caught:
        order.cancel("customer left", role, at(3), "rosa")

    assert caught.value.status == 403
    assert "manager's approval" in str(caught.value)
    assert_unchanged(order, before)


def test_a_refund_approved_by_a_manager_records_both_names_and_the_day_of_the_refund() -> None:
    order = order_in(OrderStatus.PENDING)

    order.cancel(
        "customer left",
        Role.COUNTER,
        at(3),
        "rosa",
        business_date=BUSINESS_DATE + timedelta(days=1),
        staff_name="Rosa Bianchi",
        approver=("mario", "Mario Rossi"),
    )

    [cancelled] = order.pending_events
    assert isinstance(cancelled, OrderCancelledEvent)
    assert cancelled.refund_cents == 3448
    assert (cancelled.staff_id, cancelled.staff_name) == ("rosa", "Rosa Bianchi")
    assert (cancelled.approver_id, cancelled.approver_name) == ("mario", "Mario Rossi")
    assert cancelled.business_date == BUSINESS_DATE + timedelta(days=1)


def test_cancelling_a_paid_order_refunds_its_total() -> None:
    order = order_in(OrderStatus.COOKING, payment_method=PaymentMethod.CASH, amount_tendered=Money(5000), **DELIVERY)

    order.cancel("oven broke", Role.MANAGER, at(8), "mario")

    [cancelled] = order.pending_events
    assert isinstance(cancelled, OrderCancelledEvent)
    assert cancelled.refund_cents == order.total_cents == 3748


def test_cancelling_an_unpaid_order_refunds_nothing() -> None:
    order = order_in(OrderStatus.COOKING, payment_method=PaymentMethod.CASH)

    order.cancel("oven broke", Role.MANAGER, at(8), "mario")

    [cancelled] = order.pending_events
    assert isinstance(cancelled, OrderCancelledEvent)
    assert cancelled.refund_cents == 0


# events -------------------------------------------------------------------------------------------------------------


def test_every_event_of_a_pickup_carries_who_did_it_and_when() -> None:
    order = place(now=at(0), staff_id="rosa", payment_method=PaymentMethod.CARD)

    order.start_cooking(at(1), "luigi")
    order.mark_item_ready(0, at(2), "luigi")
    order.mark_item_ready(1, at(3), "mario")
    order.mark_picked_up(at(4), "gina")

    assert [(type(e), e.staff_id, e.occurred_at) for e in order.pending_events] == [
        (OrderPlacedEvent, "rosa", at(0)),
        (PaymentProcessedEvent, "rosa", at(0)),
        (CookingStartedEvent, "luigi", at(1)),
        (PizzaReadyEvent, "luigi", at(2)),
        (PizzaReadyEvent, "mario", at(3)),
        (OrderReadyEvent, "mario", at(3)),
        (OrderPickedUpEvent, "gina", at(4)),
    ]


def test_every_event_of_a_delivery_carries_who_did_it_and_when() -> None:
    order = place(now=at(0), staff_id="rosa", payment_method=PaymentMethod.CASH, **DELIVERY)

    order.start_cooking(at(1), "luigi")
    order.mark_item_ready(0, at(2), "luigi")
    order.mark_item_ready(1, at(3), "luigi")
    order.assign_to_delivery("toni", at(4), "mario")
    order.process_payment(PaymentMethod.CASH, Money(4000), at(5), "toni")
    order.mark_delivered(at(6), "toni")

    assert [(type(e), e.staff_id, e.occurred_at) for e in order.pending_events] == [
        (OrderPlacedEvent, "rosa", at(0)),
        (CookingStartedEvent, "luigi", at(1)),
        (PizzaReadyEvent, "luigi", at(2)),
        (PizzaReadyEvent, "luigi", at(3)),
        (OrderReadyEvent, "luigi", at(3)),
        (OrderOutForDeliveryEvent, "mario", at(4)),
        (PaymentProcessedEvent, "toni", at(5)),
        (OrderDeliveredEvent, "toni", at(6)),
    ]


def test_every_event_names_its_order() -> None:
    order = place(payment_method=PaymentMethod.CARD)

    order.start_cooking(at(1), "luigi")
    order.mark_item_ready(0, at(2), "luigi")
    order.cancel("burnt", Role.MANAGER, at(3), "mario")

    assert {getattr(event, "order_id", None) for event in order.pending_events} == {ORDER_ID}


def test_pulling_the_events_hands_them_over_once() -> None:
    order = place(payment_method=PaymentMethod.CARD)
    order.start_cooking(at(1), "luigi")

    pulled = order.pull_events()

    assert [type(event) for event in pulled] == [OrderPlacedEvent, PaymentProcessedEvent, CookingStartedEvent]
    assert order.pending_events == ()
    assert order.pull_events() == []


def test_a_recorded_event_cannot_be_altered() -> None:
    order = place()
    placed = order.pending_events[0]

    with pytest.raises(dataclasses.FrozenInstanceError):
        placed.staff_id = "someone else"  # type: ignore[misc]

    assert placed.staff_id == "rosa"


# errors -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ValidationFailedError("bad input"), 400),
        (NotAllowedError("managers only"), 403),
        (NotFoundError("no such order"), 404),
        (InvalidTransitionError("already ready"), 409),
        (ConcurrencyError("changed by someone else"), 409),
        (KitchenFullError("full", 20), 503),
    ],
)
def test_every_domain_error_carries_its_status(error: DomainError, status: int) -> None:
    assert isinstance(error, DomainError)
    assert error.status == status


def test_a_validation_error_for_fields_names_them_in_its_message() -> None:
    errors = {"customer_name": ["Enter the customer's name"], "customer_address": ["A delivery needs an address"]}

    error = ValidationFailedError.for_fields(errors)

    assert error.errors == errors
    assert error.message == str(error)
    assert error.message == "customer_name: Enter the customer's name; customer_address: A delivery needs an address"


def test_the_size_of_a_placed_line_is_kept_as_its_name() -> None:
    [line] = priced([MARGHERITA_LARGE_WITH_HAM])

    item = OrderItem.from_line(line)

    assert line.size is Size.LARGE
    assert item.size == "large"


# orders left open on an earlier business day ----------------------------------------------------------------------

NEXT_DAY = BUSINESS_DATE + timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "closed_as"),
    [
        (OrderStatus.PENDING, OrderStatus.PICKED_UP),
        (OrderStatus.READY, OrderStatus.PICKED_UP),
        (OrderStatus.OUT_FOR_DELIVERY, OrderStatus.DELIVERED),
    ],
)
def test_a_left_open_order_closed_as_completed_is_handed_over(status: OrderStatus, closed_as: OrderStatus) -> None:
    order = order_in(status)

    order.close_left_open("completed", "", NEXT_DAY, at(24 * 60), "mario")

    [event] = order.pull_events()
    assert order.status is closed_as
    assert order.completed_at == at(24 * 60)
    assert (event.outcome, event.previous_status, event.status, event.refund_cents) == (  # type: ignore[attr-defined]
        "completed",
        status.value,
        closed_as.value,
        0,
    )
    assert event.staff_id == "mario"


def test_a_paid_left_open_order_closed_as_cancelled_is_refunded_with_its_reason() -> None:
    order = order_in(OrderStatus.COOKING)  # paid by card when placed

    order.close_left_open("cancelled", "  never collected ", NEXT_DAY, at(24 * 60), "mario")

    [event] = order.pull_events()
    assert (order.status, order.cancel_reason) == (OrderStatus.CANCELLED, "never collected")
    assert (event.reason, event.refund_cents) == ("never collected", order.total_cents)  # type: ignore[attr-defined]


def test_a_left_open_order_is_not_cancelled_without_a_reason_nor_closed_on_its_own_day() -> None:
    order = order_in(OrderStatus.PENDING)

    with pytest.raises(ValidationFailedError) as no_reason:
        order.close_left_open("cancelled", "  ", NEXT_DAY, at(24 * 60), "mario")
    with pytest.raises(InvalidTransitionError, match="from today"):
        order.close_left_open("completed", "", BUSINESS_DATE, at(60), "mario")

    assert "reason" in no_reason.value.errors
    assert order.status is OrderStatus.PENDING
    assert order.pull_events() == []


def test_a_closed_order_is_not_closed_again() -> None:
    order = order_in(OrderStatus.DELIVERED)

    with pytest.raises(InvalidTransitionError, match="already delivered"):
        order.close_left_open("completed", "", NEXT_DAY, at(24 * 60), "mario")
