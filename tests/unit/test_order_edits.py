"""The edit rules in the domain: which orders may change, the money settled, the ready lines kept, and what the
kitchen is told."""

from __future__ import annotations

from typing import Any

import pytest

from pos_app.domain.errors import InvalidTransitionError, ValidationFailedError
from pos_app.domain.events import OrderEditedEvent, OrderReadyEvent
from pos_app.domain.intake import price_lines
from pos_app.domain.order_edits import OrderChanges, edit_order
from pos_app.domain.orders import Order, OrderStatus, OrderType, PaymentMethod
from pos_app.domain.staff import Role
from tests.unit.test_order_aggregate import (
    BUSINESS_DATE,
    DIAVOLA_MEDIUM,
    FEE,
    MARGHERITA_LARGE_WITH_HAM,
    MENU,
    TEN_PERCENT_INCLUDED,
    at,
    order_in,
    place,
)

TERMS: dict[str, Any] = {
    "tax": TEN_PERCENT_INCLUDED,
    "delivery_fee": FEE,
    "business_date": BUSINESS_DATE,
    "now": at(10),
    "staff_id": "luigi",
}


def changes(lines: list[tuple[str, str, list[str], str]], quantities: list[int] | None = None, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "lines": price_lines(lines, MENU, quantities),
        "order_type": OrderType.PICKUP,
        "customer_name": "Anna Conti",
        "customer_address": None,
    }
    values.update(fields)
    return OrderChanges(**values)


def edited(order: Order) -> OrderEditedEvent:
    [event] = [e for e in order.pull_events() if isinstance(e, OrderEditedEvent)]
    return event


@pytest.mark.parametrize(
    "status", [OrderStatus.READY, OrderStatus.PICKED_UP, OrderStatus.CANCELLED, OrderStatus.DELIVERED]
)
def test_an_order_the_kitchen_has_finished_cannot_be_changed(status: OrderStatus) -> None:
    order = order_in(status)

    with pytest.raises(InvalidTransitionError, match="can no longer be changed"):
        edit_order(order, changes([DIAVOLA_MEDIUM]), **TERMS)

    assert order.pending_events == ()


def test_a_dearer_edit_of_a_paid_order_keeps_what_was_paid_and_asks_the_balance() -> None:
    order = place()  # paid by card, 34.48
    order.pull_events()

    edit_order(order, changes([MARGHERITA_LARGE_WITH_HAM, DIAVOLA_MEDIUM], [1, 2]), **TERMS)

    event = edited(order)
    assert (order.total_cents, order.paid_cents, order.paid) == (4947, 3448, False)
    assert (event.balance_cents, event.refund_cents, event.paid) == (1499, 0, False)


def test_a_cheaper_edit_of_a_paid_order_refunds_the_difference() -> None:
    order = place()
    order.pull_events()

    edit_order(order, changes([DIAVOLA_MEDIUM]), **TERMS)

    event = edited(order)
    assert (order.total_cents, order.paid_cents, order.paid) == (1499, 1499, True)
    assert (event.balance_cents, event.refund_cents, event.business_date) == (0, 1949, BUSINESS_DATE)


def test_paying_the_balance_takes_only_the_balance() -> None:
    order = place()
    edit_order(order, changes([MARGHERITA_LARGE_WITH_HAM, DIAVOLA_MEDIUM], [1, 2]), **TERMS)
    order.pull_events()

    order.process_payment(PaymentMethod.CARD, None, at(11), "luigi")

    [payment] = order.pull_events()
    assert payment.amount_cents == 1499  # type: ignore[attr-defined]
    assert (order.paid, order.paid_cents) == (True, 4947)


def test_a_cancel_after_a_dearer_edit_refunds_what_was_actually_taken() -> None:
    order = place()
    edit_order(order, changes([MARGHERITA_LARGE_WITH_HAM, DIAVOLA_MEDIUM], [1, 2]), **TERMS)
    order.pull_events()

    order.cancel("changed mind", Role.MANAGER, at(12), "mario")

    [cancelled] = order.pull_events()
    assert cancelled.refund_cents == 3448  # type: ignore[attr-defined]


def test_a_line_the_kitchen_made_stays_made_and_the_kitchen_hears_what_changed() -> None:
    order = order_in(OrderStatus.COOKING)
    order.mark_item_ready(0, at(8), "rosa")
    order.pull_events()

    edit_order(
        order,
        changes([MARGHERITA_LARGE_WITH_HAM, ("diavola", "large", ["ham"], "crispy"), ("margherita", "small", [], "")]),
        **TERMS,
    )

    event = edited(order)
    assert event.cooking_started is True
    assert event.ready_items == (0,)
    assert event.kitchen_changes == (
        "Diavola: medium → large; + ham; note: crispy",
        "+ 1 × Margherita (small)",
    )
    assert order.status is OrderStatus.COOKING


def test_removing_a_line_and_changing_the_type_and_table_are_told() -> None:
    order = place()
    order.pull_events()

    edit_order(order, changes([DIAVOLA_MEDIUM], order_type=OrderType.DINE_IN, table_number=4, covers=2), **TERMS)

    assert edited(order).kitchen_changes == ("− Margherita (large)", "Now dine-in", "Table 4")
    assert (order.table_number, order.covers) == (4, 2)


def test_when_every_line_left_is_made_the_order_is_ready() -> None:
    order = order_in(OrderStatus.COOKING)
    order.mark_item_ready(0, at(8), "rosa")
    order.pull_events()

    edit_order(order, changes([MARGHERITA_LARGE_WITH_HAM]), **TERMS)

    assert [type(e) for e in order.pull_events()] == [OrderEditedEvent, OrderReadyEvent]
    assert order.status is OrderStatus.READY


def test_an_edit_that_changes_nothing_is_refused() -> None:
    order = place()
    order.pull_events()

    with pytest.raises(ValidationFailedError, match="Nothing was changed"):
        edit_order(order, changes([MARGHERITA_LARGE_WITH_HAM, DIAVOLA_MEDIUM]), **TERMS)

    assert order.pending_events == ()


def test_a_new_name_alone_is_a_change_the_kitchen_does_not_hear() -> None:
    order = place()
    order.pull_events()

    edit_order(order, changes([MARGHERITA_LARGE_WITH_HAM, DIAVOLA_MEDIUM], customer_name="Anna C."), **TERMS)

    event = edited(order)
    assert (event.customer_name, event.kitchen_changes, event.total_cents) == ("Anna C.", (), 3448)
