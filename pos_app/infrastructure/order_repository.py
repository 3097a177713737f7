"""The order repository: order rows to `Order` aggregates and back, order numbers and the kitchen's load.

It runs on a database thread (see `db.py`): each async method is one hop there; writes wait in the unit of work
until its commit.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update

from pos_app.application.ports import OrderRepository, PlacingReads
from pos_app.domain.errors import ConcurrencyError
from pos_app.domain.kitchen import KitchenLoad
from pos_app.domain.order_parts import Discount
from pos_app.domain.orders import Customer, Order, OrderItem, OrderStatus, OrderType, PaymentMethod
from pos_app.infrastructure.records import OrderItemRecord, OrderNumberRecord, OrderRecord
from pos_app.infrastructure.repositories import load_menu
from pos_app.infrastructure.transaction import Transaction
from pos_app.read_model.kitchen_queue import kitchen
from pos_app.read_model.statements import update_by_key
from pos_app.schema import table

orders_t = table(OrderRecord)
items_t = table(OrderItemRecord)
numbers_t = table(OrderNumberRecord)

# Prebuilt statements with bound parameters (see pos_app/read_model/statements.py for why).
SELECT_ORDER = select(orders_t).where(orders_t.c.id == bindparam("_key"))
SELECT_ORDER_ITEMS = select(items_t).where(items_t.c.order_id == bindparam("_key")).order_by(items_t.c.idx)
INSERT_ORDER = insert(orders_t)
INSERT_ORDER_ITEMS = insert(items_t)
DELETE_ORDER_ITEMS = delete(items_t).where(items_t.c.order_id == bindparam("_key"))
SET_ITEM_READY = (
    update(items_t)
    .where(items_t.c.order_id == bindparam("_key"), items_t.c.idx == bindparam("_idx"))
    .values(ready_at=bindparam("ready_at"))
)
SELECT_LAST_NUMBER = select(numbers_t.c.last_number).where(numbers_t.c.business_date == bindparam("_key"))
INSERT_NUMBER = insert(numbers_t)
SET_LAST_NUMBER = update_by_key(numbers_t, "business_date", ("last_number",))
SELECT_KITCHEN_NOTICE = select(kitchen.c.notice_kind).where(kitchen.c.order_id == bindparam("_key"))


# orders -------------------------------------------------------------------------------------------------------------


def order_values(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "business_date": order.business_date,
        "order_type": order.order_type.value,
        "status": order.status.value,
        "customer_name": order.customer.name,
        "customer_phone": order.customer.phone,
        "customer_address": order.customer.address,
        "placed_at": order.placed_at,
        "estimated_ready_at": order.estimated_ready_at,
        "started_at": order.started_at,
        "ready_at": order.ready_at,
        "completed_at": order.completed_at,
        "cancelled_at": order.cancelled_at,
        "cancel_reason": order.cancel_reason,
        "subtotal_cents": order.subtotal_cents,
        "delivery_fee_cents": order.delivery_fee_cents,
        "tax_cents": order.tax_cents,
        "total_cents": order.total_cents,
        "payment_method": order.payment_method.value,
        "paid": order.paid,
        "tendered_cents": order.tendered_cents,
        "change_cents": order.change_cents,
        "driver_id": order.driver_id,
        "placed_by": order.placed_by,
        "table_number": order.table_number,
        "covers": order.covers,
        "paid_cents": order.paid_cents,
        "discount_json": json.dumps(dataclasses.asdict(order.discount)) if order.discount else None,
    }


def order_item_rows(order: Order) -> list[dict[str, Any]]:
    return [
        {
            "order_id": order.id,
            "idx": index,
            "menu_item_id": item.menu_item_id,
            "name": item.name,
            "category": item.category,
            "size": item.size,
            "toppings": json.dumps(list(item.toppings)),
            "topping_names": json.dumps(list(item.topping_names), ensure_ascii=False),
            "special_instructions": item.special_instructions,
            "price_cents": item.price_cents,
            "preparation_minutes": item.preparation_minutes,
            "ready_at": item.ready_at,
            "allergies": ",".join(item.allergies),
            "allergens": ",".join(item.allergens),
            "needs_preparation": item.needs_preparation,
            "quantity": item.quantity,
        }
        for index, item in enumerate(order.items)
    ]


def load_order(connection: Connection, order_id: UUID) -> Order | None:
    row = connection.execute(SELECT_ORDER, {"_key": order_id}).one_or_none()
    if row is None:
        return None
    item_rows = connection.execute(SELECT_ORDER_ITEMS, {"_key": order_id})
    items = [
        OrderItem(
            menu_item_id=i.menu_item_id,
            name=i.name,
            category=i.category,
            size=i.size,
            toppings=tuple(json.loads(i.toppings)),
            topping_names=tuple(json.loads(i.topping_names)),
            special_instructions=i.special_instructions,
            price_cents=i.price_cents,
            preparation_minutes=i.preparation_minutes,
            ready_at=i.ready_at,
            allergies=tuple(a for a in i.allergies.split(",") if a),
            allergens=tuple(a for a in i.allergens.split(",") if a),
            needs_preparation=bool(i.needs_preparation),
            quantity=i.quantity,
        )
        for i in item_rows
    ]
    return Order(
        id=row.id,
        number=row.number,
        business_date=row.business_date,
        order_type=OrderType(row.order_type),
        customer=Customer(name=row.customer_name, phone=row.customer_phone, address=row.customer_address),
        items=items,
        status=OrderStatus(row.status),
        placed_at=row.placed_at,
        estimated_ready_at=row.estimated_ready_at,
        subtotal_cents=row.subtotal_cents,
        delivery_fee_cents=row.delivery_fee_cents,
        tax_cents=row.tax_cents,
        total_cents=row.total_cents,
        payment_method=PaymentMethod(row.payment_method),
        paid=row.paid,
        tendered_cents=row.tendered_cents,
        change_cents=row.change_cents,
        started_at=row.started_at,
        ready_at=row.ready_at,
        completed_at=row.completed_at,
        cancelled_at=row.cancelled_at,
        cancel_reason=row.cancel_reason,
        driver_id=row.driver_id,
        placed_by=row.placed_by,
        table_number=row.table_number,
        covers=row.covers,
        paid_cents=row.paid_cents,
        discount=Discount(**json.loads(row.discount_json)) if row.discount_json else None,
        version=row.version,
    )


def save_order(connection: Connection, order: Order, is_new: bool, items_changed: bool = False) -> None:
    """Insert a new order, or update one with an optimistic version check (a stale write raises); an update whose
    lines changed (an edit) writes its lines anew, else only the kitchen's ready times."""
    if is_new:
        connection.execute(INSERT_ORDER, {"id": order.id, "version": 1, **order_values(order)})
        connection.execute(INSERT_ORDER_ITEMS, order_item_rows(order))
        order.version = 1
        return
    values = order_values(order)
    statement = _update_order_statement(tuple(values))
    result = connection.execute(
        statement, {"_key": order.id, "_version": order.version, "version": order.version + 1, **values}
    )
    if result.rowcount != 1:
        raise ConcurrencyError(f"Order #{order.number} was changed on another terminal; look again and retry")
    if items_changed:
        connection.execute(DELETE_ORDER_ITEMS, {"_key": order.id})
        connection.execute(INSERT_ORDER_ITEMS, order_item_rows(order))
        order.version += 1
        return
    connection.execute(
        SET_ITEM_READY,
        [{"_key": order.id, "_idx": index, "ready_at": item.ready_at} for index, item in enumerate(order.items)],
    )
    order.version += 1


