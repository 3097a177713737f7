"""The customers (`customer_view`, `customer_item_view`): one row per phone number with its orders and spending, and
how many of each menu item it has ordered. The counter's customer lookup and a customer's order history read them."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Integer, String, Text, bindparam, select, update
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.domain.customers import normalize_phone
from pos_app.domain.events import (
    DomainEvent,
    LeftOpenOrderClosedEvent,
    MenuUpdatedEvent,
    OrderCancelledEvent,
    OrderDiscountedEvent,
    OrderEditedEvent,
    OrderPlacedEvent,
)
from pos_app.mediation import OperationResult, QueryHandler
from pos_app.messages.dtos import CustomerDto, OrderHistoryDto
from pos_app.messages.queries import GetCustomerQuery, GetOrderHistoryQuery
from pos_app.read_model.definition import ReadModel, RebuildStep, RebuildSteps, RowHandler, Rows, on
from pos_app.read_model.handler import ReadHandler, money
from pos_app.read_model.order_items import dumps, quantity_of, weighted
from pos_app.read_model.order_list import OrderListRebuild, as_cancelled, order_list, placed_order, summaries
from pos_app.read_model.statements import add_to_counters
from pos_app.schema import Base, HexUuid, Instant, table
from pos_app.schema.dialects import Upsert

MAX_REMEMBERED_ADDRESSES = 5
FAVORITES = 3


class CustomerRecord(Base):
    __tablename__ = "customer_view"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    address: Mapped[str | None] = mapped_column(String(200))
    addresses_json: Mapped[str] = mapped_column(Text)
    total_orders: Mapped[int] = mapped_column(Integer)
    total_spent_cents: Mapped[int] = mapped_column(Integer)
    first_order_at: Mapped[datetime] = mapped_column(Instant)
    last_order_at: Mapped[datetime] = mapped_column(Instant)
    last_order_id: Mapped[UUID] = mapped_column(HexUuid)


class CustomerItemRecord(Base):
    """How many of each menu item a customer has ordered (favourites)."""

    __tablename__ = "customer_item_view"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    menu_item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)


customers = table(CustomerRecord)
customer_items = table(CustomerItemRecord)


def remembered_addresses(event: OrderPlacedEvent, addresses: list[str]) -> list[str]:
    """The order's address first, then the others used before, the most recent few."""
    if event.customer_address:
        addresses = [event.customer_address, *(a for a in addresses if a != event.customer_address)]
    return addresses[:MAX_REMEMBERED_ADDRESSES]


# projections --------------------------------------------------------------------------------------------------------

SELECT_CUSTOMER = select(customers.c.addresses_json, customers.c.address).where(customers.c.phone == bindparam("_key"))


def _upsert_customer(insert: Callable[..., Any]) -> Any:
    statement = insert(customers)
    return statement.on_conflict_do_update(
        index_elements=[customers.c.phone],
        set_={
            "name": statement.excluded.name,
            "address": statement.excluded.address,
            "addresses_json": statement.excluded.addresses_json,
            "total_orders": customers.c.total_orders + 1,
            "total_spent_cents": customers.c.total_spent_cents + statement.excluded.total_spent_cents,
            "last_order_at": statement.excluded.last_order_at,
            "last_order_id": statement.excluded.last_order_id,
        },
    )


UPSERT_CUSTOMER = Upsert(_upsert_customer)
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
SPEND_MORE = (
    update(customers)
    .where(customers.c.phone == bindparam("_key"))
    .values(total_spent_cents=customers.c.total_spent_cents + bindparam("delta"))
)
REFILE_CUSTOMER_ITEMS = (
    update(customer_items)
    .where(customer_items.c.menu_item_id == bindparam("_key"), customer_items.c.category != bindparam("_category"))
    .values(category=bindparam("category"))
)


