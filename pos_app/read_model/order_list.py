"""The order list (`order_list_view`): one row per order. The order list, the delivery board and an order's status
read it here, the orders left open in `left_open.py`, a customer's history in `customers.py`; the customers, sales
and kitchen-performance read models read the order as placed from it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, Connection, Index, Integer, String, Text, bindparam, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.domain.customers import normalize_phone
from pos_app.domain.events import (
    CookingStartedEvent,
    DomainEvent,
    LeftOpenOrderClosedEvent,
    OrderCancelledEvent,
    OrderDeliveredEvent,
    OrderDiscountedEvent,
    OrderEditedEvent,
    OrderItemData,
    OrderOutForDeliveryEvent,
    OrderPickedUpEvent,
    OrderPlacedEvent,
    OrderReadyEvent,
    PaymentProcessedEvent,
    PizzaReadyEvent,
)
from pos_app.mediation import OperationResult, QueryHandler
from pos_app.messages.dtos import OrderPageDto, OrderStatusDto, OrderSummaryDto
from pos_app.messages.queries import GetDeliveryOrdersQuery, GetOrdersQuery, GetOrderStatusQuery
from pos_app.read_model.changes import changes_since
from pos_app.read_model.definition import ReadModel, RebuildStep, RebuildSteps, RowHandler, Rows, on
from pos_app.read_model.handler import ReadHandler
from pos_app.read_model.order_items import dumps, edited_items, item_json
from pos_app.read_model.order_search import search_condition
from pos_app.read_model.statements import update_by_key
from pos_app.read_model.trusted import TrustedDto, uuid_from_hex
from pos_app.schema import Base, Day, HexUuid, Instant, partial_index, table
from pos_app.schema.dialects import driver_sql


class OrderListRecord(Base):
    """One row per order: the order list, delivery board and customer history read it."""

    __tablename__ = "order_list_view"

    order_id: Mapped[UUID] = mapped_column(HexUuid, primary_key=True)
    order_number: Mapped[int] = mapped_column(Integer)
    business_date: Mapped[date] = mapped_column(Day)
    placed_at: Mapped[datetime] = mapped_column(Instant)
    customer_name: Mapped[str] = mapped_column(String(80))
    customer_phone: Mapped[str] = mapped_column(String(20))
    customer_address: Mapped[str | None] = mapped_column(String(200))
    order_type: Mapped[str] = mapped_column(String(12))
    items_summary: Mapped[str] = mapped_column(Text)
    items_json: Mapped[str] = mapped_column(Text)
    item_count: Mapped[int] = mapped_column(Integer)
    items_ready: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    delivery_fee_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    paid: Mapped[bool] = mapped_column(Boolean)
    payment_method: Mapped[str] = mapped_column(String(8))
    estimated_ready_at: Mapped[datetime] = mapped_column(Instant)
    started_at: Mapped[datetime | None] = mapped_column(Instant)
    ready_at: Mapped[datetime | None] = mapped_column(Instant)
    completed_at: Mapped[datetime | None] = mapped_column(Instant)
    driver_id: Mapped[str | None] = mapped_column(String(40))
    last_position: Mapped[int] = mapped_column(Integer)
    table_number: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_order_list_day", "business_date", "placed_at", "order_number"),
        Index("ix_order_list_phone", "customer_phone", "placed_at"),
        partial_index(
            "ix_order_list_delivery",
            "status",
            where="order_type = 'delivery' AND status IN ('ready', 'out_for_delivery')",
        ),
        partial_index(
            "ix_order_list_open",
            "business_date",
            "placed_at",
            where="status IN ('pending', 'cooking', 'ready', 'out_for_delivery')",
        ),
    )


order_list = table(OrderListRecord)


def items_summary(items: Sequence[OrderItemData]) -> str:
    """`2× Margherita L, Coca-Cola`: what a person reads in one line (a line of 2 counts two)."""
    counts: Counter[tuple[str, str]] = Counter()
    for item in items:
        counts[(item.name, item.size if item.category == "pizza" else "")] += item.quantity
    parts = []
    for (name, size), count in counts.items():
        label = f"{name} {size[0].upper()}" if size else name
        parts.append(f"{count}× {label}" if count > 1 else label)
    return ", ".join(parts)


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


def placed_row(position: int, event: OrderPlacedEvent, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "order_id": event.order_id,
        "order_number": event.order_number,
        "business_date": event.business_date,
        "placed_at": event.occurred_at,
        "customer_name": event.customer_name,
        "customer_phone": event.customer_phone,
        "customer_address": event.customer_address,
        "order_type": event.order_type,
        "items_summary": items_summary(event.items),
        "items_json": dumps(items),
        "item_count": len(event.items),
        "items_ready": sum(1 for item in event.items if not item.needs_preparation),  # ready when placed
        "total_cents": event.total_cents,
        "tax_cents": event.tax_cents,
        "delivery_fee_cents": event.delivery_fee_cents,
        "status": "pending",
        "paid": False,
        "payment_method": event.payment_method,
        "estimated_ready_at": event.estimated_ready_at,
        "started_at": None,
        "ready_at": None,
        "completed_at": None,
        "driver_id": None,
        "last_position": position,
        "table_number": event.table_number,
    }


def edited_values(event: OrderEditedEvent, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The order row's columns an edit changes (`items`: the edited items as stored)."""
    return {
        "order_type": event.order_type,
        "customer_name": event.customer_name,
        "customer_address": event.customer_address,
        "table_number": event.table_number,
        "items_summary": items_summary(event.items),
        "items_json": dumps(items),
        "item_count": len(event.items),
        "items_ready": len(event.ready_items),
        "total_cents": event.total_cents,
        "tax_cents": event.tax_cents,
        "delivery_fee_cents": event.delivery_fee_cents,
        "paid": event.paid,
    }


