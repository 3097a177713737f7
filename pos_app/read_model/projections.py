"""Projections: keep the read models in step with the events, inside the command's own transaction.

Each projection is a plain function of (connection, position, event) that depends only on the event and the read
models, so replaying the event store (`rebuild`) gives identical tables.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.dialects.sqlite import insert

from pos_app.domain.events import (
    CookingStartedEvent,
    DomainEvent,
    LeftOpenOrderClosedEvent,
    MenuUpdatedEvent,
    OrderCancelledEvent,
    OrderDeliveredEvent,
    OrderItemData,
    OrderOutForDeliveryEvent,
    OrderPickedUpEvent,
    OrderPlacedEvent,
    OrderReadyEvent,
    PaymentProcessedEvent,
    PizzaReadyEvent,
)
from pos_app.read_model.statements import add_to_counters, update_by_key
from pos_app.read_model.tables import (
    READ_MODEL_TABLES,
    customer_items,
    customers,
    item_sales,
    kitchen,
    kitchen_daily,
    order_list,
    sales,
)

E = TypeVar("E", bound=DomainEvent)
ProjectionFn = Callable[[Connection, int, Any], None]

MAX_REMEMBERED_ADDRESSES = 5


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def items_summary(items: Sequence[OrderItemData]) -> str:
    """`2× Margherita L, Coca-Cola`: what a person reads in one line."""
    counts = Counter((item.name, item.size if item.category == "pizza" else "") for item in items)
    parts = []
    for (name, size), count in counts.items():
        label = f"{name} {size[0].upper()}" if size else name
        parts.append(f"{count}× {label}" if count > 1 else label)
    return ", ".join(parts)


def _item_json(item: OrderItemData) -> dict[str, Any]:
    return {
        "menu_item_id": item.menu_item_id,
        "name": item.name,
        "category": item.category,
        "size": item.size,
        "toppings": list(item.topping_names),
        "notes": item.special_instructions,
        "price_cents": item.price_cents,
        "ready": False,
    }


class Projector:
    """Runs every projection registered for an event's type, in registration order."""

    def __init__(self) -> None:
        self._by_type: dict[type[DomainEvent], list[ProjectionFn]] = {}

    def register(self, event_type: type[E], projection: Callable[[Connection, int, E], None]) -> None:
        self._by_type.setdefault(event_type, []).append(projection)

    def project(self, connection: Connection, position: int, event: DomainEvent) -> None:
        for projection in self._by_type.get(type(event), ()):
            projection(connection, position, event)

    def project_all(self, connection: Connection, events: Iterable[tuple[int, DomainEvent]]) -> None:
        for position, event in events:
            self.project(connection, position, event)

    @staticmethod
    def clear(connection: Connection) -> None:
        for read_table in READ_MODEL_TABLES:
            connection.execute(delete(read_table))


# order list --------------------------------------------------------------------------------------------------------


