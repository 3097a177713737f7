"""The sales (`sales_daily_view`, `sales_item_daily_view`): each business day's figures, and each menu item's
quantity and revenue that day. The day close (daily sales) and the popular pizzas read them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, Integer, String, bindparam, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.domain.events import (
    DomainEvent,
    LeftOpenOrderClosedEvent,
    MenuUpdatedEvent,
    OrderCancelledEvent,
    OrderDiscountedEvent,
    OrderEditedEvent,
    OrderPlacedEvent,
    PaymentProcessedEvent,
)
from pos_app.domain.money import round_half_up
from pos_app.mediation import OperationResult, QueryHandler
from pos_app.messages.dtos import DailySalesDto, PopularPizzaDto
from pos_app.messages.queries import GetDailySalesQuery, GetPopularPizzasQuery
from pos_app.read_model.definition import ReadModel, RebuildStep, RebuildSteps, RowHandler, Rows, on
from pos_app.read_model.handler import ReadHandler, money
from pos_app.read_model.order_items import item_json, pizza_count, quantity_of
from pos_app.read_model.order_list import OrderListRebuild, as_cancelled, business_date_of, placed_order
from pos_app.read_model.sales_deltas import TYPE_COLUMNS, discounted_deltas, edited_deltas
from pos_app.read_model.statements import add_to_counters
from pos_app.schema import Base, Day, table

PERIOD_DAYS = {"today": 1, "last_7_days": 7, "last_30_days": 30, "last_90_days": 90}


class DailySalesRecord(Base):
    __tablename__ = "sales_daily_view"

    business_date: Mapped[date] = mapped_column(Day, primary_key=True)
    orders: Mapped[int] = mapped_column(Integer)
    cancelled_orders: Mapped[int] = mapped_column(Integer)
    items_sold: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    delivery_fee_cents: Mapped[int] = mapped_column(Integer)
    cash_cents: Mapped[int] = mapped_column(Integer)
    card_cents: Mapped[int] = mapped_column(Integer)
    refund_cents: Mapped[int] = mapped_column(Integer)
    pickup_orders: Mapped[int] = mapped_column(Integer)
    delivery_orders: Mapped[int] = mapped_column(Integer)
    dine_in_orders: Mapped[int] = mapped_column(Integer)


class DailyItemSalesRecord(Base):
    __tablename__ = "sales_item_daily_view"

    business_date: Mapped[date] = mapped_column(Day, primary_key=True)
    menu_item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    revenue_cents: Mapped[int] = mapped_column(Integer)


sales = table(DailySalesRecord)
item_sales = table(DailyItemSalesRecord)

_TYPE_COLUMNS = TYPE_COLUMNS
_SALES_COUNTERS = tuple(c.name for c in sales.c if c.name != "business_date")


def refund_day(event: OrderCancelledEvent, order_day: date) -> date:
    """A refund is booked to the business day the money moved back (events stored before that day was recorded
    keep it with the order's day)."""
    return event.business_date or order_day


def placed_deltas(event: OrderPlacedEvent) -> dict[str, int]:
    return {
        "orders": 1,
        "items_sold": sum(item.quantity for item in event.items),
        "total_cents": event.total_cents,
        "tax_cents": event.tax_cents,
        "delivery_fee_cents": event.delivery_fee_cents,
        _TYPE_COLUMNS[event.order_type]: 1,
    }


def cancelled_deltas(order: Mapping[str, Any], items: list[dict[str, Any]]) -> dict[str, int]:
    """Taking back the sale of the order as placed (`order`: its row in the order list; `items`: its stored items)."""
    return {
        "orders": -1,
        "cancelled_orders": 1,
        "items_sold": -pizza_count(items),
        "total_cents": -order["total_cents"],
        "tax_cents": -order["tax_cents"],
        "delivery_fee_cents": -order["delivery_fee_cents"],
        _TYPE_COLUMNS[order["order_type"]]: -1,
    }


# projections --------------------------------------------------------------------------------------------------------

ADD_TO_DAY = add_to_counters(sales, ("business_date",))
ADD_ITEMS_TO_DAY = add_to_counters(item_sales, ("business_date", "menu_item_id"), ("name", "category"))
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


def _add_to_day(connection: Connection, business_date: Any, deltas: Mapping[str, int]) -> None:
    values = dict.fromkeys(_SALES_COUNTERS, 0)
    values.update(deltas)
    connection.execute(ADD_TO_DAY.on(connection), {"business_date": business_date, **values})


def _add_items_to_day(connection: Connection, business_date: Any, items: Iterable[dict[str, Any]], sign: int) -> None:
    totals: dict[str, list[Any]] = {}
    for item in items:
        entry = totals.setdefault(item["menu_item_id"], [item["name"], item["category"], 0, 0])
        entry[2] += sign * quantity_of(item)
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
        ADD_ITEMS_TO_DAY.on(connection),
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


def order_placed(connection: Connection, position: int, event: OrderPlacedEvent) -> None:
    _add_to_day(connection, event.business_date, placed_deltas(event))
    _add_items_to_day(connection, event.business_date, (item_json(item) for item in event.items), +1)


def payment(connection: Connection, position: int, event: PaymentProcessedEvent) -> None:
    column = "cash_cents" if event.payment_method == "cash" else "card_cents"
    _add_to_day(connection, business_date_of(connection, event.order_id), {column: event.amount_cents})


def cancelled(connection: Connection, position: int, event: OrderCancelledEvent) -> None:
    order = placed_order(connection, event.order_id)
    items = json.loads(order.items_json)
    _add_to_day(connection, order.business_date, cancelled_deltas(order._mapping, items))
    if event.refund_cents:
        _add_to_day(connection, refund_day(event, order.business_date), {"refund_cents": event.refund_cents})
    _add_items_to_day(connection, order.business_date, items, -1)


def left_open_closed(connection: Connection, position: int, event: LeftOpenOrderClosedEvent) -> None:
    if event.outcome == "cancelled":
        cancelled(connection, position, as_cancelled(event))


def discounted(connection: Connection, position: int, event: OrderDiscountedEvent) -> None:
    """The order's day sold less; a refund goes to the day of the discount (the items' revenue stays as sold)."""
    day = business_date_of(connection, event.order_id)
    _add_to_day(connection, day, discounted_deltas(event))
    if event.refund_cents:
        _add_to_day(connection, event.business_date, {"refund_cents": event.refund_cents})


def edited(connection: Connection, position: int, event: OrderEditedEvent) -> None:
    """The order's day counts the order as edited; a refund goes to the day of the edit."""
    day = business_date_of(connection, event.order_id)
    _add_to_day(connection, day, edited_deltas(event))
    if event.refund_cents:
        _add_to_day(connection, event.business_date, {"refund_cents": event.refund_cents})
    _add_items_to_day(connection, day, [item_json(item) for item in event.previous_items], -1)
    _add_items_to_day(connection, day, [item_json(item) for item in event.items], +1)


def menu_updated(connection: Connection, position: int, event: MenuUpdatedEvent) -> None:
    """An item's sales follow its category, on every day (popular pizzas)."""
    connection.execute(
        REFILE_ITEM_SALES, {"_key": event.item_id, "_category": event.category, "category": event.category}
    )


# rebuild ------------------------------------------------------------------------------------------------------------


class SalesRebuild(RebuildStep):
    def __init__(self, steps: RebuildSteps) -> None:
        order_list_step = steps.get(OrderListRebuild)
        self._orders, self._items = order_list_step.orders, order_list_step.items
        self.sales: dict[date, dict[str, Any]] = {}
        self.item_sales: dict[tuple[date, str], dict[str, Any]] = {}

    def handlers(self) -> Mapping[type[DomainEvent], RowHandler]:
        return {
            OrderPlacedEvent: self._placed,
            PaymentProcessedEvent: self._payment,
            OrderCancelledEvent: self._cancelled,
            LeftOpenOrderClosedEvent: self._left_open_closed,
            MenuUpdatedEvent: self._menu_updated,
            OrderEditedEvent: self._edited,
            OrderDiscountedEvent: self._discounted,
        }

    def _placed(self, position: int, event: OrderPlacedEvent) -> None:
        self._add_to_day(event.business_date, placed_deltas(event))
        self._add_items_to_day(event.business_date, self._items[event.order_id], +1)

    def _payment(self, position: int, event: PaymentProcessedEvent) -> None:
        column = "cash_cents" if event.payment_method == "cash" else "card_cents"
        self._add_to_day(self._orders[event.order_id]["business_date"], {column: event.amount_cents})

    def _cancelled(self, position: int, event: OrderCancelledEvent) -> None:
        order = self._orders[event.order_id]
        self._add_to_day(order["business_date"], cancelled_deltas(order, self._items[event.order_id]))
        if event.refund_cents:
            self._add_to_day(refund_day(event, order["business_date"]), {"refund_cents": event.refund_cents})
        self._add_items_to_day(order["business_date"], self._items[event.order_id], -1)

    def _left_open_closed(self, position: int, event: LeftOpenOrderClosedEvent) -> None:
        if event.outcome == "cancelled":
            self._cancelled(position, as_cancelled(event))

    def _discounted(self, position: int, event: OrderDiscountedEvent) -> None:
        self._add_to_day(self._orders[event.order_id]["business_date"], discounted_deltas(event))
        if event.refund_cents:
            self._add_to_day(event.business_date, {"refund_cents": event.refund_cents})

    def _edited(self, position: int, event: OrderEditedEvent) -> None:
        day = self._orders[event.order_id]["business_date"]
        self._add_to_day(day, edited_deltas(event))
        if event.refund_cents:
            self._add_to_day(event.business_date, {"refund_cents": event.refund_cents})
        self._add_items_to_day(day, [item_json(item) for item in event.previous_items], -1)
        self._add_items_to_day(day, [item_json(item) for item in event.items], +1)

    def _menu_updated(self, position: int, event: MenuUpdatedEvent) -> None:
        for row in self.item_sales.values():
            if row["menu_item_id"] == event.item_id:
                row["category"] = event.category

    def _add_to_day(self, business_date: date, deltas: Mapping[str, int]) -> None:
        row = self.sales.get(business_date)
        if row is None:
            row = self.sales[business_date] = {"business_date": business_date, **dict.fromkeys(_SALES_COUNTERS, 0)}
        for name, delta in deltas.items():
            row[name] += delta

    def _add_items_to_day(self, business_date: date, items: Iterable[dict[str, Any]], sign: int) -> None:
        for item in items:
            key = (business_date, item["menu_item_id"])
            row = self.item_sales.get(key)
            if row is None:
                row = self.item_sales[key] = {
                    "business_date": business_date,
                    "menu_item_id": item["menu_item_id"],
                    "quantity": 0,
                    "revenue_cents": 0,
                }
            row["quantity"] += sign * quantity_of(item)
            row["revenue_cents"] += sign * item["price_cents"]
            if sign > 0:  # taking a sale back leaves the name and category (it may have been re-filed since)
                row.update(name=item["name"], category=item["category"])

    def rows(self) -> Rows:
        return ((sales, self.sales.values()), (item_sales, self.item_sales.values()))


# queries ------------------------------------------------------------------------------------------------------------


class GetPopularPizzasHandler(ReadHandler, QueryHandler[GetPopularPizzasQuery, OperationResult[list[PopularPizzaDto]]]):
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


class GetDailySalesHandler(ReadHandler, QueryHandler[GetDailySalesQuery, OperationResult[DailySalesDto]]):
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


READ_MODEL = ReadModel(
    name="sales",
    tables=(sales, item_sales),
    projections=(
        on(OrderPlacedEvent, order_placed),
        on(PaymentProcessedEvent, payment),
        on(OrderCancelledEvent, cancelled),
        on(LeftOpenOrderClosedEvent, left_open_closed),
        on(MenuUpdatedEvent, menu_updated),
        on(OrderEditedEvent, edited),
        on(OrderDiscountedEvent, discounted),
    ),
    rebuild_step=SalesRebuild,
    module=__name__,
)
