"""The read side: order list, search, customers, history, delivery board, reports, menu changes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from pos_app.bootstrap import App
from pos_app.messages.commands import (
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    StartCookingCommand,
    UpdateMenuCommand,
)
from pos_app.messages.queries import (
    GetCustomerQuery,
    GetDailySalesQuery,
    GetDeliveryOrdersQuery,
    GetKitchenPerformanceQuery,
    GetMenuQuery,
    GetOrderHistoryQuery,
    GetOrdersQuery,
    GetPopularPizzasQuery,
    PriceOrderQuery,
)
from tests.support import MANAGER_APPROVAL, FrozenClock, login, place_order, placed


async def test_todays_orders_are_listed_newest_first_and_filtered_by_status_and_search(
    app: App, clock: FrozenClock
) -> None:
    await login(app.mediator, "luigi")
    anna = (await placed(app.mediator)).data
    clock.advance(minutes=1)
    bruno = (await placed(app.mediator, customer_name="Bruno Neri", customer_phone="333 444 5555")).data
    clock.advance(days=-1)
    await placed(app.mediator, customer_name="Yesterday")
    clock.advance(days=1)
    await login(app.mediator, "rosa")
    await app.mediator.execute_async(StartCookingCommand(order_id=anna.order_id))
    await login(app.mediator, "luigi")  # the counter reads the totals (the kitchen's list carries none)

    everything = await app.mediator.execute_async(GetOrdersQuery())
    cooking = await app.mediator.execute_async(GetOrdersQuery(status="cooking"))
    by_name = await app.mediator.execute_async(GetOrdersQuery(search="bruno"))
    by_phone = await app.mediator.execute_async(GetOrdersQuery(search="4445"))
    by_number = await app.mediator.execute_async(GetOrdersQuery(search="#2"))
    paged = await app.mediator.execute_async(GetOrdersQuery(page=2, page_size=1))
    yesterday = await app.mediator.execute_async(GetOrdersQuery(date=clock.now().date() - timedelta(days=1)))

    assert [o.order_id for o in everything.data.items] == [bruno.order_id, anna.order_id]
    assert everything.data.total == 2
    assert [o.order_id for o in cooking.data.items] == [anna.order_id]
    assert [o.customer_name for o in by_name.data.items] == ["Bruno Neri"]
    assert [o.customer_name for o in by_phone.data.items] == ["Bruno Neri"]
    assert [o.order_number for o in by_number.data.items] == [2]
    assert [o.order_id for o in paged.data.items] == [anna.order_id]
    assert paged.data.total == 2
    assert [o.customer_name for o in yesterday.data.items] == ["Yesterday"]
    row = everything.data.items[1]
    assert row.items_summary == "Margherita L, Pepperoni M"
    assert row.total_amount == Decimal("34.48")


async def test_a_returning_customer_is_found_by_phone_with_history_and_favourites(app: App) -> None:
    await login(app.mediator, "luigi")
    await placed(app.mediator, order_type="delivery", customer_address="Via Roma 1")
    await placed(
        app.mediator,
        customer_phone="(555) 010-2030",
        order_type="delivery",
        customer_address="Via Po 2",
        pizza_items=[PizzaItem(pizza_id="pepperoni"), PizzaItem(pizza_id="pepperoni"), PizzaItem(pizza_id="cola")],
    )
    cancelled = (await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="supreme")])).data
    await app.mediator.execute_async(
        CancelOrderCommand(order_id=cancelled.order_id, **MANAGER_APPROVAL, reason="customer left")
    )

    customer = await app.mediator.execute_async(GetCustomerQuery(phone="555-010-2030"))
    history = await app.mediator.execute_async(GetOrderHistoryQuery(customer_phone="5550102030", page_size=2))
    unknown = await app.mediator.execute_async(GetCustomerQuery(phone="999 999 9999"))
    bad = await app.mediator.execute_async(GetCustomerQuery(phone="12"))

    assert customer.data.name == "Anna Conti"
    assert customer.data.address == "Via Po 2"
    assert customer.data.addresses == ["Via Po 2", "Via Roma 1"]
    assert customer.data.total_orders == 2
    assert customer.data.total_spent == Decimal("37.48") + Decimal("35.48")
    assert customer.data.favorite_pizzas == ["Pepperoni", "Margherita"]
    assert history.data.total_orders == 2
    assert history.data.total_spent == customer.data.total_spent
    assert len(history.data.orders) == 2
    assert history.data.orders[0].order_id == cancelled.order_id
    assert unknown.status == 404
    assert bad.status == 400
    assert "phone" in bad.errors


async def test_the_delivery_board_shows_ready_and_out_for_delivery_orders(app: App) -> None:
    await login(app.mediator, "luigi")
    ids = [
        (await placed(app.mediator, order_type="delivery", customer_address=f"Via {n}")).data.order_id for n in range(3)
    ]
    await login(app.mediator, "rosa")
    for order_id in ids[:2]:
        await app.mediator.execute_async(StartCookingCommand(order_id=order_id))
        for index in (0, 1):
            await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=index))
    await login(app.mediator, "toni")
    await app.mediator.execute_async(AssignOrderToDeliveryCommand(order_id=ids[1], driver_id="toni"))

    board = await app.mediator.execute_async(GetDeliveryOrdersQuery())
    waiting = await app.mediator.execute_async(GetDeliveryOrdersQuery(include_out_for_delivery=False))

    assert [(o.order_id, o.status) for o in board.data] == [(ids[0], "ready"), (ids[1], "out_for_delivery")]
    assert [o.order_id for o in waiting.data] == [ids[0]]


async def test_day_close_adds_up_to_the_cent_with_cancellations_and_refunds(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "luigi")
    await placed(app.mediator)  # cash 34.48
    await placed(app.mediator, payment_method="card", amount_tendered=None)  # card 34.48
    await placed(app.mediator, order_type="delivery", customer_address="Via 1", amount_tendered=None)  # unpaid 37.48
    refunded = (await placed(app.mediator)).data  # cash 34.48, then cancelled
    await app.mediator.execute_async(
        CancelOrderCommand(order_id=refunded.order_id, **MANAGER_APPROVAL, reason="customer left")
    )
    await login(app.mediator, "mario")

    sales = (await app.mediator.execute_async(GetDailySalesQuery())).data

    assert sales.orders == 3
    assert sales.cancelled_orders == 1
    assert sales.total_sales == Decimal("106.44")
    assert sales.cash == Decimal("68.96")
    assert sales.card == Decimal("34.48")
    assert sales.refunds == Decimal("34.48")
    assert sales.unpaid == Decimal("37.48")
    assert sales.delivery_fees == Decimal("3.00")
    assert sales.tax == Decimal("9.67")  # 3.13 + 3.13 + 3.41 (37.48 × 10/110 = 3.407)
    assert sales.average_order == Decimal("35.48")
    assert (sales.pickup_orders, sales.delivery_orders) == (2, 1)
    assert sales.items_sold == 6
    assert {(i.pizza_id, i.quantity) for i in sales.top_items} == {("margherita", 3), ("pepperoni", 3)}


async def test_reports_are_for_the_manager_only(app: App) -> None:
    await login(app.mediator, "luigi")

    sales = await app.mediator.execute_async(GetDailySalesQuery())

    assert sales.status == 403


async def test_popular_pizzas_over_a_period(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "luigi")
    clock.advance(days=-40)
    await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="veggie")] * 5)
    clock.advance(days=40)
    await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="diavola")] * 2 + [PizzaItem(pizza_id="cola")])
    await placed(app.mediator, pizza_items=[PizzaItem(pizza_id="hawaiian")])

    recent = await app.mediator.execute_async(GetPopularPizzasQuery())
    ever = await app.mediator.execute_async(GetPopularPizzasQuery(time_period="all_time", limit=1))

    assert [(p.pizza_id, p.quantity) for p in recent.data] == [("diavola", 2), ("hawaiian", 1)]
    assert recent.data[0].revenue == Decimal("30.98")
    assert [(p.pizza_id, p.quantity) for p in ever.data] == [("veggie", 5)]


async def test_kitchen_performance_counts_on_time_and_late_orders(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "luigi")
    quick = (await placed(app.mediator)).data
    slow = (await placed(app.mediator)).data
    await login(app.mediator, "rosa")
    for order, minutes in ((quick, 5), (slow, 60)):
        await app.mediator.execute_async(StartCookingCommand(order_id=order.order_id))
        clock.advance(minutes=minutes)
        for index in (0, 1):
            await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order.order_id, pizza_index=index))
    await login(app.mediator, "mario")
    today = clock.now().date()

    report = (await app.mediator.execute_async(GetKitchenPerformanceQuery(start=today, end=today))).data
    backwards = await app.mediator.execute_async(GetKitchenPerformanceQuery(start=today, end=today - timedelta(days=1)))

    assert report.orders_completed == 2
    assert report.items_completed == 4
    assert (report.on_time_orders, report.late_orders) == (1, 1)
    assert report.average_cooking_minutes == 32.5
    assert report.average_ready_minutes == 35.0
    assert backwards.status == 400


async def test_the_manager_adds_a_pizza_and_changes_a_price(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "mario")

    added = await app.mediator.execute_async(
        UpdateMenuCommand(item_id="bufalina", name="Bufalina", category="pizza", base_price=Decimal("16.50"))
    )
    incomplete = await app.mediator.execute_async(UpdateMenuCommand(item_id="mystery", name="Mystery"))
    repriced = await app.mediator.execute_async(UpdateMenuCommand(item_id="margherita", base_price=Decimal("13.49")))
    bad_price = await app.mediator.execute_async(UpdateMenuCommand(item_id="margherita", base_price=Decimal("0")))
    seasonal_off = await app.mediator.execute_async(UpdateMenuCommand(item_id="zucca", available=False))
    menu = await app.mediator.execute_async(GetMenuQuery())
    everything = await app.mediator.execute_async(GetMenuQuery(include_unavailable=True, category="pizza"))
    no_seasonal = await app.mediator.execute_async(GetMenuQuery(include_unavailable=True, include_seasonal=False))

    assert added.status == 201
    assert added.data.available_sizes == ["small", "medium", "large"]
    assert incomplete.status == 400
    assert set(incomplete.errors) == {"category", "base_price"}
    assert repriced.data.base_price == Decimal("13.49")
    assert bad_price.status == 400
    assert "base_price" in bad_price.errors
    assert seasonal_off.data.available is False
    prices = {item.id: item.base_price for item in menu.data}
    assert prices["margherita"] == Decimal("13.49")
    assert prices["bufalina"] == Decimal("16.50")
    assert "zucca" not in prices
    assert "zucca" in {item.id for item in everything.data}
    assert all(item.category == "pizza" for item in everything.data)
    assert "zucca" not in {item.id for item in no_seasonal.data}


async def test_a_cart_is_priced_by_the_same_formula_that_places_the_order(app: App) -> None:
    await login(app.mediator, "luigi")
    command = place_order(order_type="delivery", customer_address="Via Roma 1", amount_tendered=Decimal("40.00"))

    quote = await app.mediator.execute_async(
        PriceOrderQuery(pizza_items=command.pizza_items, order_type="delivery", amount_tendered=Decimal("40.00"))
    )
    short = await app.mediator.execute_async(
        PriceOrderQuery(pizza_items=command.pizza_items, amount_tendered=Decimal("20.00"))
    )
    empty = await app.mediator.execute_async(PriceOrderQuery(pizza_items=[]))
    unknown = await app.mediator.execute_async(PriceOrderQuery(pizza_items=[PizzaItem(pizza_id="nope")]))
    placed_order = (await app.mediator.execute_async(command)).data

    assert [line.price for line in quote.data.lines] == [Decimal("19.49"), Decimal("14.99")]
    assert quote.data.delivery_fee == Decimal("3.00")
    assert quote.data.total_amount == placed_order.total_amount == Decimal("37.48")
    assert quote.data.tax == placed_order.tax_amount
    assert quote.data.change_due == placed_order.change_due == Decimal("2.52")
    assert short.data.short_by == Decimal("14.48")
    assert short.data.change_due is None
    assert empty.data.total_amount == Decimal("0.00")
    assert unknown.status == 400
    assert "pizza_items[0].pizza_id" in unknown.errors


async def test_searching_by_name_ignores_case_in_every_alphabet(app: App) -> None:
    await login(app.mediator, "luigi")
    await placed(app.mediator, customer_name="Émile Zoë Øster")

    found = [
        (await app.mediator.execute_async(GetOrdersQuery(search=text))).data.total
        for text in ("émile", "ÉMILE", "zoë", "ZOË", "øster")
    ]

    assert found == [1, 1, 1, 1, 1]


async def test_a_quote_refuses_a_topping_priced_three_times_as_placing_does(app: App) -> None:
    await login(app.mediator, "luigi")
    items = [PizzaItem(pizza_id="margherita", size="large", toppings=["mushrooms", "mushrooms", "mushrooms"])]

    quote = await app.mediator.execute_async(PriceOrderQuery(pizza_items=items))
    placing = await app.mediator.execute_async(place_order(pizza_items=items))

    assert placing.status == 400
    assert quote.status == 400
    assert quote.errors == placing.errors == {"pizza_items[0].toppings": ["Each topping once"]}


async def test_repeat_last_order_brings_back_the_last_order_that_was_not_cancelled(app: App) -> None:
    await login(app.mediator, "luigi")
    kept = (await placed(app.mediator, amount_tendered=None)).data
    cancelled = (await placed(app.mediator, amount_tendered=None, pizza_items=[PizzaItem(pizza_id="supreme")])).data
    await app.mediator.execute_async(CancelOrderCommand(order_id=cancelled.order_id, reason="customer left"))
    only_cancelled = (await placed(app.mediator, customer_phone="333 444 5555", amount_tendered=None)).data
    await app.mediator.execute_async(CancelOrderCommand(order_id=only_cancelled.order_id, reason="customer left"))

    customer = (await app.mediator.execute_async(GetCustomerQuery(phone="555 010 2030"))).data
    nothing_to_repeat = (await app.mediator.execute_async(GetCustomerQuery(phone="333 444 5555"))).data

    assert customer.last_order_id == kept.order_id
    assert nothing_to_repeat.last_order_id is None