_UPDATE_ORDER: dict[tuple[str, ...], Any] = {}


def _update_order_statement(columns: tuple[str, ...]) -> Any:
    """UPDATE orders SET … WHERE id = :_key AND version = :_version (the optimistic version check)."""
    statement = _UPDATE_ORDER.get(columns)
    if statement is None:
        statement = _UPDATE_ORDER[columns] = (
            update(orders_t)
            .where(orders_t.c.id == bindparam("_key"), orders_t.c.version == bindparam("_version"))
            .values({name: bindparam(name) for name in (*columns, "version")})
        )
    return statement


def next_order_number(connection: Connection, business_date: date) -> int:
    last = connection.execute(SELECT_LAST_NUMBER, {"_key": business_date}).scalar_one_or_none()
    if last is None:
        connection.execute(INSERT_NUMBER, {"business_date": business_date, "last_number": 1})
        return 1
    connection.execute(SET_LAST_NUMBER, {"_key": business_date, "last_number": last + 1})
    return int(last) + 1


KITCHEN_LOAD = (
    select(
        func.coalesce(func.sum(items_t.c.quantity), 0),
        func.coalesce(func.sum(items_t.c.preparation_minutes * items_t.c.quantity), 0),
    )
    .select_from(items_t.join(orders_t, orders_t.c.id == items_t.c.order_id))
    .where(
        # written out, not bound, so SQLite sees it matches the partial index ix_orders_open_day (no scan of all
        # items); only the business day's orders: an order left open on an earlier day is no work of today's kitchen
        text("orders.status IN ('pending', 'cooking')"),
        orders_t.c.business_date == bindparam("business_date"),
        items_t.c.ready_at.is_(None),
        items_t.c.preparation_minutes > 0,
    )
)


def kitchen_load(connection: Connection, business_date: date) -> KitchenLoad:
    """The pizzas the kitchen still has to make today, a line of 2 counting two (drinks and desserts take no
    kitchen time)."""
    row = connection.execute(KITCHEN_LOAD, {"business_date": business_date}).one()
    return KitchenLoad(items_in_progress=int(row[0]), prep_minutes_in_progress=int(row[1]))


def placing_reads(connection: Connection, business_date: date) -> PlacingReads:
    menu = load_menu(connection)
    return PlacingReads(menu, kitchen_load(connection, business_date), next_order_number(connection, business_date))


class SqlOrderRepository(OrderRepository):
    def __init__(self, uow: Transaction) -> None:
        self._uow = uow

    async def get(self, order_id: UUID) -> Order | None:
        order = await self._uow.run(load_order, order_id)
        if order is not None:
            self._uow.track(order, is_new=False)
        return order

    def add(self, order: Order) -> None:
        self._uow.track(order, is_new=True)

    async def placing_reads(self, business_date: date) -> PlacingReads:
        return await self._uow.run(
            lambda connection: PlacingReads(
                load_menu(connection),
                kitchen_load(connection, business_date),
                next_order_number(connection, business_date),
            )
        )

    async def kitchen_notice(self, order_id: UUID) -> str | None:
        return await self._uow.run(kitchen_notice, order_id)


def kitchen_notice(connection: Connection, order_id: UUID) -> str | None:
    value = connection.execute(SELECT_KITCHEN_NOTICE, {"_key": order_id}).scalar_one_or_none()
    return None if value is None else str(value)