INSERT_LIST = insert(order_list)
INSERT_TICKET = insert(kitchen)
SELECT_TICKET_ITEMS = select(kitchen.c.items_json).where(kitchen.c.order_id == bindparam("_key"))
DELETE_TICKET = delete(kitchen).where(kitchen.c.order_id == bindparam("_key"))
LIST_ITEMS_READY = (
    update(order_list)
    .where(order_list.c.order_id == bindparam("_key"))
    .values(items_ready=order_list.c.items_ready + 1, last_position=bindparam("last_position"))
)
TICKET_ITEM_READY = (
    update(kitchen)
    .where(kitchen.c.order_id == bindparam("_key"))
    .values(items_json=bindparam("items_json"), items_ready=kitchen.c.items_ready + 1)
)
SELECT_CUSTOMER = select(customers.c.addresses_json, customers.c.address).where(customers.c.phone == bindparam("_key"))
UPSERT_CUSTOMER = insert(customers)
UPSERT_CUSTOMER = UPSERT_CUSTOMER.on_conflict_do_update(
    index_elements=[customers.c.phone],
    set_={
        "name": UPSERT_CUSTOMER.excluded.name,
        "address": UPSERT_CUSTOMER.excluded.address,
        "addresses_json": UPSERT_CUSTOMER.excluded.addresses_json,
        "total_orders": customers.c.total_orders + 1,
        "total_spent_cents": customers.c.total_spent_cents + UPSERT_CUSTOMER.excluded.total_spent_cents,
        "last_order_at": UPSERT_CUSTOMER.excluded.last_order_at,
        "last_order_id": UPSERT_CUSTOMER.excluded.last_order_id,
    },
)
ADD_CUSTOMER_ITEMS = add_to_counters(customer_items, ("phone", "menu_item_id"), ("name", "category"))
UNCOUNT_CUSTOMER = (
    update(customers)
    .where(customers.c.phone == bindparam("_key"))
    .values(
        total_orders=customers.c.total_orders - 1,
        total_spent_cents=customers.c.total_spent_cents - bindparam("total_cents"),
    )
)
UNCOUNT_CUSTOMER_ITEM = (
    update(customer_items)
    .where(customer_items.c.phone == bindparam("_key"), customer_items.c.menu_item_id == bindparam("item"))
    .values(quantity=customer_items.c.quantity - bindparam("quantity"))
)
SELECT_PLACED = select(
    order_list.c.customer_phone,
    order_list.c.business_date,
    order_list.c.total_cents,
    order_list.c.tax_cents,
    order_list.c.delivery_fee_cents,
    order_list.c.order_type,
    order_list.c.items_json,
    order_list.c.item_count,
    order_list.c.placed_at,
    order_list.c.started_at,
    order_list.c.estimated_ready_at,
).where(order_list.c.order_id == bindparam("_key"))
SELECT_BUSINESS_DATE = select(order_list.c.business_date).where(order_list.c.order_id == bindparam("_key"))
ADD_TO_DAY = add_to_counters(sales, ("business_date",))
ADD_ITEMS_TO_DAY = add_to_counters(item_sales, ("business_date", "menu_item_id"), ("name", "category"))
ADD_KITCHEN_DAY = add_to_counters(kitchen_daily, ("business_date",))
UNCOUNT_ITEMS_OF_DAY = (
    update(item_sales)
    .where(item_sales.c.business_date == bindparam("_day"), item_sales.c.menu_item_id == bindparam("_item"))
    .values(
        quantity=item_sales.c.quantity + bindparam("quantity"),
        revenue_cents=item_sales.c.revenue_cents + bindparam("revenue_cents"),
    )
)
REFILE_ITEM_SALES = (
    update(item_sales)
    .where(item_sales.c.menu_item_id == bindparam("_key"), item_sales.c.category != bindparam("_category"))
    .values(category=bindparam("category"))
)
REFILE_CUSTOMER_ITEMS = (
    update(customer_items)
    .where(customer_items.c.menu_item_id == bindparam("_key"), customer_items.c.category != bindparam("_category"))
    .values(category=bindparam("category"))
)


def order_placed_to_list(connection: Connection, position: int, event: OrderPlacedEvent) -> None:
    connection.execute(
        INSERT_LIST,
        dict(
            order_id=event.order_id,
            order_number=event.order_number,
            business_date=event.business_date,
            placed_at=event.occurred_at,
            customer_name=event.customer_name,
            customer_phone=event.customer_phone,
            customer_address=event.customer_address,
            order_type=event.order_type,
            items_summary=items_summary(event.items),
            items_json=dumps([_item_json(item) for item in event.items]),
            item_count=len(event.items),
            items_ready=0,
            total_cents=event.total_cents,
            tax_cents=event.tax_cents,
            delivery_fee_cents=event.delivery_fee_cents,
            status="pending",
            paid=False,
            payment_method=event.payment_method,
            estimated_ready_at=event.estimated_ready_at,
            started_at=None,
            ready_at=None,
            completed_at=None,
            driver_id=None,
            last_position=position,
        ),
    )


def _update_list(connection: Connection, position: int, event: Any, **values: Any) -> None:
    connection.execute(
        update(order_list).where(order_list.c.order_id == event.order_id).values(last_position=position, **values)
    )


def cooking_started_to_list(connection: Connection, position: int, event: CookingStartedEvent) -> None:
    _update_list(connection, position, event, status="cooking", started_at=event.occurred_at)


def pizza_ready_to_list(connection: Connection, position: int, event: PizzaReadyEvent) -> None:
    connection.execute(LIST_ITEMS_READY, {"_key": event.order_id, "last_position": position})


