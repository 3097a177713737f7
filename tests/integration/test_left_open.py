"""Orders left open on an earlier business day: listed for the manager, closed with one command (completed, or
cancelled with a reason), never counted in today's kitchen; the read models after closing equal a rebuild."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from pos_app.bootstrap import App, create_app
from pos_app.config import Settings
from pos_app.domain.kitchen import KitchenPolicy
from pos_app.messages.commands import (
    CancelOrderCommand,
    CloseLeftOpenOrderCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    StartCookingCommand,
)
from pos_app.messages.queries import (
    GetDailySalesQuery,
    GetKitchenQueueQuery,
    GetLeftOpenOrdersQuery,
    GetOrderByIdQuery,
)
from tests.support import FrozenClock, dump_tables, fingerprint, login, place_order, placed, read_models_differing

EVENING = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
NEXT_MORNING = EVENING + timedelta(hours=14)
SETTINGS = Settings(kitchen=KitchenPolicy(capacity_items=3, stations=1), timezone="UTC", day_starts_at=time(4))


@pytest.fixture
async def store(db_path: Path, clock: FrozenClock) -> AsyncIterator[App]:
    clock.current = EVENING
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=SETTINGS) as running:
        await login(running.mediator, "mario")
        yield running


async def ok(app: App, request: Any) -> Any:
    result = await app.mediator.execute_async(request)
    assert result.is_success, (request, result)
    return result.data


async def an_evening_with_orders_left_open(app: App, clock: FrozenClock) -> dict[str, UUID]:
    """Yesterday: one order never cooked, one ready and never collected (unpaid), one collected, one cancelled."""
    orders: dict[str, UUID] = {}
    for name, overrides in (
        ("pending", {}),
        ("ready", {"amount_tendered": None, "accept_kitchen_wait": True}),
        ("collected", {"accept_kitchen_wait": True}),
        ("cancelled", {"accept_kitchen_wait": True}),
    ):
        orders[name] = (await placed(app.mediator, **overrides)).data.order_id
        clock.advance(minutes=2)
    for name in ("ready", "collected"):
        await ok(app, StartCookingCommand(order_id=orders[name]))
        for index in (0, 1):
            await ok(app, MarkPizzaReadyCommand(order_id=orders[name], pizza_index=index))
    await ok(app, MarkOrderPickedUpCommand(order_id=orders["collected"]))
    await ok(app, CancelOrderCommand(order_id=orders["cancelled"], reason="changed their mind"))
    clock.current = NEXT_MORNING
    return orders


def events_of(path: Path, order_id: UUID, event_type: str) -> list[tuple[str | None, dict[str, Any]]]:
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT staff_id, payload FROM events WHERE order_id = ? AND event_type = ? ORDER BY position",
            (order_id.hex, event_type),
        ).fetchall()
    return [(staff, json.loads(payload)) for staff, payload in rows]


async def test_the_orders_left_open_on_an_earlier_day_are_listed_oldest_first(store: App, clock: FrozenClock) -> None:
    orders = await an_evening_with_orders_left_open(store, clock)
    today = await placed(store.mediator)

    page = await ok(store, GetLeftOpenOrdersQuery())

    assert [item.order_id for item in page.items] == [orders["pending"], orders["ready"]]
    assert page.total == 2
    assert today.data.order_id not in [item.order_id for item in page.items]


async def test_the_left_open_list_is_paged(store: App, clock: FrozenClock) -> None:
    orders = await an_evening_with_orders_left_open(store, clock)

    second = await ok(store, GetLeftOpenOrdersQuery(page=2, page_size=1))

    assert [item.order_id for item in second.items] == [orders["ready"]]
    assert (second.total, second.page, second.page_size) == (2, 2, 1)


async def test_closing_a_left_open_order_as_completed_hands_it_over_and_takes_it_off_the_kitchen(
    store: App, db_path: Path, clock: FrozenClock
) -> None:
    orders = await an_evening_with_orders_left_open(store, clock)

    closed = await ok(store, CloseLeftOpenOrderCommand(order_id=orders["pending"], outcome="completed"))
    left_open = await ok(store, GetLeftOpenOrdersQuery())
    detail = await ok(store, GetOrderByIdQuery(order_id=orders["pending"]))

    assert closed.status == "picked_up"
    assert [item.order_id for item in left_open.items] == [orders["ready"]]
    assert "Closed as left open while pending: completed" in detail.timeline[-1].description
    assert events_of(db_path, orders["pending"], "LeftOpenOrderClosedEvent") == [
        (
            "mario",
            {
                "order_id": str(orders["pending"]),
                "outcome": "completed",
                "reason": "",
                "previous_status": "pending",
                "status": "picked_up",
                "refund_cents": 0,
            },
        )
    ]
    with closing(sqlite3.connect(db_path)) as connection:
        tickets = connection.execute(
            "SELECT count(*) FROM kitchen_queue_view WHERE order_id = ?", (orders["pending"].hex,)
        ).fetchone()[0]
    assert tickets == 0


async def test_closing_a_left_open_order_as_cancelled_records_the_reason_and_takes_it_out_of_the_days_sales(
    store: App, db_path: Path, clock: FrozenClock
) -> None:
    orders = await an_evening_with_orders_left_open(store, clock)
    before = await ok(store, GetDailySalesQuery(date=EVENING.date()))

    closed = await ok(
        store, CloseLeftOpenOrderCommand(order_id=orders["pending"], outcome="cancelled", reason="  never collected ")
    )
    after = await ok(store, GetDailySalesQuery(date=EVENING.date()))

    assert closed.status == "cancelled"
    assert (after.orders, after.cancelled_orders) == (before.orders - 1, before.cancelled_orders + 1)
    assert after.refunds == before.refunds + closed.total_amount  # it was paid in cash when placed
    [(staff, payload)] = events_of(db_path, orders["pending"], "LeftOpenOrderClosedEvent")
    assert (staff, payload["outcome"], payload["reason"]) == ("mario", "cancelled", "never collected")
    assert payload["refund_cents"] == int(closed.total_amount * 100)


async def test_cancelling_a_left_open_order_needs_a_reason_and_a_refusal_writes_nothing(
    store: App, db_path: Path, clock: FrozenClock
) -> None:
    orders = await an_evening_with_orders_left_open(store, clock)
    before = fingerprint(db_path)

    refused = await store.mediator.execute_async(
        CloseLeftOpenOrderCommand(order_id=orders["pending"], outcome="cancelled", reason="   ")
    )

    assert refused.status == 400
    assert "reason" in refused.errors
    assert fingerprint(db_path) == before


async def test_an_order_of_today_or_one_already_closed_is_refused_with_409(
    store: App, db_path: Path, clock: FrozenClock
) -> None:
    orders = await an_evening_with_orders_left_open(store, clock)
    today = (await placed(store.mediator)).data.order_id
    before = fingerprint(db_path)

    of_today = await store.mediator.execute_async(CloseLeftOpenOrderCommand(order_id=today, outcome="completed"))
    collected = await store.mediator.execute_async(
        CloseLeftOpenOrderCommand(order_id=orders["collected"], outcome="completed")
    )
    cancelled = await store.mediator.execute_async(
        CloseLeftOpenOrderCommand(order_id=orders["cancelled"], outcome="cancelled", reason="again")
    )

    assert (of_today.status, collected.status, cancelled.status) == (409, 409, 409)
    assert "from today" in of_today.error_message
    assert "already picked up" in collected.error_message
    assert "already cancelled" in cancelled.error_message
    assert fingerprint(db_path) == before


async def test_the_counter_cannot_see_or_close_orders_left_open(store: App, clock: FrozenClock) -> None:
    orders = await an_evening_with_orders_left_open(store, clock)
    await login(store.mediator, "luigi")

    listed = await store.mediator.execute_async(GetLeftOpenOrdersQuery())
    closed = await store.mediator.execute_async(
        CloseLeftOpenOrderCommand(order_id=orders["pending"], outcome="completed")
    )

    assert (listed.status, closed.status) == (403, 403)


async def test_the_first_order_of_the_morning_is_taken_and_the_kitchen_shows_todays_work_only(
    store: App, clock: FrozenClock
) -> None:
    orders = await an_evening_with_orders_left_open(store, clock)

    morning = await store.mediator.execute_async(place_order())
    queue = await ok(store, GetKitchenQueueQuery())

    assert morning.status == 201, morning
    assert [ticket.order_id for ticket in queue] == [morning.data.order_id]
    assert orders["pending"] not in [ticket.order_id for ticket in queue]


async def test_after_closing_left_open_orders_the_read_models_equal_a_rebuild(
    store: App, db_path: Path, clock: FrozenClock
) -> None:
    orders = await an_evening_with_orders_left_open(store, clock)
    await ok(store, CloseLeftOpenOrderCommand(order_id=orders["pending"], outcome="cancelled", reason="no show"))
    await ok(store, CloseLeftOpenOrderCommand(order_id=orders["ready"], outcome="completed"))
    live = dump_tables(db_path)

    await store.rebuild_read_models()

    assert read_models_differing(live, dump_tables(db_path)) == []
    assert dump_tables(db_path) == live
