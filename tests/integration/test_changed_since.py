"""Refreshing from what changed: the order list and the kitchen queue answer `changed_since` with the rows the later
events touched, and a screen that merges each answer into what it had always equals a fresh full read, on both
backends. Too many changes, or a position the store has not reached, answer the whole list."""

from __future__ import annotations

import uuid
from typing import Any

from pos_app.bootstrap import App
from pos_app.messages.commands import (
    AcknowledgeKitchenNoticeCommand,
    CancelOrderCommand,
    CloseLeftOpenOrderCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    ProcessPaymentCommand,
    StartCookingCommand,
)
from pos_app.messages.dtos import KitchenQueueChangesDto, KitchenTicketDto, OrderPageDto, OrderSummaryDto
from pos_app.messages.queries import GetKitchenQueueChangesQuery, GetKitchenQueueQuery, GetOrdersQuery
from pos_app.read_model.changes import CHANGES_LIMIT
from tests.support import FrozenClock, login, placed


async def orders(app: App, changed_since: int | None = None) -> OrderPageDto:
    result = await app.mediator.execute_async(GetOrdersQuery(page_size=1000, changed_since=changed_since))
    assert result.is_success, result
    return result.data


async def kitchen(app: App, changed_since: int | None = None) -> KitchenQueueChangesDto:
    result = await app.mediator.execute_async(GetKitchenQueueChangesQuery(changed_since=changed_since))
    assert result.is_success, result
    return result.data


class Screens:
    """What an order list and a kitchen screen hold after merging every answer, as the screens merge them."""

    def __init__(self) -> None:
        self.orders: dict[uuid.UUID, OrderSummaryDto] = {}
        self.tickets: dict[uuid.UUID, KitchenTicketDto] = {}
        self.order_position: int | None = None
        self.kitchen_position: int | None = None
        self.changes_seen = 0

    async def refresh(self, app: App) -> None:
        page = await orders(app, self.order_position)
        if not page.changes_only:
            self.orders = {}
        self.orders.update((order.order_id, order) for order in page.items)
        self.changes_seen += len(page.items) if page.changes_only else 0
        self.order_position = page.position
        queue = await kitchen(app, self.kitchen_position)
        if not queue.changes_only:
            self.tickets = {}
        for order_id in queue.closed:
            self.tickets.pop(order_id, None)
        self.tickets.update((ticket.order_id, ticket) for ticket in queue.tickets)
        self.kitchen_position = queue.position

    def order_rows(self) -> list[OrderSummaryDto]:
        return sorted(self.orders.values(), key=lambda o: (o.placed_at, o.order_number), reverse=True)

    def ticket_rows(self) -> list[KitchenTicketDto]:
        return sorted(self.tickets.values(), key=lambda t: t.queue_position)


async def check_equal_to_a_full_read(app: App, screens: Screens) -> None:
    await screens.refresh(app)
    assert screens.order_rows() == (await orders(app)).items
    full_queue = await app.mediator.execute_async(GetKitchenQueueQuery())
    assert screens.ticket_rows() == full_queue.data
    assert screens.ticket_rows() == (await kitchen(app)).tickets


async def test_merging_the_changes_equals_a_full_read_after_every_step_of_a_service(app: App) -> None:
    await login(app.mediator, "mario")
    screens = Screens()
    await check_equal_to_a_full_read(app, screens)
    ids = []
    for n in range(6):
        dine_in: dict[str, Any] = {"order_type": "dine_in", "table_number": n, "amount_tendered": None} if n % 2 else {}
        result = await placed(app.mediator, customer_name=f"Guest {n}", **dine_in)
        ids.append(result.data.order_id)
        await check_equal_to_a_full_read(app, screens)
    steps: list[Any] = [
        StartCookingCommand(order_id=ids[0]),
        MarkPizzaReadyCommand(order_id=ids[0], pizza_index=0),
        StartCookingCommand(order_id=ids[1]),
        MarkPizzaReadyCommand(order_id=ids[0], pizza_index=1),  # the order is ready: its ticket leaves the queue
        MarkOrderPickedUpCommand(order_id=ids[0]),
        ProcessPaymentCommand(order_id=ids[1], payment_method="card"),  # a dine-in table pays at the end
        CancelOrderCommand(order_id=ids[2], reason="customer left"),  # stays with a CANCELLED notice
        AcknowledgeKitchenNoticeCommand(order_id=ids[2]),  # and leaves once acknowledged
        CancelOrderCommand(order_id=ids[3], reason="wrong number"),
    ]
    for step in steps:
        result = await app.mediator.execute_async(step)
        assert result.is_success, (step, result)
        await check_equal_to_a_full_read(app, screens)
    assert screens.changes_seen > 0  # the screens were kept by changes, not by full reads
    assert ids[0] not in screens.tickets
    assert ids[2] not in screens.tickets
    assert screens.tickets[ids[3]].notice is not None


