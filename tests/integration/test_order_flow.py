"""Orders moving through the kitchen, hand-over, delivery, payment and cancellation, with roles."""

from __future__ import annotations

import logging
import sqlite3
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from pos_app.bootstrap import App, create_app
from pos_app.config import Settings
from pos_app.messages.commands import (
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    LoginCommand,
    LogoutCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    MarkPizzaReadyCommand,
    ProcessPaymentCommand,
    StartCookingCommand,
    UpdateMenuCommand,
)
from pos_app.messages.queries import (
    GetKitchenQueueQuery,
    GetLastCompletedTicketQuery,
    GetOrderByIdQuery,
    GetOrderStatusQuery,
    GetSessionQuery,
)
from tests.support import MANAGER_APPROVAL, FrozenClock, login, placed, row_counts


async def cook(app: App, order_id: object, clock: FrozenClock) -> None:
    await login(app.mediator, "rosa")
    assert (await app.mediator.execute_async(StartCookingCommand(order_id=order_id))).is_success
    order = await app.mediator.execute_async(GetOrderByIdQuery(order_id=order_id))
    for item in order.data.items:
        clock.advance(minutes=6)
        assert (
            await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=item.index))
        ).is_success


async def test_the_pickup_story_from_counter_to_kitchen_to_hand_over(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator)).data.order_id
    await login(app.mediator, "rosa")

    started = await app.mediator.execute_async(StartCookingCommand(order_id=order_id))
    clock.advance(minutes=10)
    first = await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=0))
    status_between = await app.mediator.execute_async(GetOrderStatusQuery(order_id=order_id))
    clock.advance(minutes=2)
    last = await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=1))
    queue = await app.mediator.execute_async(GetKitchenQueueQuery())
    recalled = await app.mediator.execute_async(GetLastCompletedTicketQuery())
    await login(app.mediator, "luigi")
    handed = await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=order_id))

    assert started.data.status == "cooking"
    assert first.data.status == "cooking"
    assert (status_between.data.items_ready, status_between.data.items_total) == (1, 2)
    assert last.data.status == "ready"
    assert queue.data == []
    assert recalled.data.order_id == order_id
    assert handed.data.status == "picked_up"
    timeline = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=order_id))).data.timeline
    assert [e.event_type for e in timeline] == [
        "OrderPlacedEvent",
        "PaymentProcessedEvent",
        "CookingStartedEvent",
        "PizzaReadyEvent",
        "PizzaReadyEvent",
        "OrderReadyEvent",
        "OrderPickedUpEvent",
    ]
    assert [e.staff_id for e in timeline] == ["luigi", "luigi", "rosa", "rosa", "rosa", "rosa", "luigi"]
    assert "10 min" in timeline[3].description


async def test_the_delivery_story_with_cash_collected_by_the_driver(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "luigi")
    order_id = (
        await placed(app.mediator, order_type="delivery", customer_address="Via Roma 1", amount_tendered=None)
    ).data.order_id
    await cook(app, order_id, clock)
    await login(app.mediator, "toni")

    out = await app.mediator.execute_async(AssignOrderToDeliveryCommand(order_id=order_id, driver_id="toni"))
    unpaid = await app.mediator.execute_async(MarkOrderDeliveredCommand(order_id=order_id))
    paid = await app.mediator.execute_async(
        ProcessPaymentCommand(order_id=order_id, payment_method="cash", amount_tendered=Decimal("40.00"))
    )
    delivered = await app.mediator.execute_async(MarkOrderDeliveredCommand(order_id=order_id))

    assert out.data.status == "out_for_delivery"
    assert out.data.driver_id == "toni"
    assert unpaid.status == 409
    assert "not paid" in unpaid.error_message
    assert paid.data.change_due == Decimal("2.52")
    assert delivered.data.status == "delivered"


async def test_a_pickup_cannot_be_sent_out_and_a_delivery_cannot_be_picked_up(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "luigi")
    pickup = (await placed(app.mediator)).data.order_id
    delivery = (await placed(app.mediator, order_type="delivery", customer_address="Via Po 2")).data.order_id
    await cook(app, pickup, clock)
    await cook(app, delivery, clock)
    await login(app.mediator, "mario")

    sent = await app.mediator.execute_async(AssignOrderToDeliveryCommand(order_id=pickup, driver_id="toni"))
    picked = await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=delivery))
    no_driver = await app.mediator.execute_async(AssignOrderToDeliveryCommand(order_id=delivery, driver_id="rosa"))

    assert (sent.status, picked.status) == (409, 409)
    assert no_driver.status == 400
    assert "driver_id" in no_driver.errors