def discounted_values(event: OrderDiscountedEvent) -> dict[str, Any]:
    return {"total_cents": event.total_cents, "tax_cents": event.tax_cents, "paid": event.paid}


# projections --------------------------------------------------------------------------------------------------------

INSERT_LIST = insert(order_list)
LIST_ITEMS_READY = (
    update(order_list)
    .where(order_list.c.order_id == bindparam("_key"))
    .values(items_ready=order_list.c.items_ready + 1, last_position=bindparam("last_position"))
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


def placed_order(connection: Connection, order_id: Any) -> Any:
    """The order as placed (its customer, day, money, items, times), for the read models that count it."""
    return connection.execute(SELECT_PLACED, {"_key": order_id}).one()


def business_date_of(connection: Connection, order_id: Any) -> Any:
    return connection.execute(SELECT_BUSINESS_DATE, {"_key": order_id}).scalar_one()


def order_placed(connection: Connection, position: int, event: OrderPlacedEvent) -> None:
    connection.execute(INSERT_LIST, placed_row(position, event, [item_json(item) for item in event.items]))


def _update_list(connection: Connection, position: int, event: Any, **values: Any) -> None:
    """Set these columns of the order's row (one prebuilt statement per set of columns: building and compiling an
    UPDATE for each event cost more than running it)."""
    statement = update_by_key(order_list, "order_id", ("last_position", *values))
    connection.execute(statement, {"_key": event.order_id, "last_position": position, **values})


def cooking_started(connection: Connection, position: int, event: CookingStartedEvent) -> None:
    _update_list(connection, position, event, status="cooking", started_at=event.occurred_at)


def pizza_ready(connection: Connection, position: int, event: PizzaReadyEvent) -> None:
    connection.execute(LIST_ITEMS_READY, {"_key": event.order_id, "last_position": position})


def order_ready(connection: Connection, position: int, event: OrderReadyEvent) -> None:
    _update_list(connection, position, event, status="ready", ready_at=event.occurred_at)


def picked_up(connection: Connection, position: int, event: OrderPickedUpEvent) -> None:
    _update_list(connection, position, event, status="picked_up", completed_at=event.occurred_at)


def out_for_delivery(connection: Connection, position: int, event: OrderOutForDeliveryEvent) -> None:
    _update_list(connection, position, event, status="out_for_delivery", driver_id=event.driver_id)


def delivered(connection: Connection, position: int, event: OrderDeliveredEvent) -> None:
    _update_list(connection, position, event, status="delivered", completed_at=event.occurred_at)


def cancelled(connection: Connection, position: int, event: OrderCancelledEvent) -> None:
    _update_list(connection, position, event, status="cancelled")


def payment(connection: Connection, position: int, event: PaymentProcessedEvent) -> None:
    _update_list(connection, position, event, paid=True, payment_method=event.payment_method)


def discounted(connection: Connection, position: int, event: OrderDiscountedEvent) -> None:
    _update_list(connection, position, event, **discounted_values(event))


def edited(connection: Connection, position: int, event: OrderEditedEvent) -> None:
    _update_list(connection, position, event, **edited_values(event, edited_items(event)))


def left_open_closed(connection: Connection, position: int, event: LeftOpenOrderClosedEvent) -> None:
    """Cancelled: as any cancellation. Completed: handed over."""
    if event.outcome == "cancelled":
        cancelled(connection, position, as_cancelled(event))
    else:
        _update_list(connection, position, event, status=event.status, completed_at=event.occurred_at)


# rebuild ------------------------------------------------------------------------------------------------------------


class OrderListRebuild(RebuildStep):
    """The order rows in memory; `orders` and `items` (each order's items as stored) are the order as placed for the
    read models rebuilt after this one."""

    def __init__(self, steps: RebuildSteps) -> None:
        self.orders: dict[UUID, dict[str, Any]] = {}
        self.items: dict[UUID, list[dict[str, Any]]] = {}

    def handlers(self) -> Mapping[type[DomainEvent], RowHandler]:
        return {
            OrderPlacedEvent: self._placed,
            CookingStartedEvent: lambda p, e: self._list(p, e, status="cooking", started_at=e.occurred_at),
            PizzaReadyEvent: self._pizza_ready,
            OrderReadyEvent: lambda p, e: self._list(p, e, status="ready", ready_at=e.occurred_at),
            OrderPickedUpEvent: lambda p, e: self._list(p, e, status="picked_up", completed_at=e.occurred_at),
            OrderOutForDeliveryEvent: lambda p, e: self._list(p, e, status="out_for_delivery", driver_id=e.driver_id),
            OrderDeliveredEvent: lambda p, e: self._list(p, e, status="delivered", completed_at=e.occurred_at),
            OrderCancelledEvent: lambda p, e: self._list(p, e, status="cancelled"),
            PaymentProcessedEvent: lambda p, e: self._list(p, e, paid=True, payment_method=e.payment_method),
            LeftOpenOrderClosedEvent: self._left_open_closed,
            OrderEditedEvent: self._edited,
            OrderDiscountedEvent: lambda p, e: self._list(p, e, **discounted_values(e)),
        }

    def _placed(self, position: int, event: OrderPlacedEvent) -> None:
        items = [item_json(item) for item in event.items]
        self.items[event.order_id] = items
        self.orders[event.order_id] = placed_row(position, event, items)

    def _list(self, position: int, event: Any, **values: Any) -> None:
        row = self.orders[event.order_id]
        row.update(values)
        row["last_position"] = position

    def _pizza_ready(self, position: int, event: PizzaReadyEvent) -> None:
        row = self.orders[event.order_id]
        row["items_ready"] += 1
        row["last_position"] = position

    def _edited(self, position: int, event: OrderEditedEvent) -> None:
        items = self.items[event.order_id] = edited_items(event)
        self._list(position, event, **edited_values(event, items))

    def _left_open_closed(self, position: int, event: LeftOpenOrderClosedEvent) -> None:
        if event.outcome == "cancelled":
            self._list(position, event, status="cancelled")
        else:
            self._list(position, event, status=event.status, completed_at=event.occurred_at)

    def rows(self) -> Rows:
        return ((order_list, self.orders.values()),)


# queries ------------------------------------------------------------------------------------------------------------

new_order_summary = TrustedDto(OrderSummaryDto)

# The order lists (a day's orders, a customer's history, the delivery board) are the longest reads: they run as plain
# SQL over the columns they show, and turn each row into a DTO directly (benchmarked in tests/benchmarks/).
SUMMARY_SQL = (
    "SELECT order_id, order_number, business_date, placed_at, customer_name, customer_phone, customer_address,"
    " order_type, items_summary, item_count, total_cents, status, paid, payment_method, estimated_ready_at,"
    " ready_at, completed_at, driver_id, table_number FROM order_list_view"
)


def order_summary(row: Any) -> OrderSummaryDto:
    """A row of SUMMARY_SQL as the DTO (stored values: hex UUID, ISO dates and instants, cents)."""
    return new_order_summary(
        order_id=uuid_from_hex(row[0]),
        order_number=row[1],
        business_date=date.fromisoformat(row[2]),
        placed_at=datetime.fromisoformat(row[3]),
        customer_name=row[4],
        customer_phone=row[5],
        customer_address=row[6],
        order_type=row[7],
        items_summary=row[8],
        item_count=row[9],
        total_amount=Decimal(row[10]).scaleb(-2),
        status=row[11],
        paid=bool(row[12]),
        payment_method=row[13],
        estimated_ready_time=datetime.fromisoformat(row[14]),
        ready_at=datetime.fromisoformat(row[15]) if row[15] else None,
        completed_at=datetime.fromisoformat(row[16]) if row[16] else None,
        driver_id=row[17],
        table_number=row[18],
    )


def summaries(connection: Connection, where: str, params: tuple[Any, ...], order: str) -> list[OrderSummaryDto]:
    rows = driver_sql(connection, f"{SUMMARY_SQL} WHERE {where} ORDER BY {order}", params).fetchall()
    return [order_summary(row) for row in rows]


class GetOrderStatusHandler(ReadHandler, QueryHandler[GetOrderStatusQuery, OperationResult[OrderStatusDto]]):
    async def handle_async(self, request: GetOrderStatusQuery) -> OperationResult[OrderStatusDto]:
        def read(connection: Connection) -> Any:
            return connection.execute(
                select(
                    order_list.c.order_number,
                    order_list.c.status,
                    order_list.c.estimated_ready_at,
                    order_list.c.items_ready,
                    order_list.c.item_count,
                ).where(order_list.c.order_id == request.order_id)
            ).one_or_none()

        row = await self._store.read(read)
        if row is None:
            return self.not_found(f"There is no order {request.order_id}")
        return self.ok(
            OrderStatusDto(
                order_id=request.order_id,
                order_number=row.order_number,
                status=row.status,
                estimated_ready_time=row.estimated_ready_at,
                items_ready=row.items_ready,
                items_total=row.item_count,
            )
        )


NEWEST_FIRST = "placed_at DESC, order_number DESC"


class GetOrdersHandler(ReadHandler, QueryHandler[GetOrdersQuery, OperationResult[OrderPageDto]]):
    async def handle_async(self, request: GetOrdersQuery) -> OperationResult[OrderPageDto]:
        if request.changed_since is not None and (request.status or request.customer_phone or request.search):
            return self.bad_request(
                "changed_since lists every changed order of the day: it cannot be combined with a status, a phone"
                " or a search",
                {"changed_since": ["not with status, customer_phone or search"]},
            )
        day = request.date or self._calendar.today()
        terms: list[str] = ["business_date = ?"]
        params: list[Any] = [day.isoformat()]
        if request.status is not None:
            terms.append("status = ?")
            params.append(request.status)
        if request.customer_phone:
            terms.append("customer_phone = ?")
            params.append(normalize_phone(request.customer_phone))
        if request.search and request.search.strip():
            term, term_params = search_condition(request.search.strip().casefold())
            terms.append(term)
            params.extend(term_params)
        where = " AND ".join(terms)

        def read(connection: Connection) -> OrderPageDto:
            changes = changes_since(connection, request.changed_since)
            total = driver_sql(connection, f"SELECT count(*) FROM order_list_view WHERE {where}", tuple(params))
            if changes.order_ids is None:
                items = summaries(
                    connection,
                    where,
                    (*params, request.page_size, (request.page - 1) * request.page_size),
                    f"{NEWEST_FIRST} LIMIT ? OFFSET ?",
                )
            elif changes.order_ids:
                # By key, then the day: with both in SQL, SQLite walks the whole day by its date index instead.
                changed = summaries(connection, f"order_id IN ({changes.id_list()})", changes.order_ids, NEWEST_FIRST)
                items = [order for order in changed if order.business_date == day]
            else:
                items = []
            return OrderPageDto(
                items=items,
                total=total.scalar_one(),
                page=request.page,
                page_size=request.page_size,
                position=changes.position,
                changes_only=changes.order_ids is not None,
                business_date=day,
            )

        return self.ok(await self._store.read(read))


# Written out, not bound, so SQLite sees they match the partial index ix_order_list_delivery.
DELIVERIES_ALL = "order_type = 'delivery' AND status IN ('ready', 'out_for_delivery')"
DELIVERIES_WAITING = f"{DELIVERIES_ALL} AND status = 'ready'"


class GetDeliveryOrdersHandler(
    ReadHandler, QueryHandler[GetDeliveryOrdersQuery, OperationResult[list[OrderSummaryDto]]]
):
    async def handle_async(self, request: GetDeliveryOrdersQuery) -> OperationResult[list[OrderSummaryDto]]:
        where = DELIVERIES_ALL if request.include_out_for_delivery else DELIVERIES_WAITING
        return self.ok(await self._store.read(lambda c: summaries(c, where, (), "placed_at, order_number")))


READ_MODEL = ReadModel(
    name="order list",
    tables=(order_list,),
    projections=(
        on(OrderPlacedEvent, order_placed),
        on(CookingStartedEvent, cooking_started),
        on(PizzaReadyEvent, pizza_ready),
        on(OrderReadyEvent, order_ready),
        on(OrderPickedUpEvent, picked_up),
        on(OrderOutForDeliveryEvent, out_for_delivery),
        on(OrderDeliveredEvent, delivered),
        on(OrderCancelledEvent, cancelled),
        on(PaymentProcessedEvent, payment),
        on(LeftOpenOrderClosedEvent, left_open_closed),
        on(OrderEditedEvent, edited),
        on(OrderDiscountedEvent, discounted),
    ),
    rebuild_step=OrderListRebuild,
    module=__name__,
)
