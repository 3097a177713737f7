"""Editing a placed order through create_app on a SQLite file: priced again, the difference settled (more to pay or
a refund), the kitchen told what changed after cooking started, nothing written when refused, retries idempotent."""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

from pos_app.bootstrap import App
from pos_app.messages.commands import (
    ApplyDiscountCommand,
    EditOrderCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    ProcessPaymentCommand,
    StartCookingCommand,
)
from pos_app.messages.queries import GetDailySalesQuery, GetKitchenQueueQuery, GetOrderByIdQuery, GetOrdersQuery
from tests.support import login, placed, row_counts

MARGHERITA_LARGE_HAM = PizzaItem(pizza_id="margherita", size="large", toppings=["ham"])  # 19.49
PEPPERONI = PizzaItem(pizza_id="pepperoni", size="medium", special_instructions="well done")  # 14.99


def edit(order_id: uuid.UUID, items: list[PizzaItem], **overrides: Any) -> EditOrderCommand:
    fields: dict[str, Any] = {
        "order_id": order_id,
        "pizza_items": items,
        "order_type": "pickup",
        "customer_name": "Anna Conti",
        "customer_phone": "555 010 2030",
    }
    fields.update(overrides)
    return EditOrderCommand(**fields)


def last_event(db_path: Path, order_id: uuid.UUID, event_type: str) -> dict[str, Any]:
    with closing(sqlite3.connect(db_path)) as connection:
        row = connection.execute(
            "SELECT payload FROM events WHERE order_id = ? AND event_type = ? ORDER BY position DESC LIMIT 1",
            (order_id.hex, event_type),
        ).fetchone()
    assert row is not None, event_type
    payload: dict[str, Any] = json.loads(row[0])
    return payload


async def detail(app: App, order_id: uuid.UUID) -> Any:
    return (await app.mediator.execute_async(GetOrderByIdQuery(order_id=order_id))).data


async def test_a_dearer_edit_before_cooking_leaves_the_balance_to_pay_and_payment_takes_it(
    app: App, db_path: Path
) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data  # cash 34.48, tendered 100
    two_diavola = PizzaItem(pizza_id="diavola", quantity=2)  # 2 × 15.49

    result = await app.mediator.execute_async(edit(order.order_id, [MARGHERITA_LARGE_HAM, two_diavola]))
    edited = await detail(app, order.order_id)
    paid = await app.mediator.execute_async(
        ProcessPaymentCommand(order_id=order.order_id, payment_method="cash", amount_tendered=Decimal("20.00"))
    )
    await login(app.mediator, "mario")
    sales = (await app.mediator.execute_async(GetDailySalesQuery())).data

    assert result.status == 200
    assert (edited.total_amount, edited.amount_paid, edited.balance_due) == (
        Decimal("50.47"),
        Decimal("34.48"),
        Decimal("15.99"),
    )
    assert edited.paid is False
    assert "take_payment" in edited.actions
    assert edited.timeline[-1].description == (
        "Changed: + 2 × Diavola (medium); − Pepperoni (medium) · total 50.47 (was 34.48), 15.99 more to pay"
    )
    assert paid.status == 200
    assert (paid.data.paid, paid.data.change_due) == (True, Decimal("4.01"))
    assert (sales.total_sales, sales.cash, sales.unpaid, sales.items_sold) == (
        Decimal("50.47"),
        Decimal("50.47"),
        Decimal("0.00"),
        3,
    )
    event = last_event(db_path, order.order_id, "OrderEditedEvent")
    assert (event["cooking_started"], event["balance_cents"], event["refund_cents"]) == (False, 1599, 0)


async def test_a_cheaper_edit_gives_the_difference_back_booked_to_the_day(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data  # cash 34.48

    await app.mediator.execute_async(edit(order.order_id, [MARGHERITA_LARGE_HAM]))
    edited = await detail(app, order.order_id)
    await login(app.mediator, "mario")
    sales = (await app.mediator.execute_async(GetDailySalesQuery())).data

    assert (edited.total_amount, edited.amount_paid, edited.balance_due, edited.paid) == (
        Decimal("19.49"),
        Decimal("19.49"),
        Decimal("0.00"),
        True,
    )
    assert edited.timeline[-1].description.endswith("total 19.49 (was 34.48), refund 14.99")
    assert (sales.total_sales, sales.refunds, sales.unpaid) == (Decimal("19.49"), Decimal("14.99"), Decimal("0.00"))
    assert last_event(db_path, order.order_id, "OrderEditedEvent")["refund_cents"] == 1499


async def test_an_unpaid_order_edited_just_costs_the_new_total(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data

    await app.mediator.execute_async(edit(order.order_id, [PEPPERONI]))
    edited = await detail(app, order.order_id)

    assert (edited.total_amount, edited.amount_paid, edited.balance_due, edited.paid) == (
        Decimal("14.99"),
        Decimal("0.00"),
        Decimal("0.00"),
        False,
    )
    assert "refund" not in edited.timeline[-1].description


async def test_an_edit_after_cooking_started_tells_the_kitchen_and_replaces_the_ticket_lines(
    app: App, db_path: Path
) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=order.order_id))
    await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order.order_id, pizza_index=0))
    await login(app.mediator, "luigi")
    pepperoni_with_olives = PizzaItem(pizza_id="pepperoni", size="large", toppings=["olives"])

    result = await app.mediator.execute_async(
        edit(order.order_id, [MARGHERITA_LARGE_HAM, pepperoni_with_olives, PizzaItem(pizza_id="cola", quantity=2)])
    )
    await login(app.mediator, "rosa")
    [ticket] = (await app.mediator.execute_async(GetKitchenQueueQuery())).data

    assert result.status == 200
    event = last_event(db_path, order.order_id, "OrderEditedEvent")
    assert event["cooking_started"] is True
    assert event["kitchen_changes"] == ["Pepperoni: medium → large; + olives; no note", "+ 2 × Cola"]
    assert [(i.name, i.quantity, i.ready) for i in ticket.items] == [
        ("Margherita", 1, True),  # made before the edit, unchanged: still ready
        ("Pepperoni", 1, False),
        ("Cola", 2, True),  # needs no preparation: ready as soon as it is on the order
    ]
    assert ticket.items[1].toppings == ["Olives"]
    # changed while cooking: the ticket shows CHANGED with what changed until the kitchen acknowledges it
    assert ticket.notice is not None
    assert (ticket.notice.kind, ticket.notice.details) == ("changed", event["kitchen_changes"])
    assert result.data.timeline == []  # the command's answer; the detail carries the timeline
    assert (await detail(app, order.order_id)).timeline[-1].description.startswith("Changed while cooking: Pepperoni")


