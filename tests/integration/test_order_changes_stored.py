"""An order changed at the till is the order the store holds afterwards: its new lines are stored (the detail, the
kitchen's ready marks and a later discount all read them), a paid order made dearer can still be cancelled with a
manager's approval, a discount kept by an edit is held to the store's limit again, and a line's allergies survive an
edit. On a real SQLite store through create_app."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from pos_app.bootstrap import App
from pos_app.messages.commands import (
    ApplyDiscountCommand,
    CancelOrderCommand,
    EditOrderCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    StartCookingCommand,
)
from pos_app.messages.queries import GetKitchenQueueQuery, GetOrderByIdQuery
from tests.support import login, placed, row_counts

NEW_LINES = [
    PizzaItem(pizza_id="diavola", size="large"),  # 15.49 × 1.3 = 20.137 → 20.14
    PizzaItem(pizza_id="cola"),  # 2.50, needs no preparation
    PizzaItem(pizza_id="margherita", quantity=2),  # 2 × 12.99 = 25.98
]
NEW_SUBTOTAL = Decimal("20.14") + Decimal("2.50") + Decimal("25.98")  # 48.62


def edit(order_id: uuid.UUID, items: list[PizzaItem]) -> EditOrderCommand:
    return EditOrderCommand(
        order_id=order_id,
        pizza_items=items,
        order_type="pickup",
        customer_name="Anna Conti",
        customer_phone="555 010 2030",
    )


async def detail(app: App, order_id: uuid.UUID) -> Any:
    return (await app.mediator.execute_async(GetOrderByIdQuery(order_id=order_id))).data


def stored_lines(db_path: Path, order_id: uuid.UUID) -> list[tuple[str, str, int]]:
    with closing(sqlite3.connect(db_path)) as connection:
        rows = connection.execute(
            "SELECT menu_item_id, size, quantity FROM order_items WHERE order_id = ? ORDER BY idx", (order_id.hex,)
        ).fetchall()
    return [tuple(row) for row in rows]


async def test_the_edited_lines_are_the_ones_stored_and_the_kitchen_finishes_them(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data  # Margherita large with ham, Pepperoni

    result = await app.mediator.execute_async(edit(order.order_id, NEW_LINES))
    edited = await detail(app, order.order_id)

    assert result.status == 200, result
    assert stored_lines(db_path, order.order_id) == [
        ("diavola", "large", 1),
        ("cola", "medium", 1),
        ("margherita", "medium", 2),
    ]
    assert [(i.pizza_id, i.size, i.quantity) for i in edited.items] == [
        ("diavola", "large", 1),
        ("cola", "medium", 1),
        ("margherita", "medium", 2),
    ]
    assert edited.total_amount == NEW_SUBTOTAL
    await login(app.mediator, "rosa")
    assert (await app.mediator.execute_async(StartCookingCommand(order_id=order.order_id))).status == 200
    [ticket] = [
        t for t in (await app.mediator.execute_async(GetKitchenQueueQuery())).data if t.order_id == order.order_id
    ]
    for item in ticket.items:
        if not item.ready:
            marked = await app.mediator.execute_async(
                MarkPizzaReadyCommand(order_id=order.order_id, pizza_index=item.index)
            )
            assert marked.status == 200, marked
    assert (await detail(app, order.order_id)).status == "ready"


async def test_a_discount_after_an_edit_is_worked_out_on_the_new_lines(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data
    await app.mediator.execute_async(edit(order.order_id, NEW_LINES))

    result = await app.mediator.execute_async(
        ApplyDiscountCommand(order_id=order.order_id, percent=Decimal("5"), reason="regular customer")
    )

    off = (NEW_SUBTOTAL * Decimal("0.05")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # 2.431 → 2.43
    assert result.status == 200, result
    assert (await detail(app, order.order_id)).total_amount == NEW_SUBTOTAL - off  # 46.19


async def test_counter_staff_cancel_a_paid_order_made_dearer_with_a_managers_approval(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data  # paid in cash: 34.48
    await app.mediator.execute_async(edit(order.order_id, NEW_LINES))  # 48.62: 14.14 still to pay
    dearer = await detail(app, order.order_id)
    cancel = CancelOrderCommand(order_id=order.order_id, reason_code="changed_mind", command_id=uuid.uuid4())

    refused = await app.mediator.execute_async(cancel)
    approved = await app.mediator.execute_async(
        cancel.model_copy(update={"approver_id": "mario", "approver_pin": "1000"})
    )
    cancelled = await detail(app, order.order_id)

    assert (dearer.paid, dearer.amount_paid) == (False, Decimal("34.48"))
    assert "cancel_with_approval" in dearer.actions
    assert "cancel" not in dearer.actions
    assert refused.status == 403
    assert approved.status == 200, approved
    assert cancelled.status == "cancelled"
    assert cancelled.amount_paid == Decimal("0.00")  # what was taken went back
    assert "34.48" in cancelled.timeline[-1].description


async def test_an_edit_that_takes_a_kept_discount_past_the_limit_needs_a_manager(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data  # 34.48
    three_off = ApplyDiscountCommand(order_id=order.order_id, amount=Decimal("3.00"), reason="late")  # 8.7%
    assert (await app.mediator.execute_async(three_off)).status == 200
    small = [PizzaItem(pizza_id="margherita", size="small")]  # 10.39: the same 3.00 off would be 29%
    before = row_counts(db_path)

    refused = await app.mediator.execute_async(edit(order.order_id, small))
    unchanged = await detail(app, order.order_id)
    after_refusal = row_counts(db_path)
    await login(app.mediator, "mario")
    by_manager = await app.mediator.execute_async(edit(order.order_id, small))

    assert refused.status == 403
    assert "10%" in (refused.error_message or "")
    assert after_refusal == before
    assert [i.pizza_id for i in unchanged.items] == ["margherita", "pepperoni"]
    assert by_manager.status == 200, by_manager


async def test_a_lines_allergies_are_on_the_order_and_stay_through_an_edit(app: App) -> None:
    await login(app.mediator, "luigi")
    with_nuts = PizzaItem(pizza_id="margherita", allergies=["nuts"], special_instructions="nut allergy")
    order = (await placed(app.mediator, pizza_items=[with_nuts])).data

    shown = await detail(app, order.order_id)
    resent = [  # as the counter's edit mode sends the lines back
        PizzaItem(
            pizza_id=i.pizza_id,
            size=i.size,
            toppings=i.toppings,
            special_instructions=i.special_instructions,
            quantity=i.quantity,
            allergies=i.allergies,
        )
        for i in shown.items
    ]
    await app.mediator.execute_async(edit(order.order_id, [*resent, PizzaItem(pizza_id="cola")]))
    [ticket] = [
        t for t in (await app.mediator.execute_async(GetKitchenQueueQuery())).data if t.order_id == order.order_id
    ]

    assert shown.items[0].allergies == ["nuts"]
    assert (await detail(app, order.order_id)).items[0].allergies == ["nuts"]
    assert ticket.items[0].allergies == ["nuts"]
    assert ticket.allergy_alert
