"""Query handlers over the read-model tables. Each query is one read, run off the event loop."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, func, select

from pos_app.domain.customers import normalize_phone
from pos_app.domain.money import Money, round_half_up
from pos_app.mediation import OperationResult, QueryHandler
from pos_app.messages.dtos import (
    CustomerDto,
    DailySalesDto,
    KitchenItemDto,
    KitchenPerformanceDto,
    KitchenTicketDto,
    OrderHistoryDto,
    OrderPageDto,
    OrderStatusDto,
    OrderSummaryDto,
    PopularPizzaDto,
)
from pos_app.messages.queries import (
    GetCustomerQuery,
    GetDailySalesQuery,
    GetDeliveryOrdersQuery,
    GetKitchenPerformanceQuery,
    GetKitchenQueueQuery,
    GetLastCompletedTicketQuery,
    GetLeftOpenOrdersQuery,
    GetOrderHistoryQuery,
    GetOrdersQuery,
    GetOrderStatusQuery,
    GetPopularPizzasQuery,
)
from pos_app.read_model.ports import BusinessCalendar, ReadStore
from pos_app.read_model.tables import (
    customer_items,
    customers,
    item_sales,
    kitchen_daily,
    order_list,
    sales,
)
from pos_app.read_model.trusted import TrustedDto, uuid_from_hex

FAVORITES = 3
PERIOD_DAYS = {"today": 1, "last_7_days": 7, "last_30_days": 30, "last_90_days": 90}


def money(cents: int) -> Any:
    return Money(int(cents)).to_decimal()


new_order_summary = TrustedDto(OrderSummaryDto)
new_ticket = TrustedDto(KitchenTicketDto)
new_ticket_item = TrustedDto(KitchenItemDto)


# The order lists (a day's orders, a customer's history, the delivery board) are the longest reads: they run as plain
# SQL over the columns they show, and turn each row into a DTO directly (benchmarked in tests/benchmarks/).
SUMMARY_SQL = (
    "SELECT order_id, order_number, business_date, placed_at, customer_name, customer_phone, customer_address,"
    " order_type, items_summary, item_count, total_cents, status, paid, payment_method, estimated_ready_at,"
    " ready_at, completed_at, driver_id FROM order_list_view"
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
    )


def summaries(connection: Connection, where: str, params: tuple[Any, ...], order: str) -> list[OrderSummaryDto]:
    rows = connection.exec_driver_sql(f"{SUMMARY_SQL} WHERE {where} ORDER BY {order}", params).fetchall()
    return [order_summary(row) for row in rows]


TICKET_SQL = (
    "SELECT order_id, order_number, order_type, customer_name, status, placed_at, started_at, estimated_ready_at,"
    " completed_at, items_json FROM kitchen_queue_view"
)
OPEN_TICKETS_SQL = (
    f"{TICKET_SQL} WHERE completed_at IS NULL"
    " AND order_id IN (SELECT order_id FROM order_list_view WHERE business_date = ?) ORDER BY position"
)
"""The business day's open tickets: an order left open on an earlier day is the manager's to close, not cooking."""
LAST_COMPLETED_SQL = f"{TICKET_SQL} WHERE completed_at IS NOT NULL ORDER BY completed_at DESC LIMIT 1"


def kitchen_ticket(row: Any) -> KitchenTicketDto:
    """A row of TICKET_SQL as the DTO (the kitchen screen's longest read, built like the order lists)."""
    items = [
        new_ticket_item(
            index=index,
            name=item["name"],
            category=item["category"],
            size=item["size"],
            toppings=item["toppings"],
            special_instructions=item["notes"],
            ready=item["ready"],
        )
        for index, item in enumerate(json.loads(row[9]))
    ]
    return new_ticket(
        order_id=uuid_from_hex(row[0]),
        order_number=row[1],
        order_type=row[2],
        customer_name=row[3],
        status=row[4],
        placed_at=datetime.fromisoformat(row[5]),
        started_at=datetime.fromisoformat(row[6]) if row[6] else None,
        estimated_ready_time=datetime.fromisoformat(row[7]),
        completed_at=datetime.fromisoformat(row[8]) if row[8] else None,
        items=items,
    )


def favorites(connection: Connection, phone: str) -> list[str]:
    rows = connection.execute(
        select(customer_items.c.name)
        .where(customer_items.c.phone == phone, customer_items.c.category == "pizza", customer_items.c.quantity > 0)
        .order_by(customer_items.c.quantity.desc(), customer_items.c.name)
        .limit(FAVORITES)
    )
    return [row.name for row in rows]


class _ReadHandler:
    def __init__(self, store: ReadStore, calendar: BusinessCalendar) -> None:
        self._store = store
        self._calendar = calendar


class GetOrderStatusHandler(_ReadHandler, QueryHandler[GetOrderStatusQuery, OperationResult[OrderStatusDto]]):
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


MAX_ORDER_NUMBER_DIGITS = 6


def _order_number(text: str) -> int | None:
    """`12` as an order number; None for anything that is not a plain, short run of ASCII digits."""
    if text.isascii() and text.isdigit() and len(text) <= MAX_ORDER_NUMBER_DIGITS:
        return int(text)
    return None


def search_condition(text: str) -> tuple[str, tuple[Any, ...]]:
    """`#12` finds order 12; other text finds names containing it, and phones containing its digits."""
    if text.startswith("#"):
        number = _order_number(text[1:])
        return ("order_number = ?", (number,)) if number is not None else ("0", ())
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    terms: list[str] = ["pos_casefold(customer_name) LIKE ? ESCAPE '\\'"]
    params: list[Any] = [pattern]
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if digits:
        terms.append("customer_phone LIKE ?")
        params.append(f"%{digits}%")
    number = _order_number(text)
    if number is not None:
        terms.append("order_number = ?")
        params.append(number)
    return "(" + " OR ".join(terms) + ")", tuple(params)


class GetOrdersHandler(_ReadHandler, QueryHandler[GetOrdersQuery, OperationResult[OrderPageDto]]):
    async def handle_async(self, request: GetOrdersQuery) -> OperationResult[OrderPageDto]:
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
            total = connection.exec_driver_sql(f"SELECT count(*) FROM order_list_view WHERE {where}", tuple(params))
            items = summaries(
                connection,
                where,
                (*params, request.page_size, (request.page - 1) * request.page_size),
                "placed_at DESC, order_number DESC LIMIT ? OFFSET ?",
            )
            return OrderPageDto(items=items, total=total.scalar_one(), page=request.page, page_size=request.page_size)

        return self.ok(await self._store.read(read))


# Written out, not bound, so SQLite sees they match the partial index ix_order_list_open.
LEFT_OPEN = "status IN ('pending', 'cooking', 'ready', 'out_for_delivery') AND business_date < ?"


class GetLeftOpenOrdersHandler(_ReadHandler, QueryHandler[GetLeftOpenOrdersQuery, OperationResult[OrderPageDto]]):
    async def handle_async(self, request: GetLeftOpenOrdersQuery) -> OperationResult[OrderPageDto]:
        today = self._calendar.today().isoformat()

        def read(connection: Connection) -> OrderPageDto:
            total = connection.exec_driver_sql(f"SELECT count(*) FROM order_list_view WHERE {LEFT_OPEN}", (today,))
            items = summaries(
                connection,
                LEFT_OPEN,
                (today, request.page_size, (request.page - 1) * request.page_size),
                "business_date, placed_at, order_number LIMIT ? OFFSET ?",
            )
            return OrderPageDto(items=items, total=total.scalar_one(), page=request.page, page_size=request.page_size)

        return self.ok(await self._store.read(read))


class GetOrderHistoryHandler(_ReadHandler, QueryHandler[GetOrderHistoryQuery, OperationResult[OrderHistoryDto]]):
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


class GetKitchenQueueHandler(_ReadHandler, QueryHandler[GetKitchenQueueQuery, OperationResult[list[KitchenTicketDto]]]):
    async def handle_async(self, request: GetKitchenQueueQuery) -> OperationResult[list[KitchenTicketDto]]:
        today = self._calendar.today().isoformat()

        def read(connection: Connection) -> list[KitchenTicketDto]:
            rows = connection.exec_driver_sql(OPEN_TICKETS_SQL, (today,)).fetchall()
            return [kitchen_ticket(row) for row in rows]

        return self.ok(await self._store.read(read))


class GetLastCompletedTicketHandler(
    _ReadHandler, QueryHandler[GetLastCompletedTicketQuery, OperationResult[KitchenTicketDto | None]]
):
    async def handle_async(self, request: GetLastCompletedTicketQuery) -> OperationResult[KitchenTicketDto | None]:
        def read(connection: Connection) -> KitchenTicketDto | None:
            row = connection.exec_driver_sql(LAST_COMPLETED_SQL).fetchone()
            return None if row is None else kitchen_ticket(row)

        return self.ok(await self._store.read(read))


# Written out, not bound, so SQLite sees they match the partial index ix_order_list_delivery.
DELIVERIES_ALL = "order_type = 'delivery' AND status IN ('ready', 'out_for_delivery')"
DELIVERIES_WAITING = f"{DELIVERIES_ALL} AND status = 'ready'"


class GetDeliveryOrdersHandler(
    _ReadHandler, QueryHandler[GetDeliveryOrdersQuery, OperationResult[list[OrderSummaryDto]]]
):
    async def handle_async(self, request: GetDeliveryOrdersQuery) -> OperationResult[list[OrderSummaryDto]]:
        where = DELIVERIES_ALL if request.include_out_for_delivery else DELIVERIES_WAITING
        return self.ok(await self._store.read(lambda c: summaries(c, where, (), "placed_at, order_number")))


class GetPopularPizzasHandler(
    _ReadHandler, QueryHandler[GetPopularPizzasQuery, OperationResult[list[PopularPizzaDto]]]
):
    async def handle_async(self, request: GetPopularPizzasQuery) -> OperationResult[list[PopularPizzaDto]]:
        conditions = [item_sales.c.category == "pizza"]
        days = PERIOD_DAYS.get(request.time_period)
        if days is not None:
            today = self._calendar.today()
            conditions += [
                item_sales.c.business_date >= today - timedelta(days=days - 1),
                item_sales.c.business_date <= today,
            ]
        quantity = func.sum(item_sales.c.quantity).label("quantity")

        def read(connection: Connection) -> list[PopularPizzaDto]:
            rows = connection.execute(
                select(
                    item_sales.c.menu_item_id,
                    func.max(item_sales.c.name).label("name"),
                    quantity,
                    func.sum(item_sales.c.revenue_cents).label("revenue"),
                )
                .where(*conditions)
                .group_by(item_sales.c.menu_item_id)
                .having(quantity > 0)
                .order_by(quantity.desc(), item_sales.c.menu_item_id)
                .limit(request.limit)
            )
            return [
                PopularPizzaDto(pizza_id=r.menu_item_id, name=r.name, quantity=r.quantity, revenue=money(r.revenue))
                for r in rows
            ]

        return self.ok(await self._store.read(read))


class GetDailySalesHandler(_ReadHandler, QueryHandler[GetDailySalesQuery, OperationResult[DailySalesDto]]):
    async def handle_async(self, request: GetDailySalesQuery) -> OperationResult[DailySalesDto]:
        day = request.date or self._calendar.today()

        def read(connection: Connection) -> DailySalesDto:
            row = connection.execute(select(sales).where(sales.c.business_date == day)).one_or_none()
            figures = {c.name: 0 for c in sales.c if c.name != "business_date"}
            if row is not None:
                figures.update({name: getattr(row, name) for name in figures})
            top = connection.execute(
                select(item_sales)
                .where(item_sales.c.business_date == day, item_sales.c.quantity > 0)
                .order_by(item_sales.c.quantity.desc(), item_sales.c.menu_item_id)
                .limit(5)
            )
            paid = figures["cash_cents"] + figures["card_cents"] - figures["refund_cents"]
            orders = figures["orders"]
            return DailySalesDto(
                date=day,
                orders=orders,
                cancelled_orders=figures["cancelled_orders"],
                items_sold=figures["items_sold"],
                total_sales=money(figures["total_cents"]),
                tax=money(figures["tax_cents"]),
                delivery_fees=money(figures["delivery_fee_cents"]),
                cash=money(figures["cash_cents"]),
                card=money(figures["card_cents"]),
                refunds=money(figures["refund_cents"]),
                unpaid=money(figures["total_cents"] - paid),
                average_order=money(round_half_up(Fraction(figures["total_cents"], orders)) if orders else 0),
                pickup_orders=figures["pickup_orders"],
                delivery_orders=figures["delivery_orders"],
                dine_in_orders=figures["dine_in_orders"],
                top_items=[
                    PopularPizzaDto(
                        pizza_id=r.menu_item_id, name=r.name, quantity=r.quantity, revenue=money(r.revenue_cents)
                    )
                    for r in top
                ],
            )

        return self.ok(await self._store.read(read))


class GetKitchenPerformanceHandler(
    _ReadHandler, QueryHandler[GetKitchenPerformanceQuery, OperationResult[KitchenPerformanceDto]]
):
    async def handle_async(self, request: GetKitchenPerformanceQuery) -> OperationResult[KitchenPerformanceDto]:
        def read(connection: Connection) -> Any:
            return connection.execute(
                select(
                    func.coalesce(func.sum(kitchen_daily.c.orders_completed), 0).label("orders"),
                    func.coalesce(func.sum(kitchen_daily.c.items_completed), 0).label("items"),
                    func.coalesce(func.sum(kitchen_daily.c.cooking_seconds), 0).label("cooking"),
                    func.coalesce(func.sum(kitchen_daily.c.ready_seconds), 0).label("ready"),
                    func.coalesce(func.sum(kitchen_daily.c.on_time_orders), 0).label("on_time"),
                    func.coalesce(func.sum(kitchen_daily.c.late_orders), 0).label("late"),
                ).where(kitchen_daily.c.business_date >= request.start, kitchen_daily.c.business_date <= request.end)
            ).one()

        row = await self._store.read(read)
        orders = int(row.orders)
        return self.ok(
            KitchenPerformanceDto(
                start=request.start,
                end=request.end,
                orders_completed=orders,
                items_completed=int(row.items),
                average_cooking_minutes=round(row.cooking / 60 / orders, 1) if orders else 0.0,
                average_ready_minutes=round(row.ready / 60 / orders, 1) if orders else 0.0,
                on_time_orders=int(row.on_time),
                late_orders=int(row.late),
                on_time_rate=round(row.on_time / orders, 3) if orders else 0.0,
            )
        )


class GetCustomerHandler(_ReadHandler, QueryHandler[GetCustomerQuery, OperationResult[CustomerDto]]):
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
