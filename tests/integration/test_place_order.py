"""PlaceOrderCommand through create_app on a SQLite file: results, rejections with nothing written, capacity,
idempotency."""

from __future__ import annotations

import asyncio
import time as time_module
import uuid
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from pos_app.bootstrap import App, create_app
from pos_app.config import OpeningHours, Settings
from pos_app.domain.kitchen import KitchenPolicy
from pos_app.messages.commands import (
    LogoutCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    ProcessPaymentCommand,
    StartCookingCommand,
    UpdateMenuCommand,
)
from pos_app.messages.queries import GetKitchenQueueQuery, GetOrderByIdQuery, GetOrdersQuery, PriceOrderQuery
from tests.support import FrozenClock, login, place_order, placed, row_counts


async def test_placing_an_order_answers_201_with_number_total_ready_time_and_change(
    app: App, clock: FrozenClock
) -> None:
    await login(app.mediator, "luigi")

    result = await app.mediator.execute_async(place_order())

    assert result.status == 201
    placed_order = result.data
    assert placed_order.order_number == 1
    # margherita large + ham: (12.99 + 2.00) × 1.3 = 19.487 → 19.49; pepperoni medium 14.99
    assert placed_order.total_amount == Decimal("34.48")
    assert placed_order.change_due == Decimal("65.52")
    assert placed_order.tax_amount == Decimal("3.13")  # 10% included: 34.48 × 10/110 = 3.1345 → 3.13
    assert placed_order.paid is True
    assert placed_order.estimated_ready_time > clock.now()
    assert placed_order.estimated_ready_time <= clock.now() + timedelta(minutes=30)


async def test_order_numbers_count_up_and_restart_each_business_day(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "luigi")
    first = await placed(app.mediator)
    second = await placed(app.mediator)

    clock.advance(days=1)
    next_day = await placed(app.mediator)

    assert (first.data.order_number, second.data.order_number, next_day.data.order_number) == (1, 2, 1)


async def test_the_order_is_stored_with_its_items_timeline_and_kitchen_ticket(app: App) -> None:
    await login(app.mediator, "luigi")
    result = await placed(app.mediator, order_type="delivery", customer_address="Via Roma 1")

    order = await app.mediator.execute_async(GetOrderByIdQuery(order_id=result.data.order_id))
    queue = await app.mediator.execute_async(GetKitchenQueueQuery())

    assert order.data.status == "pending"
    assert [(i.pizza_id, i.size, i.toppings) for i in order.data.items] == [
        ("margherita", "large", ["ham"]),
        ("pepperoni", "medium", []),
    ]
    assert order.data.items[1].special_instructions == "well done"
    assert order.data.delivery_fee == Decimal("3.00")
    assert order.data.total_amount == Decimal("37.48")
    assert order.data.customer_phone == "5550102030"
    assert [e.event_type for e in order.data.timeline] == ["OrderPlacedEvent", "PaymentProcessedEvent"]
    assert all(e.staff_id == "luigi" for e in order.data.timeline)
    assert [t.order_id for t in queue.data] == [result.data.order_id]
    assert [i.name for i in queue.data[0].items] == ["Margherita", "Pepperoni"]


async def test_card_payment_is_taken_at_once_and_cash_without_tendered_stays_unpaid(app: App) -> None:
    await login(app.mediator, "luigi")

    card = await placed(app.mediator, payment_method="card", amount_tendered=None)
    later = await placed(app.mediator, payment_method="cash", amount_tendered=None)

    assert card.data.paid is True
    assert card.data.change_due is None
    assert later.data.paid is False


