"""Sales figures are the manager's: over every query in the catalogue, a kitchen or driver session reads no money
but what the rule allows (menu prices, and for a driver the amounts of the deliveries assigned to them)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from pos_app.bootstrap import App
from pos_app.mediation import Query, Request
from pos_app.messages.commands import (
    AssignOrderToDeliveryCommand,
    MarkPizzaReadyCommand,
    PizzaItem,
    StartCookingCommand,
)
from pos_app.messages.queries import (
    GetCustomerQuery,
    GetDailySalesQuery,
    GetDeliveryOrdersQuery,
    GetKitchenPerformanceQuery,
    GetKitchenQueueChangesQuery,
    GetKitchenQueueQuery,
    GetLastCompletedTicketQuery,
    GetLeftOpenOrdersQuery,
    GetMenuQuery,
    GetOrderByIdQuery,
    GetOrderHistoryQuery,
    GetOrdersQuery,
    GetOrderStatusQuery,
    GetPopularPizzasQuery,
    GetSessionQuery,
    GetStaffQuery,
    GetStoreInfoQuery,
    PriceOrderQuery,
)
from tests.support import FrozenClock, login, placed, request_catalogue

PHONE = "555 010 2030"
DELIVERY = {"order_type": "delivery", "customer_address": "Via Roma 1"}
PUBLIC_PRICES = (GetMenuQuery, PriceOrderQuery)  # the printed menu's prices, not sales


async def ready(app: App, clock: FrozenClock, **overrides: Any) -> UUID:
    order_id: UUID = (await placed(app.mediator, accept_kitchen_wait=True, **overrides)).data.order_id
    await app.mediator.execute_async(StartCookingCommand(order_id=order_id))
    clock.advance(minutes=1)
    for index in (0, 1):
        await app.mediator.execute_async(MarkPizzaReadyCommand(order_id=order_id, pizza_index=index))
    return order_id


async def a_day_of_orders(app: App, clock: FrozenClock) -> dict[str, UUID]:
    """As the manager: a paid pickup, a delivery with toni and one with mario (both unpaid), one ready to go, one
    cooking."""
    await login(app.mediator, "mario")
    orders = {
        "pickup": await ready(app, clock),
        "with_toni": await ready(app, clock, amount_tendered=None, **DELIVERY),
        "with_mario": await ready(app, clock, amount_tendered=None, **DELIVERY),
        "to_go": await ready(app, clock, amount_tendered=None, **DELIVERY),
        "cooking": (await placed(app.mediator, accept_kitchen_wait=True)).data.order_id,
    }
    await app.mediator.execute_async(StartCookingCommand(order_id=orders["cooking"]))
    await app.mediator.execute_async(AssignOrderToDeliveryCommand(order_id=orders["with_toni"], driver_id="toni"))
    await app.mediator.execute_async(AssignOrderToDeliveryCommand(order_id=orders["with_mario"], driver_id="mario"))
    return orders


def every_query(orders: dict[str, UUID]) -> dict[type[Request[Any]], list[Request[Any]]]:
    today = date(2026, 11, 27)
    by_id = list(orders.values())
    return {
        GetMenuQuery: [GetMenuQuery(include_unavailable=True)],
        PriceOrderQuery: [PriceOrderQuery(pizza_items=[PizzaItem(pizza_id="margherita", size="large")])],
        GetOrderByIdQuery: [GetOrderByIdQuery(order_id=order_id) for order_id in by_id],
        GetOrderStatusQuery: [GetOrderStatusQuery(order_id=order_id) for order_id in by_id],
        GetOrdersQuery: [
            GetOrdersQuery(),
            GetOrdersQuery(customer_phone=PHONE),
            GetOrdersQuery(date=today),
            GetOrdersQuery(changed_since=1),
        ],
        GetOrderHistoryQuery: [GetOrderHistoryQuery(customer_phone=PHONE)],
        GetKitchenQueueQuery: [GetKitchenQueueQuery()],
        GetKitchenQueueChangesQuery: [GetKitchenQueueChangesQuery(), GetKitchenQueueChangesQuery(changed_since=1)],
        GetLastCompletedTicketQuery: [GetLastCompletedTicketQuery()],
        GetDeliveryOrdersQuery: [GetDeliveryOrdersQuery(), GetDeliveryOrdersQuery(include_out_for_delivery=False)],
        GetPopularPizzasQuery: [GetPopularPizzasQuery(time_period=period) for period in ("today", "all_time")],
        GetDailySalesQuery: [GetDailySalesQuery(), GetDailySalesQuery(date=today)],
        GetKitchenPerformanceQuery: [GetKitchenPerformanceQuery(start=today - timedelta(days=7), end=today)],
        GetCustomerQuery: [GetCustomerQuery(phone=PHONE)],
        GetStaffQuery: [GetStaffQuery()],
        GetSessionQuery: [GetSessionQuery()],
        GetStoreInfoQuery: [GetStoreInfoQuery()],
        GetLeftOpenOrdersQuery: [GetLeftOpenOrdersQuery()],
    }


def money_seen(data: Any, staff_id: str, path: str = "data") -> list[tuple[str, Decimal]]:
    """Every non-zero amount in `data`, by path, except those inside a delivery assigned to `staff_id`."""
    if isinstance(data, Decimal):
        return [] if data == 0 else [(path, data)]
    if isinstance(data, list):
        return [seen for index, item in enumerate(data) for seen in money_seen(item, staff_id, f"{path}[{index}]")]
    if isinstance(data, BaseModel):
        if getattr(data, "driver_id", None) == staff_id and getattr(data, "order_type", None) == "delivery":
            return []  # the amount the driver collects at the door
        return [
            seen
            for name in type(data).model_fields
            for seen in money_seen(getattr(data, name), staff_id, f"{path}.{name}")
        ]
    return []


async def test_kitchen_and_driver_sessions_read_no_sales_money_from_any_query(app: App, clock: FrozenClock) -> None:
    orders = await a_day_of_orders(app, clock)
    requests = every_query(orders)
    leaks: dict[str, list[tuple[str, Decimal]]] = {}
    answered: dict[str, set[str]] = {}

    for staff_id in ("rosa", "toni"):
        await login(app.mediator, staff_id)
        for request_type, sent in requests.items():
            for request in sent:
                result = await app.mediator.execute_async(request)
                assert result.is_success or result.status == 403, (request, result)
                if result.is_success:
                    answered.setdefault(staff_id, set()).add(request_type.__name__)
                if result.is_success and not isinstance(request, PUBLIC_PRICES):
                    found = money_seen(result.data, staff_id)
                    if found:
                        leaks[f"{staff_id} {request!r}"] = found

    assert set(requests) == {t for t in request_catalogue() if issubclass(t, Query)}, "add every query here"
    assert leaks == {}
    assert {"GetOrdersQuery", "GetOrderByIdQuery", "GetDeliveryOrdersQuery"} <= answered["toni"]
    assert {"GetOrdersQuery", "GetKitchenQueueQuery", "GetPopularPizzasQuery"} <= answered["rosa"]


async def test_a_driver_still_sees_the_amount_due_on_a_delivery_assigned_to_them(app: App, clock: FrozenClock) -> None:
    orders = await a_day_of_orders(app, clock)
    await login(app.mediator, "mario")
    as_manager = await app.mediator.execute_async(GetOrderByIdQuery(order_id=orders["with_toni"]))
    await login(app.mediator, "toni")

    own = await app.mediator.execute_async(GetOrderByIdQuery(order_id=orders["with_toni"]))
    others = await app.mediator.execute_async(GetOrderByIdQuery(order_id=orders["with_mario"]))
    listed = await app.mediator.execute_async(GetDeliveryOrdersQuery())

    totals = {summary.order_id: summary.total_amount for summary in listed.data}
    assert own.data.total_amount == as_manager.data.total_amount > 0
    assert others.data.total_amount == 0
    assert totals[orders["with_toni"]] == as_manager.data.total_amount
    assert totals[orders["with_mario"]] == 0


async def test_the_kitchen_reads_no_money_in_the_answers_to_its_own_commands(app: App, clock: FrozenClock) -> None:
    await login(app.mediator, "mario")
    order_id = (await placed(app.mediator, accept_kitchen_wait=True)).data.order_id
    await login(app.mediator, "rosa")

    started = await app.mediator.execute_async(StartCookingCommand(order_id=order_id))
    ready = MarkPizzaReadyCommand(order_id=order_id, pizza_index=0, command_id=uuid.uuid4())
    marked = await app.mediator.execute_async(ready)
    retried = await app.mediator.execute_async(ready)  # the stored first answer is filtered too

    assert started.is_success
    assert marked.is_success
    assert retried.is_success
    assert money_seen(started.data, "rosa") == []
    assert money_seen(marked.data, "rosa") == []
    assert money_seen(retried.data, "rosa") == []
