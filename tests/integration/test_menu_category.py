"""Changing a menu item's category: its toppings rule follows the category, and its place in the pizza reports
(popular pizzas, a customer's favourite pizzas) follows it for every day sold, live and in a rebuild alike."""

from __future__ import annotations

from pathlib import Path

from pos_app.bootstrap import App
from pos_app.messages.commands import CancelOrderCommand, PizzaItem, UpdateMenuCommand
from pos_app.messages.queries import GetCustomerQuery, GetMenuQuery, GetPopularPizzasQuery, PriceOrderQuery
from tests.support import FrozenClock, dump_tables, login, placed, read_models_differing

PHONE = "555 010 2030"


async def ok(app: App, request: object) -> object:
    result = await app.mediator.execute_async(request)  # type: ignore[arg-type]
    assert result.is_success, (request, result)
    return result.data


async def menu_item(app: App, item_id: str) -> object:
    items = await ok(app, GetMenuQuery(include_unavailable=True))
    return next(item for item in items if item.id == item_id)  # type: ignore[attr-defined]


async def test_a_pizza_made_a_side_takes_no_toppings_and_a_side_made_a_pizza_takes_them(app: App) -> None:
    await login(app.mediator, "mario")

    await ok(app, UpdateMenuCommand(item_id="margherita", category="side"))
    await ok(app, UpdateMenuCommand(item_id="garlic_bread", category="pizza"))
    side = await menu_item(app, "margherita")
    pizza = await menu_item(app, "garlic_bread")
    side_with_ham = await app.mediator.execute_async(
        PriceOrderQuery(pizza_items=[PizzaItem(pizza_id="margherita", toppings=["ham"])])
    )
    pizza_with_ham = await app.mediator.execute_async(
        PriceOrderQuery(pizza_items=[PizzaItem(pizza_id="garlic_bread", toppings=["ham"])])
    )

    assert side.available_toppings == []  # type: ignore[attr-defined]
    assert side_with_ham.status == 400
    assert "takes no toppings" in side_with_ham.errors["pizza_items[0].toppings"][0]
    assert pizza.available_toppings  # type: ignore[attr-defined]
    assert pizza_with_ham.status == 200, pizza_with_ham


async def test_the_pizza_reports_follow_a_category_change_for_every_day_sold(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "mario")
    bread = [PizzaItem(pizza_id="garlic_bread"), PizzaItem(pizza_id="margherita")]
    await placed(app.mediator, pizza_items=bread, customer_phone=PHONE, accept_kitchen_wait=True)
    clock.advance(days=1)

    await ok(app, UpdateMenuCommand(item_id="garlic_bread", category="pizza"))
    await ok(app, UpdateMenuCommand(item_id="margherita", category="side"))
    await placed(app.mediator, pizza_items=bread, customer_phone=PHONE, accept_kitchen_wait=True)
    popular = await ok(app, GetPopularPizzasQuery(time_period="last_7_days"))
    customer = await ok(app, GetCustomerQuery(phone=PHONE))

    assert [(p.pizza_id, p.quantity) for p in popular] == [("garlic_bread", 2)]  # type: ignore[attr-defined]
    assert customer.favorite_pizzas == ["Garlic bread"]  # type: ignore[attr-defined]


async def test_cancelling_an_order_sold_under_the_old_category_keeps_the_new_one_and_equals_a_rebuild(
    app: App, db_path: Path, clock: FrozenClock
) -> None:
    await login(app.mediator, "mario")
    bread = [PizzaItem(pizza_id="garlic_bread")]
    first = await placed(app.mediator, pizza_items=bread, amount_tendered=None, payment_method="card")
    await placed(app.mediator, pizza_items=bread)
    await ok(app, UpdateMenuCommand(item_id="garlic_bread", category="pizza"))

    await ok(app, CancelOrderCommand(order_id=first.data.order_id, reason="changed their mind"))
    popular = await ok(app, GetPopularPizzasQuery(time_period="today"))
    live = dump_tables(db_path)
    await app.rebuild_read_models()

    assert [(p.pizza_id, p.quantity) for p in popular] == [("garlic_bread", 1)]  # type: ignore[attr-defined]
    assert read_models_differing(live, dump_tables(db_path)) == []
    assert dump_tables(db_path) == live