async def test_illegal_transitions_answer_409_and_change_nothing(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator)).data.order_id
    await login(app.mediator, "rosa")
    before = row_counts(db_path)

    too_early = await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=0))
    await login(app.mediator, "mario")
    not_ready = await app.mediator.execute_async(MarkOrderPickedUpCommand(order_id=order_id))
    paid_twice = await app.mediator.execute_async(ProcessPaymentCommand(order_id=order_id, payment_method="card"))
    missing = await app.mediator.execute_async(StartCookingCommand(order_id=uuid4()))

    assert [too_early.status, not_ready.status, paid_twice.status, missing.status] == [409, 409, 409, 404]
    after = row_counts(db_path)
    assert after["orders"] == before["orders"]
    assert after["events"] == before["events"] + 1  # only the manager logging in
    assert after["order_list_view"] == before["order_list_view"]


async def test_counter_staff_cancel_a_pending_order_but_not_a_cooking_one(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    pending = (await placed(app.mediator)).data.order_id
    cooking = (await placed(app.mediator)).data.order_id
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=cooking))
    await login(app.mediator, "luigi")

    cancelled = await app.mediator.execute_async(
        CancelOrderCommand(order_id=pending, reason="customer left", **MANAGER_APPROVAL)
    )
    refused = await app.mediator.execute_async(CancelOrderCommand(order_id=cooking, reason="customer left"))
    await login(app.mediator, "mario")
    by_manager = await app.mediator.execute_async(CancelOrderCommand(order_id=cooking, reason="oven broke"))
    again = await app.mediator.execute_async(CancelOrderCommand(order_id=cooking, reason="customer left"))

    assert cancelled.data.status == "cancelled"
    assert refused.status == 403
    assert "only a manager" in refused.error_message
    assert by_manager.data.status == "cancelled"
    assert again.status == 409
    queue = await app.mediator.execute_async(GetKitchenQueueQuery())
    # the kitchen sees both tickets CANCELLED until it acknowledges them (tests/integration/test_safe_kitchen.py)
    assert [(t.order_id, t.status, t.notice.kind if t.notice else None) for t in queue.data] == [
        (pending, "cancelled", "cancelled"),
        (cooking, "cancelled", "cancelled"),
    ]
    timeline = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=cooking))).data.timeline
    assert timeline[-1].description == "Cancelled while cooking, refund 34.48: oven broke"


async def test_counter_staff_cannot_change_the_menu(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    before = row_counts(db_path)

    result = await app.mediator.execute_async(UpdateMenuCommand(item_id="margherita", base_price=Decimal("1.00")))

    assert result.status == 403
    assert row_counts(db_path) == before


async def test_requests_need_a_logged_in_staff_member(app: App) -> None:
    result = await app.mediator.execute_async(GetKitchenQueueQuery())

    assert result.status == 403
    assert result.error_message == "Log in first"


async def test_logging_out_ends_the_terminal_session(app: App) -> None:
    await login(app.mediator, "luigi")

    await app.mediator.execute_async(LogoutCommand())
    session = await app.mediator.execute_async(GetSessionQuery())
    queue = await app.mediator.execute_async(GetKitchenQueueQuery())

    assert session.data is None
    assert queue.status == 403


async def test_wrong_pins_are_refused_and_five_in_a_row_lock_the_account(app: App, clock: FrozenClock) -> None:
    results = [await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="9999")) for _ in range(5)]
    right_pin_while_locked = await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="2000"))
    clock.advance(minutes=6)
    right_pin_later = await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="2000"))

    assert all(r.status == 403 for r in results)
    assert "locked" in results[-1].error_message
    assert right_pin_while_locked.status == 403
    assert "locked" in right_pin_while_locked.error_message
    assert right_pin_later.is_success


async def test_an_unknown_staff_member_gets_the_same_answer_as_a_wrong_pin(app: App) -> None:
    unknown = await app.mediator.execute_async(LoginCommand(staff_id="nobody", pin="1234"))
    wrong = await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="1234"))

    assert unknown.status == wrong.status == 403
    assert unknown.error_message == wrong.error_message


async def test_pins_are_never_stored_or_logged_in_clear(
    app: App, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="2000"))
        await app.mediator.execute_async(LoginCommand(staff_id="rosa", pin="7391"))

    with sqlite3.connect(db_path) as connection:
        hashes = [row[0] for row in connection.execute("SELECT pin_hash FROM staff")]
        payloads = " ".join(row[0] for row in connection.execute("SELECT payload FROM events"))
    assert all(h.startswith("scrypt$") and "2000" not in h.split("$")[-1][:4] for h in hashes)
    assert "7391" not in payloads
    assert "2000" not in payloads
    assert "7391" not in caplog.text
    assert "pin=" not in caplog.text


async def test_the_lockout_message_gives_the_unlock_time_in_the_store_time(db_path: Path) -> None:
    clock = FrozenClock()  # 12:00 UTC = 13:00 in Rome
    settings = Settings(timezone="Europe/Rome")
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=settings) as app:
        for _ in range(5):
            await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="9999"))

        locked = await app.mediator.execute_async(LoginCommand(staff_id="luigi", pin="2000"))

    assert "try again after 13:05" in locked.error_message