async def test_an_answer_holds_only_what_changed_and_nothing_when_nothing_did(app: App) -> None:
    await login(app.mediator, "mario")
    first = (await placed(app.mediator, customer_name="First")).data.order_id
    second = (await placed(app.mediator, customer_name="Second")).data.order_id
    page = await orders(app)
    queue = await kitchen(app)
    assert not page.changes_only
    assert page.total == 2
    assert page.position > 0
    assert (await orders(app, page.position)).items == []
    assert (await kitchen(app, queue.position)).tickets == []
    started = await app.mediator.execute_async(StartCookingCommand(order_id=first))
    assert started.is_success
    changes = await orders(app, page.position)
    assert changes.changes_only
    assert [order.order_id for order in changes.items] == [first]
    assert changes.total == 2
    assert changes.position > page.position
    kitchen_changes = await kitchen(app, queue.position)
    assert kitchen_changes.changes_only
    assert [ticket.order_id for ticket in kitchen_changes.tickets] == [first]
    assert kitchen_changes.tickets[0].actions == ("mark_ready",)  # the actions of whoever asks
    assert second not in {ticket.order_id for ticket in kitchen_changes.tickets}


async def test_too_many_changes_or_an_unknown_position_answer_the_whole_list(app: App) -> None:
    await login(app.mediator, "mario")
    await placed(app.mediator)
    page = await orders(app)
    ahead = await orders(app, page.position + 1)  # a store restored from an older backup
    assert not ahead.changes_only
    assert len(ahead.items) == 1
    assert not (await kitchen(app, page.position + 1)).changes_only
    far_back = max(0, page.position - CHANGES_LIMIT - 1)
    if page.position - far_back > CHANGES_LIMIT:
        assert not (await orders(app, far_back)).changes_only
    assert (await orders(app, 0)).changes_only == (page.position <= CHANGES_LIMIT)


async def test_changed_since_with_a_filter_is_refused_clearly(app: App) -> None:
    await login(app.mediator, "mario")
    for query in (
        GetOrdersQuery(changed_since=1, status="pending"),
        GetOrdersQuery(changed_since=1, search="anna"),
        GetOrdersQuery(changed_since=1, customer_phone="555 010 2030"),
    ):
        result = await app.mediator.execute_async(query)
        assert result.status == 400
        assert "changed_since" in (result.error_message or "")
        assert "changed_since" in (result.errors or {})


async def test_a_change_to_an_earlier_days_order_stays_off_todays_screens(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "mario")
    yesterdays = (await placed(app.mediator, customer_name="Left open")).data.order_id
    clock.advance(days=1)
    todays = (await placed(app.mediator, customer_name="Today")).data.order_id
    page, queue = await orders(app), await kitchen(app)
    assert [order.order_id for order in page.items] == [todays]
    assert [ticket.order_id for ticket in queue.tickets] == [todays]

    closed = await app.mediator.execute_async(CloseLeftOpenOrderCommand(order_id=yesterdays, outcome="completed"))
    assert closed.is_success, closed
    started = await app.mediator.execute_async(StartCookingCommand(order_id=todays))
    assert started.is_success, started

    changes = await orders(app, page.position)
    assert changes.changes_only
    assert [order.order_id for order in changes.items] == [todays]
    kitchen_changes = await kitchen(app, queue.position)
    assert [ticket.order_id for ticket in kitchen_changes.tickets] == [todays]
    assert yesterdays in kitchen_changes.closed  # not on today's queue (it never was)