def order_ready_to_list(connection: Connection, position: int, event: OrderReadyEvent) -> None:
    _update_list(connection, position, event, status="ready", ready_at=event.occurred_at)


def picked_up_to_list(connection: Connection, position: int, event: OrderPickedUpEvent) -> None:
    _update_list(connection, position, event, status="picked_up", completed_at=event.occurred_at)


def out_for_delivery_to_list(connection: Connection, position: int, event: OrderOutForDeliveryEvent) -> None:
    _update_list(connection, position, event, status="out_for_delivery", driver_id=event.driver_id)


def delivered_to_list(connection: Connection, position: int, event: OrderDeliveredEvent) -> None:
    _update_list(connection, position, event, status="delivered", completed_at=event.occurred_at)


def cancelled_to_list(connection: Connection, position: int, event: OrderCancelledEvent) -> None:
    _update_list(connection, position, event, status="cancelled")


def payment_to_list(connection: Connection, position: int, event: PaymentProcessedEvent) -> None:
    _update_list(connection, position, event, paid=True, payment_method=event.payment_method)


# kitchen queue ------------------------------------------------------------------------------------------------------


def order_placed_to_kitchen(connection: Connection, position: int, event: OrderPlacedEvent) -> None:
    connection.execute(
        INSERT_TICKET,
        dict(
            order_id=event.order_id,
            position=position,
            order_number=event.order_number,
            order_type=event.order_type,
            customer_name=event.customer_name,
            status="pending",
            placed_at=event.occurred_at,
            started_at=None,
            estimated_ready_at=event.estimated_ready_at,
            completed_at=None,
            items_json=dumps([_item_json(item) for item in event.items]),
            items_total=len(event.items),
            items_ready=0,
        ),
    )


def cooking_started_to_kitchen(connection: Connection, position: int, event: CookingStartedEvent) -> None:
    statement = update_by_key(kitchen, "order_id", ("status", "started_at"))
    connection.execute(statement, {"_key": event.order_id, "status": "cooking", "started_at": event.occurred_at})


def pizza_ready_to_kitchen(connection: Connection, position: int, event: PizzaReadyEvent) -> None:
    items = json.loads(connection.execute(SELECT_TICKET_ITEMS, {"_key": event.order_id}).scalar_one())
    items[event.pizza_index]["ready"] = True
    connection.execute(TICKET_ITEM_READY, {"_key": event.order_id, "items_json": dumps(items)})


def order_ready_to_kitchen(connection: Connection, position: int, event: OrderReadyEvent) -> None:
    statement = update_by_key(kitchen, "order_id", ("status", "completed_at"))
    connection.execute(statement, {"_key": event.order_id, "status": "ready", "completed_at": event.occurred_at})


def cancelled_to_kitchen(connection: Connection, position: int, event: OrderCancelledEvent) -> None:
    connection.execute(DELETE_TICKET, {"_key": event.order_id})


# customers ----------------------------------------------------------------------------------------------------------


def order_placed_to_customer(connection: Connection, position: int, event: OrderPlacedEvent) -> None:
    existing = connection.execute(SELECT_CUSTOMER, {"_key": event.customer_phone}).one_or_none()
    addresses: list[str] = json.loads(existing.addresses_json) if existing else []
    if event.customer_address:
        addresses = [event.customer_address, *(a for a in addresses if a != event.customer_address)]
    addresses = addresses[:MAX_REMEMBERED_ADDRESSES]
    address = event.customer_address or (existing.address if existing else None)
    connection.execute(
        UPSERT_CUSTOMER,
        {
            "phone": event.customer_phone,
            "name": event.customer_name,
            "address": address,
            "addresses_json": dumps(addresses),
            "total_orders": 1,
            "total_spent_cents": event.total_cents,
            "first_order_at": event.occurred_at,
            "last_order_at": event.occurred_at,
            "last_order_id": event.order_id,
        },
    )
    counts = Counter((i.menu_item_id, i.name, i.category) for i in event.items)
    connection.execute(
        ADD_CUSTOMER_ITEMS,
        [
            {"phone": event.customer_phone, "menu_item_id": item_id, "name": name, "category": category, "quantity": n}
            for (item_id, name, category), n in counts.items()
        ],
    )