async def test_removing_the_last_line_still_to_make_makes_the_order_ready(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, amount_tendered=None)).data
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=order.order_id))
    await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order.order_id, pizza_index=0))
    await login(app.mediator, "luigi")

    result = await app.mediator.execute_async(edit(order.order_id, [MARGHERITA_LARGE_HAM]))
    await login(app.mediator, "rosa")
    queue = (await app.mediator.execute_async(GetKitchenQueueQuery())).data

    assert result.data.status == "ready"
    assert queue == []


async def test_edits_that_cannot_be_made_are_refused_and_write_nothing(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data
    ready = (await placed(app.mediator, pizza_items=[PEPPERONI])).data
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=ready.order_id))
    await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=ready.order_id, pizza_index=0))
    await login(app.mediator, "luigi")
    before = row_counts(db_path)

    answers = [
        await app.mediator.execute_async(command)
        for command in (
            edit(ready.order_id, [MARGHERITA_LARGE_HAM]),
            edit(uuid.uuid4(), [PEPPERONI]),
            edit(order.order_id, [PEPPERONI], expected_version=0),
            edit(order.order_id, [PEPPERONI], customer_phone="333 444 5555"),
            edit(order.order_id, [PEPPERONI], order_type="dine_in"),
            edit(order.order_id, [PEPPERONI], order_type="delivery"),
            edit(order.order_id, []),
            edit(order.order_id, [MARGHERITA_LARGE_HAM, PEPPERONI]),
        )
    ]

    assert [a.status for a in answers] == [409, 404, 409, 400, 400, 400, 400, 400]
    assert "table_number" in answers[4].errors
    assert "customer_address" in answers[5].errors
    assert answers[7].errors == {"pizza_items": ["Nothing was changed"]}
    assert row_counts(db_path) == before


async def test_kitchen_staff_may_not_edit_an_order(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data
    await login(app.mediator, "rosa")

    refused = await app.mediator.execute_async(edit(order.order_id, [PEPPERONI]))

    assert refused.status == 403


async def test_a_retried_edit_answers_the_first_result_and_writes_nothing_more(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data
    command = edit(order.order_id, [PEPPERONI], command_id=uuid.uuid4(), expected_version=1)

    first = await app.mediator.execute_async(command)
    after_first = row_counts(db_path)
    retried = await app.mediator.execute_async(command)

    assert first.status == retried.status == 200
    assert retried.data == first.data
    assert row_counts(db_path) == after_first


async def test_an_edit_can_make_a_pickup_a_dine_in_at_a_table_and_the_list_follows(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data

    await app.mediator.execute_async(
        edit(order.order_id, [MARGHERITA_LARGE_HAM, PEPPERONI], order_type="dine_in", table_number=9, covers=2)
    )
    [listed] = (await app.mediator.execute_async(GetOrdersQuery())).data.items
    edited = await detail(app, order.order_id)

    assert (listed.order_type, listed.table_number) == ("dine_in", 9)
    assert (edited.table_number, edited.covers, edited.total_amount) == (9, 2, Decimal("34.48"))
    assert "edit" in edited.actions


async def test_a_handed_over_order_offers_no_edit(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, pizza_items=[PEPPERONI])).data
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=order.order_id))
    await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order.order_id, pizza_index=0))
    await login(app.mediator, "luigi")
    await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=order.order_id))

    assert "edit" not in (await detail(app, order.order_id)).actions


async def test_the_store_keeps_the_edited_lines_and_what_comes_next_works_on_them(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator)).data  # Margherita large with ham and a Pepperoni, 34.48
    two_pepperoni = PEPPERONI.model_copy(update={"quantity": 2, "toppings": ["olives"]})  # 2 × 15.99

    await app.mediator.execute_async(edit(order.order_id, [MARGHERITA_LARGE_HAM, two_pepperoni]))
    stored = await detail(app, order.order_id)  # read again from the store, not the command's answer
    discounted = await app.mediator.execute_async(
        ApplyDiscountCommand(order_id=order.order_id, percent=Decimal("5"), reason="regular")
    )

    assert [(i.pizza_id, i.toppings, i.quantity, i.price) for i in stored.items] == [
        ("margherita", ["ham"], 1, Decimal("19.49")),
        ("pepperoni", ["olives"], 2, Decimal("31.98")),
    ]
    assert stored.subtotal == Decimal("51.47")
    assert discounted.status == 200, discounted
    assert discounted.data.discount == Decimal("2.57")  # 5% of the edited 51.47, not of the 34.48 placed