BAD_ORDERS = [
    ({"pizza_items": [PizzaItem(pizza_id="calzone_gigante")]}, "pizza_items[0].pizza_id"),
    ({"pizza_items": [PizzaItem(pizza_id="zucca", size="small")]}, "pizza_items[0].size"),
    ({"pizza_items": [PizzaItem(pizza_id="cola", size="large")]}, "pizza_items[0].size"),
    ({"pizza_items": [PizzaItem(pizza_id="margherita", toppings=["chocolate"])]}, "pizza_items[0].toppings"),
    ({"pizza_items": []}, "pizza_items"),
    ({"customer_phone": "555-12"}, "customer_phone"),
    ({"customer_phone": "call me"}, "customer_phone"),
    ({"customer_name": "   "}, "customer_name"),
    ({"order_type": "delivery", "customer_address": None}, "customer_address"),
    ({"order_type": "delivery", "customer_address": "  "}, "customer_address"),
    ({"amount_tendered": Decimal("10.00")}, "amount_tendered"),
    ({"payment_method": "card", "amount_tendered": Decimal("50.00")}, "amount_tendered"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_ORDERS, ids=[field for _, field in BAD_ORDERS])
async def test_a_bad_order_answers_400_naming_the_field_and_writes_nothing(
    app: App, db_path: Path, overrides: dict[str, object], field: str
) -> None:
    await login(app.mediator, "luigi")
    before = row_counts(db_path)

    result = await app.mediator.execute_async(place_order(**overrides))

    assert result.status == 400
    assert field in result.errors
    assert result.error_message
    assert row_counts(db_path) == before


async def test_an_unavailable_pizza_answers_400_and_writes_nothing(app: App, db_path: Path) -> None:
    await login(app.mediator, "mario")
    assert (await app.mediator.execute_async(UpdateMenuCommand(item_id="diavola", available=False))).is_success
    await login(app.mediator, "luigi")
    before = row_counts(db_path)

    result = await app.mediator.execute_async(place_order(pizza_items=[PizzaItem(pizza_id="diavola")]))

    assert result.status == 400
    assert "not available" in result.errors["pizza_items[0].pizza_id"][0]
    assert row_counts(db_path) == before


async def test_a_closed_store_refuses_orders_by_the_injected_clock(db_path: Path, clock: FrozenClock) -> None:
    settings = Settings(opening_hours=OpeningHours(time(11), time(23)), timezone="UTC")
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=settings) as app:
        await login(app.mediator, "luigi")
        clock.current = clock.current.replace(hour=9)
        before = row_counts(db_path)

        closed = await app.mediator.execute_async(place_order())
        clock.current = clock.current.replace(hour=12)
        open_ = await app.mediator.execute_async(place_order())

    assert closed.status == 400
    assert "closed" in closed.errors["store"][0]
    assert before["orders"] == 0
    assert open_.status == 201


async def test_a_full_kitchen_answers_503_with_the_wait_unless_the_customer_accepts_it(
    db_path: Path, clock: FrozenClock
) -> None:
    settings = Settings(kitchen=KitchenPolicy(capacity_items=3, stations=1))
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=settings) as app:
        await login(app.mediator, "luigi")
        await placed(app.mediator)  # 2 pizzas: 12 + 13 minutes in the queue
        before = row_counts(db_path)

        full = await app.mediator.execute_async(place_order())
        after_refusal = row_counts(db_path)
        accepted = await app.mediator.execute_async(place_order(accept_kitchen_wait=True))

    assert full.status == 503
    assert "25 minutes" in full.error_message
    assert "accept_kitchen_wait" in full.errors
    assert after_refusal == before
    assert accepted.status == 201
    assert accepted.data.estimated_ready_time >= clock.now() + timedelta(minutes=25 + 13)


async def test_kitchen_capacity_is_released_when_items_are_ready(db_path: Path, clock: FrozenClock) -> None:
    settings = Settings(kitchen=KitchenPolicy(capacity_items=2, stations=2))
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=settings) as app:
        await login(app.mediator, "luigi")
        first = await placed(app.mediator)
        refused = await app.mediator.execute_async(place_order())
        await login(app.mediator, "rosa")
        await app.mediator.execute_async(StartCookingCommand(order_id=first.data.order_id))
        for index in (0, 1):
            await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=first.data.order_id, pizza_index=index))
        await login(app.mediator, "luigi")

        again = await app.mediator.execute_async(place_order())

    assert refused.status == 503
    assert again.status == 201


async def test_drinks_do_not_take_kitchen_capacity(db_path: Path, clock: FrozenClock) -> None:
    settings = Settings(kitchen=KitchenPolicy(capacity_items=1, stations=1))
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=settings) as app:
        await login(app.mediator, "luigi")
        await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="cola"), PizzaItem(pizza_id="water")])
        await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="margherita"), PizzaItem(pizza_id="cola")])

        drinks = await app.mediator.execute_async(
            place_order(pizza_items=[PizzaItem(pizza_id="cola"), PizzaItem(pizza_id="water")])
        )
        pizza = await app.mediator.execute_async(place_order(pizza_items=[PizzaItem(pizza_id="margherita")]))

    assert drinks.status == 201
    assert pizza.status == 503


async def test_sending_the_same_order_twice_makes_one_order_and_returns_the_first_result(
    app: App, db_path: Path
) -> None:
    await login(app.mediator, "luigi")
    command = place_order()

    first = await app.mediator.execute_async(command)
    second = await app.mediator.execute_async(command)

    assert second.status == first.status == 201
    assert second.data == first.data
    counts = row_counts(db_path)
    assert (counts["orders"], counts["kitchen_queue_view"], counts["order_list_view"]) == (1, 1, 1)