def _placed_order(connection: Connection, order_id: Any) -> Any:
    return connection.execute(SELECT_PLACED, {"_key": order_id}).one()


def cancelled_to_customer(connection: Connection, position: int, event: OrderCancelledEvent) -> None:
    order = _placed_order(connection, event.order_id)
    connection.execute(UNCOUNT_CUSTOMER, {"_key": order.customer_phone, "total_cents": order.total_cents})
    counts = Counter(item["menu_item_id"] for item in json.loads(order.items_json))
    connection.execute(
        UNCOUNT_CUSTOMER_ITEM,
        [{"_key": order.customer_phone, "item": item_id, "quantity": n} for item_id, n in counts.items()],
    )


# sales --------------------------------------------------------------------------------------------------------------

_TYPE_COLUMNS = {"pickup": "pickup_orders", "delivery": "delivery_orders", "dine_in": "dine_in_orders"}
_SALES_COUNTERS = tuple(c.name for c in sales.c if c.name != "business_date")
_KITCHEN_COUNTERS = tuple(c.name for c in kitchen_daily.c if c.name != "business_date")


def _add_to_day(connection: Connection, business_date: Any, **deltas: int) -> None:
    values = dict.fromkeys(_SALES_COUNTERS, 0)
    values.update(deltas)
    connection.execute(ADD_TO_DAY, {"business_date": business_date, **values})


def _add_items_to_day(connection: Connection, business_date: Any, items: Iterable[dict[str, Any]], sign: int) -> None:
    totals: dict[str, list[Any]] = {}
    for item in items:
        entry = totals.setdefault(item["menu_item_id"], [item["name"], item["category"], 0, 0])
        entry[2] += sign
        entry[3] += sign * item["price_cents"]
    if sign < 0:
        # taking a sale back leaves the item's name and category as they are (it may have been re-filed since)
        connection.execute(
            UNCOUNT_ITEMS_OF_DAY,
            [
                {"_day": business_date, "_item": item_id, "quantity": quantity, "revenue_cents": revenue}
                for item_id, (_, _, quantity, revenue) in totals.items()
            ],
        )
        return
    connection.execute(
        ADD_ITEMS_TO_DAY,
        [
            {
                "business_date": business_date,
                "menu_item_id": item_id,
                "name": name,
                "category": category,
                "quantity": quantity,
                "revenue_cents": revenue,
            }
            for item_id, (name, category, quantity, revenue) in totals.items()
        ],
    )


def order_placed_to_sales(connection: Connection, position: int, event: OrderPlacedEvent) -> None:
    _add_to_day(
        connection,
        event.business_date,
        orders=1,
        items_sold=len(event.items),
        total_cents=event.total_cents,
        tax_cents=event.tax_cents,
        delivery_fee_cents=event.delivery_fee_cents,
        **{_TYPE_COLUMNS[event.order_type]: 1},
    )
    _add_items_to_day(connection, event.business_date, (_item_json(item) for item in event.items), +1)


def payment_to_sales(connection: Connection, position: int, event: PaymentProcessedEvent) -> None:
    business_date = connection.execute(SELECT_BUSINESS_DATE, {"_key": event.order_id}).scalar_one()
    column = "cash_cents" if event.payment_method == "cash" else "card_cents"
    _add_to_day(connection, business_date, **{column: event.amount_cents})


def cancelled_to_sales(connection: Connection, position: int, event: OrderCancelledEvent) -> None:
    order = _placed_order(connection, event.order_id)
    _add_to_day(
        connection,
        order.business_date,
        orders=-1,
        cancelled_orders=1,
        items_sold=-order.item_count,
        total_cents=-order.total_cents,
        tax_cents=-order.tax_cents,
        delivery_fee_cents=-order.delivery_fee_cents,
        **{_TYPE_COLUMNS[order.order_type]: -1},
    )
    if event.refund_cents:
        _add_to_day(connection, refund_day(event, order.business_date), refund_cents=event.refund_cents)
    _add_items_to_day(connection, order.business_date, json.loads(order.items_json), -1)


def refund_day(event: OrderCancelledEvent, order_day: date) -> date:
    """A refund is booked to the business day the money moved back (events stored before that day was recorded
    keep it with the order's day)."""
    return event.business_date or order_day


# kitchen performance ------------------------------------------------------------------------------------------------


