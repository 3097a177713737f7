"""Two tills on one store at the same instant, on each backend (a PostgreSQL server and a SQLite file): order
numbers stay unique and gap-free, the kitchen's last slot goes to one till, the same command from both runs once,
a stale edit is refused, and each till hears of the other's commits quickly."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from pos_app.bootstrap import App, NewStore, StoreOpenError, create_app
from pos_app.config import KitchenPolicy, Settings
from pos_app.messages.commands import EditOrderCommand, PizzaItem
from pos_app.messages.queries import GetOrderByIdQuery, GetOrdersQuery
from tests.conftest import wait_until
from tests.pg_server import ThrowawayServer
from tests.support import FrozenClock, login, place_order, placed, query_store, row_counts

TILLS = 2
ORDERS_PER_TILL = 12


@pytest.fixture
async def tills(store_url: str, clock: FrozenClock) -> AsyncIterator[list[App]]:
    """Two tills with their own connections to one store, counter staff logged in on each."""
    settings = Settings(kitchen=KitchenPolicy(capacity_items=10_000, stations=4))
    async with (
        create_app(store_url, clock=clock, settings=settings) as first,
        create_app(store_url, clock=clock, settings=settings) as second,
    ):
        for till in (first, second):
            await login(till.mediator, "luigi")
        yield [first, second]


async def test_order_numbers_stay_unique_and_gap_free_when_tills_place_at_once(
    tills: list[App], store_url: str
) -> None:
    async def place_many(till: App) -> list[int]:
        numbers = []
        for _ in range(ORDERS_PER_TILL):
            result = await till.mediator.execute_async(place_order())
            assert result.status == 201, result.error_message
            numbers.append(result.data.order_number)
        return numbers

    placed_numbers = await asyncio.gather(*(place_many(till) for till in tills))

    every = sorted(number for numbers in placed_numbers for number in numbers)
    assert every == list(range(1, TILLS * ORDERS_PER_TILL + 1))
    stored = query_store(store_url, ["SELECT number FROM orders ORDER BY number"])[0]
    assert [row[0] for row in stored] == every
    positions = query_store(store_url, ["SELECT position FROM events ORDER BY position"])[0]
    assert [row[0] for row in positions] == list(range(1, len(positions) + 1))


async def test_the_kitchens_last_slot_goes_to_one_till(store_url: str, clock: FrozenClock) -> None:
    settings = Settings(kitchen=KitchenPolicy(capacity_items=2, stations=1))
    async with (
        create_app(store_url, clock=clock, settings=settings) as first,
        create_app(store_url, clock=clock, settings=settings) as second,
    ):
        for till in (first, second):
            await login(till.mediator, "luigi")
        two_pizzas = [PizzaItem(pizza_id="margherita"), PizzaItem(pizza_id="pepperoni")]

        results = await asyncio.gather(
            first.mediator.execute_async(place_order(pizza_items=two_pizzas)),
            second.mediator.execute_async(place_order(pizza_items=two_pizzas)),
        )

    assert sorted(result.status for result in results) == [201, 503]
    assert row_counts(store_url)["orders"] == 1


async def test_the_same_command_from_two_tills_at_once_makes_one_order(tills: list[App], store_url: str) -> None:
    command = place_order()  # its order id is its idempotency key

    results = await asyncio.gather(*(till.mediator.execute_async(command) for till in tills))

    assert [result.status for result in results] == [201, 201]
    assert results[0].data == results[1].data
    counts = row_counts(store_url)
    assert (counts["orders"], counts["kitchen_queue_view"], counts["order_list_view"]) == (1, 1, 1)


async def test_of_two_edits_of_the_same_version_at_once_one_is_refused_as_stale(
    tills: list[App], store_url: str
) -> None:
    order = await placed(tills[0].mediator)
    version = (await tills[0].mediator.execute_async(GetOrderByIdQuery(order_id=order.data.order_id))).data.version

    def edit(pizza: str) -> EditOrderCommand:
        return EditOrderCommand(
            order_id=order.data.order_id,
            pizza_items=[PizzaItem(pizza_id=pizza)],
            order_type="pickup",
            customer_name="Anna Conti",
            customer_phone="555 010 2030",
            expected_version=version,
        )

    results = await asyncio.gather(
        tills[0].mediator.execute_async(edit("pepperoni")), tills[1].mediator.execute_async(edit("diavola"))
    )

    assert sorted(result.status for result in results) == [200, 409]
    winner = next(result for result in results if result.status == 200)
    stored = query_store(store_url, ["SELECT menu_item_id FROM order_items"])[0]
    assert [row[0] for row in stored] == [winner.data.items[0].pizza_id]


@pytest.mark.alone
async def test_a_till_hears_of_the_other_tills_order_within_100_ms(tills: list[App]) -> None:
    first, second = tills
    heard: list[float] = []

    def heard_after(instant: float) -> list[float]:
        return [at for at in heard if at >= instant]

    unsubscribe = second.changes.subscribe(lambda topics: heard.append(time.monotonic()))
    latencies = []
    try:
        for _ in range(10):
            sent = time.monotonic()
            result = await first.mediator.execute_async(place_order())
            committed = time.monotonic()  # the other till may have heard already: the answer comes after the commit
            assert result.status == 201

            await wait_until(lambda at=sent: bool(heard_after(at)), timeout=5, interval=0.001)
            latencies.append(max(0.0, heard_after(sent)[0] - committed))
    finally:
        unsubscribe()

    latencies.sort()
    assert latencies[len(latencies) // 2] < 0.1, latencies


async def test_a_rebuild_on_one_till_has_the_other_read_its_screens_again(tills: list[App], backend: str) -> None:
    first, second = tills
    await placed(first.mediator)
    heard: list[frozenset[str]] = []
    unsubscribe = second.changes.subscribe(heard.append)
    try:
        await first.rebuild_read_models()
        if backend == "postgresql":  # a file store's watcher sees no new event (the cache stops vouching instead)
            await wait_until(lambda: bool(heard), timeout=5)
    finally:
        unsubscribe()
    listed = await second.mediator.execute_async(GetOrdersQuery())
    assert listed.data.total == 1


async def test_opening_a_store_on_a_server_refuses_a_missing_store_and_a_second_new_one(
    postgres_server: ThrowawayServer,
) -> None:
    url = postgres_server.new_database()
    with pytest.raises(StoreOpenError, match="There is no store in"):
        async with create_app(url, create=False):
            pass
    async with create_app(url) as made:
        assert made.database.location.startswith(url.rpartition("/")[2])
    with pytest.raises(StoreOpenError, match="already a store"):
        async with create_app(url, new_store=NewStore("anna", "Anna Rossi", "482916")):
            pass
    assert row_counts(url)["orders"] == 0
