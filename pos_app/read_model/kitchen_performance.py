"""The kitchen's performance (`kitchen_daily_view`): per business day, the orders and items the kitchen completed,
their cooking and waiting time, and how many were ready on time. Only what the kitchen prepared counts: drinks and
packaged desserts are no cooked items, and an order of nothing else was never the kitchen's work."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, func, select
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.domain.events import DomainEvent, OrderReadyEvent
from pos_app.mediation import OperationResult, QueryHandler
from pos_app.messages.dtos import KitchenPerformanceDto
from pos_app.messages.queries import GetKitchenPerformanceQuery
from pos_app.read_model.definition import ReadModel, RebuildStep, RebuildSteps, RowHandler, Rows, on
from pos_app.read_model.handler import ReadHandler
from pos_app.read_model.kitchen_queue import KitchenQueueRebuild, kitchen
from pos_app.read_model.order_list import OrderListRebuild, placed_order
from pos_app.read_model.statements import add_to_counters
from pos_app.schema import Base, Day, table


class KitchenDailyRecord(Base):
    __tablename__ = "kitchen_daily_view"

    business_date: Mapped[date] = mapped_column(Day, primary_key=True)
    orders_completed: Mapped[int] = mapped_column(Integer)
    items_completed: Mapped[int] = mapped_column(Integer)
    cooking_seconds: Mapped[int] = mapped_column(Integer)
    ready_seconds: Mapped[int] = mapped_column(Integer)
    on_time_orders: Mapped[int] = mapped_column(Integer)
    late_orders: Mapped[int] = mapped_column(Integer)


kitchen_daily = table(KitchenDailyRecord)

_KITCHEN_COUNTERS = tuple(c.name for c in kitchen_daily.c if c.name != "business_date")


def elapsed_seconds(start: datetime, end: datetime) -> int:
    """Whole seconds from `start` to `end`, never negative (a clock set back meanwhile makes no negative time)."""
    return max(0, int((end - start).total_seconds()))


def ready_counts(order: Mapping[str, Any], event: OrderReadyEvent, prepared: int) -> dict[str, int] | None:
    """What an order ready adds to its day (`order`: the order as placed, from the order list; `prepared`: how many
    of its items the kitchen made, from the kitchen queue); None when it made none."""
    if prepared == 0:
        return None
    started = order["started_at"] or order["placed_at"]
    on_time = event.occurred_at <= order["estimated_ready_at"]
    return {
        "orders_completed": 1,
        "items_completed": prepared,
        "cooking_seconds": elapsed_seconds(started, event.occurred_at),
        "ready_seconds": elapsed_seconds(order["placed_at"], event.occurred_at),
        "on_time_orders": 1 if on_time else 0,
        "late_orders": 0 if on_time else 1,
    }


# projections --------------------------------------------------------------------------------------------------------

ADD_KITCHEN_DAY = add_to_counters(kitchen_daily, ("business_date",))
SELECT_PREPARED = select(kitchen.c.prepared_total).where(kitchen.c.order_id == bindparam("_key"))


def order_ready(connection: Connection, position: int, event: OrderReadyEvent) -> None:
    order = placed_order(connection, event.order_id)._mapping
    prepared = connection.execute(SELECT_PREPARED, {"_key": event.order_id}).scalar_one_or_none()
    counts = ready_counts(order, event, order["item_count"] if prepared is None else prepared)
    if counts is not None:
        connection.execute(ADD_KITCHEN_DAY.on(connection), {"business_date": order["business_date"], **counts})


# rebuild ------------------------------------------------------------------------------------------------------------


class KitchenPerformanceRebuild(RebuildStep):
    def __init__(self, steps: RebuildSteps) -> None:
        self._orders = steps.get(OrderListRebuild).orders
        self._tickets = steps.get(KitchenQueueRebuild).tickets
        self.days: dict[date, dict[str, Any]] = {}

    def handlers(self) -> Mapping[type[DomainEvent], RowHandler]:
        return {OrderReadyEvent: self._order_ready}

    def _order_ready(self, position: int, event: OrderReadyEvent) -> None:
        order = self._orders[event.order_id]
        ticket = self._tickets.get(event.order_id)
        counts = ready_counts(order, event, order["item_count"] if ticket is None else ticket["prepared_total"])
        if counts is None:
            return
        day = order["business_date"]
        row = self.days.get(day)
        if row is None:
            row = self.days[day] = {"business_date": day, **dict.fromkeys(_KITCHEN_COUNTERS, 0)}
        for name, delta in counts.items():
            row[name] += delta

    def rows(self) -> Rows:
        return ((kitchen_daily, self.days.values()),)


# queries ------------------------------------------------------------------------------------------------------------


class GetKitchenPerformanceHandler(
    ReadHandler, QueryHandler[GetKitchenPerformanceQuery, OperationResult[KitchenPerformanceDto]]
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


READ_MODEL = ReadModel(
    name="kitchen performance",
    tables=(kitchen_daily,),
    projections=(on(OrderReadyEvent, order_ready),),
    rebuild_step=KitchenPerformanceRebuild,
    module=__name__,
)
