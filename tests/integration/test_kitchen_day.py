"""The kitchen works one business day at a time: yesterday's forgotten tickets neither fill today's kitchen nor show
on its screen, a big order on an empty kitchen is taken with a true ready time, and a clock that steps back never
makes a negative cooking time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from pos_app.bootstrap import App, create_app
from pos_app.config import Settings
from pos_app.domain.kitchen import KitchenPolicy
from pos_app.messages.commands import MarkPizzaReadyCommand, PizzaItem, StartCookingCommand
from pos_app.messages.queries import GetKitchenPerformanceQuery, GetKitchenQueueQuery
from tests.support import FrozenClock, login, place_order, placed

EVENING = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)
SMALL_KITCHEN = Settings(kitchen=KitchenPolicy(capacity_items=3, stations=1), timezone="UTC", day_starts_at=time(4))


@pytest.fixture
async def small_kitchen(db_path: Path, clock: FrozenClock) -> AsyncIterator[App]:
    clock.current = EVENING
    async with create_app(f"sqlite:///{db_path}", clock=clock, settings=SMALL_KITCHEN) as running:
        await login(running.mediator, "mario")
        yield running


async def test_yesterdays_forgotten_tickets_do_not_fill_todays_kitchen(small_kitchen: App, clock: FrozenClock) -> None:
    await placed(small_kitchen.mediator)  # 2 pizzas left open in the evening
    clock.current = EVENING + timedelta(hours=12)  # 10:00 the next business day

    morning = await small_kitchen.mediator.execute_async(place_order())

    assert morning.status == 201, morning
    # an empty kitchen: the order's own pizzas only (two rounds of the 13-minute pizza on one station)
    assert morning.data.estimated_ready_time == clock.now() + timedelta(minutes=2 * 13)


async def test_an_order_after_midnight_still_counts_in_the_evenings_kitchen(
    small_kitchen: App, clock: FrozenClock
) -> None:
    await placed(small_kitchen.mediator)
    clock.current = EVENING + timedelta(hours=5)  # 03:00: the business day begins at 04:00

    late = await small_kitchen.mediator.execute_async(place_order())

    assert late.status == 503
    assert "2 items in progress" in late.error_message


async def test_the_kitchen_screen_shows_the_business_days_tickets_only(small_kitchen: App, clock: FrozenClock) -> None:
    yesterday = await placed(small_kitchen.mediator)
    clock.current = EVENING + timedelta(hours=12)
    today = await placed(small_kitchen.mediator)

    queue = await small_kitchen.mediator.execute_async(GetKitchenQueueQuery())

    assert [ticket.order_id for ticket in queue.data] == [today.data.order_id]
    assert yesterday.data.order_id != today.data.order_id


async def test_a_big_order_on_an_empty_kitchen_is_taken_with_a_true_ready_time(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "luigi")
    pizzas = [PizzaItem(pizza_id="margherita", size="large")] * 31  # 12 minutes each, 6 oven places

    result = await app.mediator.execute_async(place_order(pizza_items=pizzas, amount_tendered=None))

    assert result.status == 201, result
    assert result.data.estimated_ready_time == clock.now() + timedelta(minutes=12 * 6)


async def test_a_big_order_on_a_busy_kitchen_is_refused_with_figures_that_are_true(app: App) -> None:
    await login(app.mediator, "luigi")
    await placed(app.mediator)  # 2 pizzas: 25 minutes of work on 6 places
    pizzas = [PizzaItem(pizza_id="margherita", size="large")] * 31

    refused = await app.mediator.execute_async(place_order(pizza_items=pizzas, amount_tendered=None))

    assert refused.status == 503
    assert refused.error_message == (
        "The kitchen has room for 28 more items, not 31 (2 items in progress): about 5 minutes wait"
    )
    assert refused.errors == {"accept_kitchen_wait": ["Estimated wait 5 minutes"]}


async def test_a_clock_that_steps_back_never_makes_a_negative_cooking_time(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "mario")
    order = await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="margherita")])
    clock.advance(minutes=5)
    started = await app.mediator.execute_async(StartCookingCommand(order_id=order.data.order_id))
    assert started.is_success, started
    clock.advance(minutes=-30)  # the clock is corrected back: ready "before" cooking started, and before placing

    ready = await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order.data.order_id, pizza_index=0))
    figures = await app.mediator.execute_async(
        GetKitchenPerformanceQuery(start=clock.now().date() - timedelta(days=1), end=clock.now().date())
    )

    assert ready.is_success, ready
    assert figures.data.orders_completed == 1
    assert figures.data.average_cooking_minutes == 0.0
    assert figures.data.average_ready_minutes == 0.0
