"""A safe kitchen on a real store: allergens from the menu and the customer reach the ticket, a cancelled ticket stays
CANCELLED until the kitchen acknowledges it, items that need no preparation are ready when placed, and tickets say
when they turn amber and red."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine

from pos_app.bootstrap import App, create_app
from pos_app.config import Settings
from pos_app.domain.events import OrderPlacedEvent
from pos_app.domain.kitchen import AgeThresholds
from pos_app.infrastructure.event_codec import decode
from pos_app.messages.commands import (
    AcknowledgeKitchenNoticeCommand,
    CancelOrderCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    StartCookingCommand,
    UpdateMenuCommand,
)
from pos_app.messages.queries import (
    GetKitchenPerformanceQuery,
    GetKitchenQueueQuery,
    GetLastCompletedTicketQuery,
    GetMenuQuery,
    GetOrderStatusQuery,
)
from pos_app.read_model.definition import RebuildSteps
from pos_app.read_model.kitchen_queue import KitchenQueueRebuild, mark_ticket_changed
from tests.support import FrozenClock, dump_tables, fingerprint, login, placed, read_models_differing

COLA = PizzaItem(pizza_id="cola")
WATER = PizzaItem(pizza_id="water")


async def queue(app: App) -> list:  # type: ignore[type-arg]
    result = await app.mediator.execute_async(GetKitchenQueueQuery())
    assert result.is_success, result
    return list(result.data)


async def test_allergens_of_the_menu_and_the_customer_reach_the_kitchen_ticket(app: App) -> None:
    await login(app.mediator, "luigi")
    order = await placed(
        app.mediator,
        pizza_items=[
            PizzaItem(pizza_id="margherita", toppings=["anchovies"], allergies=["nuts", "peanuts"]),
            PizzaItem(pizza_id="pepperoni", special_instructions="customer is coeliac"),
            COLA,
        ],
    )
    await login(app.mediator, "rosa")

    (ticket,) = await queue(app)

    margherita, pepperoni, cola = ticket.items
    assert ticket.order_id == order.data.order_id
    assert margherita.allergens == ["gluten", "fish", "milk"]
    assert margherita.allergies == ["peanuts", "nuts"]
    assert margherita.note_allergy_words == []
    assert pepperoni.allergies == []
    assert pepperoni.note_allergy_words == ["coeliac"]
    assert (cola.allergens, cola.allergy_alert) == ([], False)
    assert ticket.allergy_alert


async def test_only_a_manager_changes_the_allergens_of_a_menu_item(app: App, store_url: str) -> None:
    await login(app.mediator, "luigi")
    before = fingerprint(store_url)

    result = await app.mediator.execute_async(
        UpdateMenuCommand(item_id="margherita", allergens=["gluten"])  # not a manager: refused, nothing written
    )

    assert result.status == 403
    assert fingerprint(store_url) == before


async def test_a_cancelled_ticket_stays_cancelled_until_the_kitchen_acknowledges_it(app: App, store_url: str) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator, amount_tendered=None)).data.order_id
    kept = (await placed(app.mediator)).data.order_id
    cancelled = await app.mediator.execute_async(CancelOrderCommand(order_id=order_id, reason="customer left"))
    assert cancelled.is_success, cancelled
    await login(app.mediator, "rosa")

    first, second = await queue(app)
    assert (first.order_id, first.status) == (order_id, "cancelled")
    assert first.notice is not None
    assert first.notice.kind == "cancelled"
    assert first.notice.details == ["Reason: customer left", "By Luigi Verdi"]
    assert (second.order_id, second.notice) == (kept, None)

    command_id = uuid.uuid4()
    acknowledged = await app.mediator.execute_async(
        AcknowledgeKitchenNoticeCommand(order_id=order_id, command_id=command_id)
    )
    after_ack = fingerprint(store_url)
    retried = await app.mediator.execute_async(
        AcknowledgeKitchenNoticeCommand(order_id=order_id, command_id=command_id)
    )
    assert fingerprint(store_url) == after_ack
    again = await app.mediator.execute_async(AcknowledgeKitchenNoticeCommand(order_id=order_id))
    nothing = await app.mediator.execute_async(AcknowledgeKitchenNoticeCommand(order_id=kept))

    assert acknowledged.is_success, acknowledged
    assert retried.is_success
    assert again.status == 409
    assert "no kitchen notice" in (again.error_message or "")
    assert nothing.status == 409
    assert fingerprint(store_url) == after_ack
    assert [t.order_id for t in await queue(app)] == [kept]


async def test_a_ready_ticket_cancelled_by_a_manager_just_leaves(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator)).data.order_id
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=order_id))
    for index in (0, 1):
        await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=index))
    await login(app.mediator, "mario")

    cancelled = await app.mediator.execute_async(CancelOrderCommand(order_id=order_id, reason="never collected"))

    assert cancelled.is_success, cancelled
    assert await queue(app) == []
    assert (await app.mediator.execute_async(GetLastCompletedTicketQuery())).data is None


async def test_an_order_of_drinks_only_is_ready_when_placed_and_never_counted_as_cooked(
    app: App, clock: FrozenClock
) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator, pizza_items=[COLA, WATER])).data.order_id

    status = (await app.mediator.execute_async(GetOrderStatusQuery(order_id=order_id))).data
    assert (status.status, status.items_ready, status.items_total) == ("ready", 2, 2)
    assert await queue(app) == []
    assert (await app.mediator.execute_async(GetLastCompletedTicketQuery())).data is None
    picked = await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=order_id))
    assert picked.is_success, picked
    assert picked.data.status == "picked_up"

    await login(app.mediator, "mario")
    day = clock.now().date()
    performance = (await app.mediator.execute_async(GetKitchenPerformanceQuery(start=day, end=day))).data
    assert (performance.orders_completed, performance.items_completed) == (0, 0)


async def test_an_order_is_ready_when_its_last_prepared_item_is_and_only_that_counts_as_cooked(
    app: App, clock: FrozenClock
) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator, pizza_items=[COLA, PizzaItem(pizza_id="margherita")])).data.order_id
    await login(app.mediator, "rosa")
    (ticket,) = await queue(app)
    assert [(item.name, item.needs_preparation, item.ready) for item in ticket.items] == [
        ("Cola", False, True),
        ("Margherita", True, False),
    ]
    assert ticket.next_item_index == 1

    await app.mediator.execute_async(StartCookingCommand(order_id=order_id))
    clock.advance(minutes=10)
    ready = await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=1))

    assert ready.data.status == "ready"
    await login(app.mediator, "mario")
    day = clock.now().date()
    performance = (await app.mediator.execute_async(GetKitchenPerformanceQuery(start=day, end=day))).data
    assert (performance.orders_completed, performance.items_completed) == (1, 1)


async def test_the_manager_sets_allergens_and_whether_an_item_is_prepared(app: App) -> None:
    await login(app.mediator, "mario")

    changed = await app.mediator.execute_async(
        UpdateMenuCommand(item_id="garlic_bread", allergens=["milk", "gluten"], needs_preparation=False)
    )
    menu = {item.id: item for item in (await app.mediator.execute_async(GetMenuQuery())).data}

    assert changed.is_success, changed
    assert (menu["garlic_bread"].allergens, menu["garlic_bread"].needs_preparation) == (["gluten", "milk"], False)
    assert (menu["cola"].needs_preparation, menu["margherita"].allergens) == (False, ["gluten", "milk"])
    extra_cheese = next(t for t in menu["margherita"].available_toppings if t.id == "extra_cheese")
    assert extra_cheese.allergens == ["milk"]


async def test_tickets_turn_amber_and_red_by_the_stores_thresholds_or_their_promise(db_path: Path) -> None:
    clock = FrozenClock()
    settings = Settings(kitchen_age=AgeThresholds(near_minutes=5, late_minutes=9))
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=settings) as app:
        await login(app.mediator, "luigi")
        await placed(app.mediator)
        (ticket,) = await queue(app)

    assert ticket.estimated_ready_time > ticket.placed_at + timedelta(minutes=9)
    assert ticket.near_at == ticket.placed_at + timedelta(minutes=5)
    assert ticket.late_at == ticket.placed_at + timedelta(minutes=9)


async def test_a_changed_ticket_shows_its_changes_until_acknowledged_live_and_in_a_rebuild(
    db_path: Path, clock: FrozenClock
) -> None:
    async with create_app(f"sqlite:///{db_path}", clock=clock) as app:
        await login(app.mediator, "luigi")
        order_id = (await placed(app.mediator, amount_tendered=Decimal("100.00"))).data.order_id
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        mark_ticket_changed(connection, order_id, ["+ 1 × Cola"], clock.now())
        mark_ticket_changed(connection, order_id, ["Margherita: no basil"], clock.now() + timedelta(minutes=1))
    with sqlite3.connect(db_path) as raw:
        row = raw.execute(
            "SELECT event_type, payload, occurred_at, staff_id FROM events"
            " WHERE event_type = 'OrderPlacedEvent' ORDER BY position"
        ).fetchone()
    placed_event = decode(row[0], row[1], clock.now(), row[3])
    assert isinstance(placed_event, OrderPlacedEvent)
    rebuild = KitchenQueueRebuild(RebuildSteps())
    rebuild.handlers()[OrderPlacedEvent](1, placed_event)
    rebuild.mark_changed(order_id, ["+ 1 × Cola"], clock.now())
    rebuild.mark_changed(order_id, ["Margherita: no basil"], clock.now() + timedelta(minutes=1))
    (rebuilt_row,) = next(iter(rebuild.rows()))[1]

    async with create_app(f"sqlite:///{db_path}", clock=clock) as app:
        await login(app.mediator, "rosa")
        (ticket,) = await queue(app)
        assert ticket.notice is not None
        assert (ticket.notice.kind, ticket.notice.details) == ("changed", ["+ 1 × Cola", "Margherita: no basil"])
        assert (rebuilt_row["notice_kind"], rebuilt_row["notice_details"]) == (
            "changed",
            '["+ 1 × Cola","Margherita: no basil"]',
        )
        acknowledged = await app.mediator.execute_async(AcknowledgeKitchenNoticeCommand(order_id=order_id))
        assert acknowledged.is_success, acknowledged
        (ticket,) = await queue(app)
        assert ticket.notice is None


async def test_a_store_of_safe_kitchen_orders_rebuilds_to_the_same_read_models(db_path: Path) -> None:
    clock = FrozenClock()
    async with create_app(f"sqlite:///{db_path}", clock=clock) as app:
        await login(app.mediator, "luigi")
        drinks = (await placed(app.mediator, pizza_items=[COLA])).data.order_id
        allergic = await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="margherita", allergies=["milk"]), WATER])
        cancelled = (await placed(app.mediator, amount_tendered=None)).data.order_id
        left = (await placed(app.mediator, amount_tendered=None)).data.order_id
        for order_id in (cancelled, left):
            await app.mediator.execute_async(CancelOrderCommand(order_id=order_id, reason="changed their mind"))
        await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=drinks))
        await login(app.mediator, "rosa")
        await app.mediator.execute_async(AcknowledgeKitchenNoticeCommand(order_id=left))
        await app.mediator.execute_async(StartCookingCommand(order_id=allergic.data.order_id))
        clock.advance(minutes=9)
        await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=allergic.data.order_id, pizza_index=0))
        live = dump_tables(db_path)

        await app.rebuild_read_models()

        assert read_models_differing(live, dump_tables(db_path)) == []
        assert dump_tables(db_path) == live
