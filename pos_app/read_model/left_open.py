"""The orders left open: orders of an earlier business day still pending, cooking, ready or out for delivery, for the
manager to close. A query over the order list (`order_list.py`); each read model projects the closing itself."""

from __future__ import annotations

from sqlalchemy import Connection

from pos_app.mediation import OperationResult, QueryHandler
from pos_app.messages.dtos import OrderPageDto
from pos_app.messages.queries import GetLeftOpenOrdersQuery
from pos_app.read_model.handler import ReadHandler
from pos_app.read_model.order_list import summaries
from pos_app.schema.dialects import driver_sql

# Written out, not bound, so SQLite sees they match the partial index ix_order_list_open.
LEFT_OPEN = "status IN ('pending', 'cooking', 'ready', 'out_for_delivery') AND business_date < ?"
LEFT_OPEN_IDS = f"order_id IN (SELECT order_id FROM order_list_view WHERE {LEFT_OPEN})"
"""The page is read through the open orders' index: asked for in the page's order, SQLite walks every earlier
day's order by the day index instead (130 ms on a year of history, against a fraction of a millisecond)."""


class GetLeftOpenOrdersHandler(ReadHandler, QueryHandler[GetLeftOpenOrdersQuery, OperationResult[OrderPageDto]]):
    async def handle_async(self, request: GetLeftOpenOrdersQuery) -> OperationResult[OrderPageDto]:
        today = self._calendar.today().isoformat()

        def read(connection: Connection) -> OrderPageDto:
            total = driver_sql(connection, f"SELECT count(*) FROM order_list_view WHERE {LEFT_OPEN}", (today,))
            items = summaries(
                connection,
                LEFT_OPEN_IDS,
                (today, request.page_size, (request.page - 1) * request.page_size),
                "business_date, placed_at, order_number LIMIT ? OFFSET ?",
            )
            return OrderPageDto(items=items, total=total.scalar_one(), page=request.page, page_size=request.page_size)

        return self.ok(await self._store.read(read))