def order_placed(connection: Connection, position: int, event: OrderPlacedEvent) -> None:
    existing = connection.execute(SELECT_CUSTOMER, {"_key": event.customer_phone}).one_or_none()
    addresses = remembered_addresses(event, json.loads(existing.addresses_json) if existing else [])
    address = event.customer_address or (existing.address if existing else None)
    connection.execute(
        UPSERT_CUSTOMER.on(connection),
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
    counts = weighted(((i.menu_item_id, i.name, i.category), i.quantity) for i in event.items)
    connection.execute(
        ADD_CUSTOMER_ITEMS.on(connection),
        [
            {"phone": event.customer_phone, "menu_item_id": item_id, "name": name, "category": category, "quantity": n}
            for (item_id, name, category), n in counts.items()
        ],
    )


def discounted(connection: Connection, position: int, event: OrderDiscountedEvent) -> None:
    """The customer spent the discounted total."""
    connection.execute(
        SPEND_MORE, {"_key": placed_order(connection, event.order_id).customer_phone, "delta": spent_delta(event)}
    )


def spent_delta(event: OrderDiscountedEvent) -> int:
    return event.total_cents - event.previous_total_cents


def edited(connection: Connection, position: int, event: OrderEditedEvent) -> None:
    """The customer spent the edited total instead, on the edited items."""
    phone = event.customer_phone
    connection.execute(SPEND_MORE, {"_key": phone, "delta": event.total_cents - event.previous_total_cents})
    was = weighted((i.menu_item_id, i.quantity) for i in event.previous_items)
    connection.execute(
        UNCOUNT_CUSTOMER_ITEM, [{"_key": phone, "item": item_id, "quantity": n} for item_id, n in was.items()]
    )
    now = weighted(((i.menu_item_id, i.name, i.category), i.quantity) for i in event.items)
    connection.execute(
        ADD_CUSTOMER_ITEMS.on(connection),
        [
            {"phone": phone, "menu_item_id": item_id, "name": name, "category": category, "quantity": n}
            for (item_id, name, category), n in now.items()
        ],
    )


def cancelled(connection: Connection, position: int, event: OrderCancelledEvent) -> None:
    order = placed_order(connection, event.order_id)
    connection.execute(UNCOUNT_CUSTOMER, {"_key": order.customer_phone, "total_cents": order.total_cents})
    counts = weighted((item["menu_item_id"], quantity_of(item)) for item in json.loads(order.items_json))
    connection.execute(
        UNCOUNT_CUSTOMER_ITEM,
        [{"_key": order.customer_phone, "item": item_id, "quantity": n} for item_id, n in counts.items()],
    )


def left_open_closed(connection: Connection, position: int, event: LeftOpenOrderClosedEvent) -> None:
    if event.outcome == "cancelled":
        cancelled(connection, position, as_cancelled(event))


def menu_updated(connection: Connection, position: int, event: MenuUpdatedEvent) -> None:
    """A customer's count of an item follows the item's category (favourite pizzas)."""
    connection.execute(
        REFILE_CUSTOMER_ITEMS, {"_key": event.item_id, "_category": event.category, "category": event.category}
    )


# rebuild ------------------------------------------------------------------------------------------------------------


class CustomersRebuild(RebuildStep):
    def __init__(self, steps: RebuildSteps) -> None:
        order_list_step = steps.get(OrderListRebuild)
        self._orders, self._items = order_list_step.orders, order_list_step.items
        self.customers: dict[str, dict[str, Any]] = {}
        self.addresses: dict[str, list[str]] = {}
        self.customer_items: dict[tuple[str, str], dict[str, Any]] = {}

    def handlers(self) -> Mapping[type[DomainEvent], RowHandler]:
        return {
            OrderPlacedEvent: self._placed,
            OrderCancelledEvent: self._cancelled,
            LeftOpenOrderClosedEvent: self._left_open_closed,
            MenuUpdatedEvent: self._menu_updated,
            OrderEditedEvent: self._edited,
            OrderDiscountedEvent: self._discounted,
        }

    def _placed(self, position: int, event: OrderPlacedEvent) -> None:
        phone = event.customer_phone
        existing = self.customers.get(phone)
        self.addresses[phone] = remembered_addresses(event, self.addresses.get(phone, []))
        address = event.customer_address or (existing["address"] if existing else None)
        if existing is None:
            self.customers[phone] = {
                "phone": phone,
                "name": event.customer_name,
                "address": address,
                "total_orders": 1,
                "total_spent_cents": event.total_cents,
                "first_order_at": event.occurred_at,
                "last_order_at": event.occurred_at,
                "last_order_id": event.order_id,
            }
        else:
            existing.update(
                name=event.customer_name,
                address=address,
                total_orders=existing["total_orders"] + 1,
                total_spent_cents=existing["total_spent_cents"] + event.total_cents,
                last_order_at=event.occurred_at,
                last_order_id=event.order_id,
            )
        for (item_id, name, category), quantity in weighted(
            ((i.menu_item_id, i.name, i.category), i.quantity) for i in event.items
        ).items():
            row = self.customer_items.setdefault(
                (phone, item_id), {"phone": phone, "menu_item_id": item_id, "quantity": 0}
            )
            row.update(name=name, category=category)
            row["quantity"] += quantity

    def _discounted(self, position: int, event: OrderDiscountedEvent) -> None:
        phone = self._orders[event.order_id]["customer_phone"]
        self.customers[phone]["total_spent_cents"] += spent_delta(event)

    def _edited(self, position: int, event: OrderEditedEvent) -> None:
        phone = event.customer_phone
        self.customers[phone]["total_spent_cents"] += event.total_cents - event.previous_total_cents
        for item_id, quantity in weighted((i.menu_item_id, i.quantity) for i in event.previous_items).items():
            self.customer_items[(phone, item_id)]["quantity"] -= quantity
        for (item_id, name, category), quantity in weighted(
            ((i.menu_item_id, i.name, i.category), i.quantity) for i in event.items
        ).items():
            row = self.customer_items.setdefault(
                (phone, item_id), {"phone": phone, "menu_item_id": item_id, "quantity": 0}
            )
            row.update(name=name, category=category)
            row["quantity"] += quantity

    def _cancelled(self, position: int, event: OrderCancelledEvent) -> None:
        order = self._orders[event.order_id]
        customer = self.customers[order["customer_phone"]]
        customer["total_orders"] -= 1
        customer["total_spent_cents"] -= order["total_cents"]
        for item_id, quantity in weighted(
            (item["menu_item_id"], quantity_of(item)) for item in self._items[event.order_id]
        ).items():
            self.customer_items[(order["customer_phone"], item_id)]["quantity"] -= quantity

    def _left_open_closed(self, position: int, event: LeftOpenOrderClosedEvent) -> None:
        if event.outcome == "cancelled":
            self._cancelled(position, as_cancelled(event))

    def _menu_updated(self, position: int, event: MenuUpdatedEvent) -> None:
        for row in self.customer_items.values():
            if row["menu_item_id"] == event.item_id:
                row["category"] = event.category

    def rows(self) -> Rows:
        for phone, customer in self.customers.items():
            customer["addresses_json"] = dumps(self.addresses[phone])
        return ((customers, self.customers.values()), (customer_items, self.customer_items.values()))


# queries ------------------------------------------------------------------------------------------------------------


def favorites(connection: Connection, phone: str) -> list[str]:
    rows = connection.execute(
        select(customer_items.c.name)
        .where(customer_items.c.phone == phone, customer_items.c.category == "pizza", customer_items.c.quantity > 0)
        .order_by(customer_items.c.quantity.desc(), customer_items.c.name)
        .limit(FAVORITES)
    )
    return [row.name for row in rows]


class GetOrderHistoryHandler(ReadHandler, QueryHandler[GetOrderHistoryQuery, OperationResult[OrderHistoryDto]]):
    async def handle_async(self, request: GetOrderHistoryQuery) -> OperationResult[OrderHistoryDto]:
        phone = normalize_phone(request.customer_phone, "customer_phone")

        def read(connection: Connection) -> OrderHistoryDto:
            customer = connection.execute(select(customers).where(customers.c.phone == phone)).one_or_none()
            orders = summaries(
                connection,
                "customer_phone = ?",
                (phone, request.page_size, (request.page - 1) * request.page_size),
                "placed_at DESC, order_number DESC LIMIT ? OFFSET ?",
            )
            return OrderHistoryDto(
                customer_phone=phone,
                customer_name=customer.name if customer else None,
                orders=orders,
                total_orders=customer.total_orders if customer else 0,
                total_spent=money(customer.total_spent_cents if customer else 0),
                favorite_pizzas=favorites(connection, phone),
                page=request.page,
                page_size=request.page_size,
            )

        return self.ok(await self._store.read(read))


class GetCustomerHandler(ReadHandler, QueryHandler[GetCustomerQuery, OperationResult[CustomerDto]]):
    async def handle_async(self, request: GetCustomerQuery) -> OperationResult[CustomerDto]:
        phone = normalize_phone(request.phone, "phone")

        def read(connection: Connection) -> CustomerDto | None:
            row = connection.execute(select(customers).where(customers.c.phone == phone)).one_or_none()
            if row is None:
                return None
            last = connection.execute(
                select(order_list.c.order_id, order_list.c.placed_at)
                .where(order_list.c.customer_phone == phone, order_list.c.status != "cancelled")
                .order_by(order_list.c.placed_at.desc(), order_list.c.last_position.desc())
                .limit(1)
            ).one_or_none()
            return CustomerDto(
                phone=row.phone,
                name=row.name,
                address=row.address,
                addresses=json.loads(row.addresses_json),
                total_orders=row.total_orders,
                total_spent=money(row.total_spent_cents),
                favorite_pizzas=favorites(connection, phone),
                first_order_at=row.first_order_at,
                last_order_at=last.placed_at if last is not None else row.last_order_at,
                last_order_id=last.order_id if last is not None else None,
            )

        customer = await self._store.read(read)
        if customer is None:
            return self.not_found(f"No customer with phone {phone} yet")
        return self.ok(customer)


READ_MODEL = ReadModel(
    name="customers",
    tables=(customers, customer_items),
    projections=(
        on(OrderPlacedEvent, order_placed),
        on(OrderCancelledEvent, cancelled),
        on(LeftOpenOrderClosedEvent, left_open_closed),
        on(MenuUpdatedEvent, menu_updated),
        on(OrderEditedEvent, edited),
        on(OrderDiscountedEvent, discounted),
    ),
    rebuild_step=CustomersRebuild,
    module=__name__,
)