def elapsed_seconds(start: datetime, end: datetime) -> int:
    """Whole seconds from `start` to `end`, never negative (a clock set back meanwhile makes no negative time)."""
    return max(0, int((end - start).total_seconds()))


def order_ready_to_kitchen_daily(connection: Connection, position: int, event: OrderReadyEvent) -> None:
    order = _placed_order(connection, event.order_id)
    started = order.started_at or order.placed_at
    on_time = event.occurred_at <= order.estimated_ready_at
    connection.execute(
        ADD_KITCHEN_DAY,
        {
            "business_date": order.business_date,
            "orders_completed": 1,
            "items_completed": order.item_count,
            "cooking_seconds": elapsed_seconds(started, event.occurred_at),
            "ready_seconds": elapsed_seconds(order.placed_at, event.occurred_at),
            "on_time_orders": 1 if on_time else 0,
            "late_orders": 0 if on_time else 1,
        },
    )


# menu ---------------------------------------------------------------------------------------------------------------


def menu_updated_to_reports(connection: Connection, position: int, event: MenuUpdatedEvent) -> None:
    """An item's place in the reports follows its category: every day's sales and every customer's count of it are
    re-filed (popular pizzas, favourite pizzas)."""
    values = {"_key": event.item_id, "_category": event.category, "category": event.category}
    connection.execute(REFILE_ITEM_SALES, values)
    connection.execute(REFILE_CUSTOMER_ITEMS, values)


# orders left open ----------------------------------------------------------------------------------------------


def as_cancelled(event: LeftOpenOrderClosedEvent) -> OrderCancelledEvent:
    """A left-open order closed as cancelled counts in every read model as a cancellation."""
    return OrderCancelledEvent(
        occurred_at=event.occurred_at,
        staff_id=event.staff_id,
        order_id=event.order_id,
        reason=event.reason,
        previous_status=event.previous_status,
        refund_cents=event.refund_cents,
    )


def left_open_closed(connection: Connection, position: int, event: LeftOpenOrderClosedEvent) -> None:
    """Cancelled: as any cancellation. Completed: handed over (the order leaves the kitchen either way)."""
    if event.outcome == "cancelled":
        cancelled = as_cancelled(event)
        cancelled_to_customer(connection, position, cancelled)
        cancelled_to_sales(connection, position, cancelled)
        cancelled_to_list(connection, position, cancelled)
    else:
        _update_list(connection, position, event, status=event.status, completed_at=event.occurred_at)
    connection.execute(DELETE_TICKET, {"_key": event.order_id})


def build_projector() -> Projector:
    """Every projection, in the order it runs for each event."""
    projector = Projector()
    projector.register(OrderPlacedEvent, order_placed_to_list)
    projector.register(OrderPlacedEvent, order_placed_to_kitchen)
    projector.register(OrderPlacedEvent, order_placed_to_customer)
    projector.register(OrderPlacedEvent, order_placed_to_sales)
    projector.register(CookingStartedEvent, cooking_started_to_list)
    projector.register(CookingStartedEvent, cooking_started_to_kitchen)
    projector.register(PizzaReadyEvent, pizza_ready_to_list)
    projector.register(PizzaReadyEvent, pizza_ready_to_kitchen)
    projector.register(OrderReadyEvent, order_ready_to_list)
    projector.register(OrderReadyEvent, order_ready_to_kitchen)
    projector.register(OrderReadyEvent, order_ready_to_kitchen_daily)
    projector.register(OrderPickedUpEvent, picked_up_to_list)
    projector.register(OrderOutForDeliveryEvent, out_for_delivery_to_list)
    projector.register(OrderDeliveredEvent, delivered_to_list)
    projector.register(OrderCancelledEvent, cancelled_to_customer)
    projector.register(OrderCancelledEvent, cancelled_to_sales)
    projector.register(OrderCancelledEvent, cancelled_to_list)
    projector.register(OrderCancelledEvent, cancelled_to_kitchen)
    projector.register(PaymentProcessedEvent, payment_to_list)
    projector.register(PaymentProcessedEvent, payment_to_sales)
    projector.register(LeftOpenOrderClosedEvent, left_open_closed)
    projector.register(MenuUpdatedEvent, menu_updated_to_reports)
    return projector