async def test_the_same_order_sent_twice_at_once_makes_one_order(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    command = place_order()

    first, second = await asyncio.gather(app.mediator.execute_async(command), app.mediator.execute_async(command))

    assert first.data == second.data
    assert row_counts(db_path)["orders"] == 1
    assert row_counts(db_path)["kitchen_queue_view"] == 1


async def test_a_retried_pizza_ready_with_its_command_id_returns_the_first_result(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    order = await placed(app.mediator)
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=order.data.order_id))
    command = MarkPizzaReadyCommand(order_id=order.data.order_id, pizza_index=0, command_id=uuid.uuid4())

    first = await app.mediator.execute_async(command)
    retry = await app.mediator.execute_async(command)
    again_without_id = await app.mediator.execute_async(
        MarkPizzaReadyCommand(order_id=order.data.order_id, pizza_index=0)
    )

    assert first.status == retry.status == 200
    assert retry.data == first.data
    assert again_without_id.status == 409
    events = await app.mediator.execute_async(GetOrderByIdQuery(order_id=order.data.order_id))
    assert [e.event_type for e in events.data.timeline].count("PizzaReadyEvent") == 1


async def test_a_shift_past_midnight_is_one_business_day(db_path: Path) -> None:
    clock = FrozenClock(datetime(2026, 11, 27, 23, 50, tzinfo=UTC))
    settings = Settings(timezone="UTC", opening_hours=OpeningHours(time(17), time(2)))
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=settings) as app:
        await login(app.mediator, "luigi")
        evening = (await placed(app.mediator)).data
        clock.advance(minutes=20)
        after_midnight = (await placed(app.mediator)).data

        tonight = await app.mediator.execute_async(GetOrdersQuery())

    assert (evening.order_number, after_midnight.order_number) == (1, 2)
    assert {o.order_id for o in tonight.data.items} == {evening.order_id, after_midnight.order_id}


async def test_a_retried_order_gets_its_first_result_after_closing_time_but_not_on_a_locked_till(
    db_path: Path,
) -> None:
    clock = FrozenClock(datetime(2026, 11, 27, 21, 59, 59, tzinfo=UTC))
    settings = Settings(timezone="UTC", opening_hours=OpeningHours(time(11), time(22)))
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=settings) as app:
        await login(app.mediator, "luigi")
        command = place_order()
        first = await app.mediator.execute_async(command)
        clock.advance(seconds=2)

        after_closing = await app.mediator.execute_async(command)
        await app.mediator.execute_async(LogoutCommand())
        after_logout = await app.mediator.execute_async(command)
        await login(app.mediator, "luigi")
        after_login_again = await app.mediator.execute_async(command)
        new_after_closing = await app.mediator.execute_async(place_order())

    assert first.status == after_closing.status == after_login_again.status == 201
    assert after_closing.data == after_login_again.data == first.data
    assert (after_logout.status, after_logout.data) == (403, None)  # a locked till gets no customer's details
    assert new_after_closing.status == 400  # a new order is refused: the store is closed
    assert row_counts(db_path)["orders"] == 1


HUGE_EXPONENTS = ["0E-30000000", "1E-30000000", "0E+30000000"]


@pytest.mark.parametrize("text", HUGE_EXPONENTS)
def test_an_amount_with_a_huge_exponent_is_refused_at_validation_at_once(text: str) -> None:
    started = time_module.perf_counter()

    with pytest.raises(ValidationError) as refused:
        place_order(amount_tendered=Decimal(text))

    assert time_module.perf_counter() - started < 1.0
    assert [error["loc"] for error in refused.value.errors()] == [("amount_tendered",)]


@pytest.mark.parametrize("text", HUGE_EXPONENTS)
async def test_an_amount_that_slipped_past_validation_is_a_400_at_once_and_writes_nothing(
    app: App, db_path: Path, text: str
) -> None:
    await login(app.mediator, "mario")
    order = (await placed(app.mediator, payment_method="card", amount_tendered=None)).data
    before = row_counts(db_path)
    requests = [
        place_order().model_copy(update={"amount_tendered": Decimal(text)}),
        PriceOrderQuery(pizza_items=place_order().pizza_items).model_copy(update={"amount_tendered": Decimal(text)}),
        UpdateMenuCommand(item_id="margherita").model_copy(update={"base_price": Decimal(text)}),
        ProcessPaymentCommand(order_id=order.order_id, payment_method="card").model_copy(
            update={"payment_method": "cash", "amount_tendered": Decimal(text)}
        ),
    ]

    for request in requests:
        started = time_module.perf_counter()
        result = await app.mediator.execute_async(request)
        elapsed = time_module.perf_counter() - started

        assert elapsed < 1.0, f"{type(request).__name__} took {elapsed:.1f} s"
        assert result.status == 400, result
        assert result.errors
        assert "Enter an amount such as 12.50" in str(result.errors)
    assert row_counts(db_path) == before
