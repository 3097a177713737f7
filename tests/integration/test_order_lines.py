"""Quantities on lines and dine-in tables, through create_app on a SQLite file: the price, the order's detail, the
order list, the kitchen ticket and the sales all read "2 × Margherita" and "Table 7"."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from pos_app.bootstrap import App, create_app
from pos_app.config import Settings
from pos_app.domain.kitchen import KitchenPolicy
from pos_app.messages.commands import CancelOrderCommand, MarkPizzaReadyCommand, PizzaItem, StartCookingCommand
from pos_app.messages.queries import (
    GetDailySalesQuery,
    GetKitchenQueueQuery,
    GetOrderByIdQuery,
    GetOrdersQuery,
    GetPopularPizzasQuery,
    PriceOrderQuery,
)
from tests.support import FrozenClock, login, place_order, placed, row_counts

TWO_LARGE_MARGHERITA_THREE_COLAS = [
    PizzaItem(pizza_id="margherita", size="large", quantity=2),
    PizzaItem(pizza_id="cola", quantity=3),
]


async def test_a_line_of_two_costs_the_rounded_unit_price_twice(app: App) -> None:
    await login(app.mediator, "luigi")

    result = await placed(app.mediator, pizza_items=TWO_LARGE_MARGHERITA_THREE_COLAS)

    # 12.99 × 1.3 = 16.887 → 16.89 a pizza, × 2 = 33.78 (not 33.774 → 33.77); 3 × 2.50 = 7.50
    assert result.data.total_amount == Decimal("41.28")
    assert result.data.tax_amount == Decimal("3.75")  # 41.28 × 10/110 = 3.7527
    order = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=result.data.order_id))).data
    assert [(i.name, i.quantity, i.price) for i in order.items] == [
        ("Margherita", 2, Decimal("33.78")),
        ("Cola", 3, Decimal("7.50")),
    ]


async def test_the_quote_prices_quantities_like_placing(app: App) -> None:
    await login(app.mediator, "luigi")

    quote = await app.mediator.execute_async(PriceOrderQuery(pizza_items=TWO_LARGE_MARGHERITA_THREE_COLAS))

    assert [(line.quantity, line.price) for line in quote.data.lines] == [(2, Decimal("33.78")), (3, Decimal("7.50"))]
    assert quote.data.total_amount == Decimal("41.28")


async def test_the_order_list_kitchen_and_sales_count_each_pizza_of_a_line(app: App) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator, pizza_items=TWO_LARGE_MARGHERITA_THREE_COLAS)).data.order_id

    listed = (await app.mediator.execute_async(GetOrdersQuery())).data.items
    await login(app.mediator, "rosa")
    [ticket] = (await app.mediator.execute_async(GetKitchenQueueQuery())).data
    await login(app.mediator, "mario")
    sales = (await app.mediator.execute_async(GetDailySalesQuery())).data
    popular = (await app.mediator.execute_async(GetPopularPizzasQuery(time_period="today"))).data

    assert [o.items_summary for o in listed if o.order_id == order_id] == ["2× Margherita L, 3× Cola"]
    assert [(i.name, i.quantity) for i in ticket.items] == [("Margherita", 2), ("Cola", 3)]
    assert sales.items_sold == 5
    assert [(p.pizza_id, p.quantity, p.revenue) for p in popular] == [("margherita", 2, Decimal("33.78"))]


async def test_the_kitchen_marks_a_line_of_two_ready_as_one(app: App) -> None:
    await login(app.mediator, "luigi")
    items = [PizzaItem(pizza_id="margherita", quantity=2), PizzaItem(pizza_id="diavola")]
    order_id = (await placed(app.mediator, pizza_items=items)).data.order_id
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=order_id))

    first = await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=0))
    last = await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=1))

    assert first.status == 200
    assert [(i.quantity, i.ready) for i in first.data.items] == [(2, True), (1, False)]
    assert first.data.status == "cooking"
    assert last.data.status == "ready"


async def test_a_cancelled_order_of_several_takes_back_every_pizza_it_sold(app: App) -> None:
    await login(app.mediator, "luigi")
    order = (await placed(app.mediator, pizza_items=TWO_LARGE_MARGHERITA_THREE_COLAS, amount_tendered=None)).data
    await app.mediator.execute_async(CancelOrderCommand(order_id=order.order_id, reason="duplicate"))
    await login(app.mediator, "mario")

    sales = (await app.mediator.execute_async(GetDailySalesQuery())).data

    assert (sales.orders, sales.items_sold, sales.total_sales) == (0, 0, Decimal("0.00"))


async def test_the_kitchen_counts_a_line_of_two_as_two_pizzas_against_its_capacity(
    tmp_path: Path, clock: FrozenClock
) -> None:
    settings = Settings(kitchen=KitchenPolicy(capacity_items=3))
    async with create_app(f"sqlite:///{tmp_path / 'store.db'}", clock=clock, settings=settings) as app:
        await login(app.mediator, "luigi")
        await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="margherita", quantity=2)])

        refused = await app.mediator.execute_async(place_order(pizza_items=[PizzaItem(pizza_id="diavola", quantity=2)]))

    assert refused.status == 503


@pytest.mark.parametrize("quantity", [0, 51])
def test_a_quantity_outside_1_to_50_is_refused_by_the_message(quantity: int) -> None:
    with pytest.raises(ValidationError, match="quantity"):
        PizzaItem(pizza_id="margherita", quantity=quantity)


async def test_a_dine_in_order_without_its_table_is_refused_and_nothing_is_written(app: App, db_path: Path) -> None:
    await login(app.mediator, "luigi")
    before = row_counts(db_path)

    result = await app.mediator.execute_async(place_order(order_type="dine_in"))

    assert result.status == 400
    assert "table_number" in result.errors
    assert row_counts(db_path) == before


async def test_a_dine_in_order_shows_its_table_in_the_list_the_detail_and_the_kitchen(app: App) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator, order_type="dine_in", table_number=7, covers=4)).data.order_id

    detail = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=order_id))).data
    [listed] = (await app.mediator.execute_async(GetOrdersQuery())).data.items
    await login(app.mediator, "rosa")
    [ticket] = (await app.mediator.execute_async(GetKitchenQueueQuery())).data

    assert (detail.table_number, detail.covers) == (7, 4)
    assert listed.table_number == 7
    assert ticket.table_number == 7


async def test_a_pickup_keeps_no_table_even_when_one_is_sent(app: App) -> None:
    await login(app.mediator, "luigi")
    order_id = (await placed(app.mediator, order_type="pickup", table_number=7, covers=2)).data.order_id

    detail = (await app.mediator.execute_async(GetOrderByIdQuery(order_id=order_id))).data

    assert (detail.table_number, detail.covers) == (None, None)
