"""The kitchen screen's reads of the kitchen queue (`kitchen_queue_view`, kept by `kitchen_queue.py`): today's open
tickets, first in first out, and the last one completed. Each ticket says when it turns amber and red, by the store's
thresholds and its promised time (`domain/kitchen.py`), and which allergy words its notes hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from pos_app.config import Settings
from pos_app.domain.allergens import allergy_words
from pos_app.domain.kitchen import AgeDeadlines, age_deadlines
from pos_app.mediation import OperationResult, QueryHandler
from pos_app.messages.dtos import KitchenItemDto, KitchenNoticeDto, KitchenQueueChangesDto, KitchenTicketDto
from pos_app.messages.queries import GetKitchenQueueChangesQuery, GetKitchenQueueQuery, GetLastCompletedTicketQuery
from pos_app.read_model.changes import changes_since
from pos_app.read_model.handler import ReadHandler
from pos_app.read_model.order_items import quantity_of
from pos_app.read_model.ports import BusinessCalendar, ReadStore
from pos_app.read_model.trusted import TrustedDto, uuid_from_hex
from pos_app.schema.dialects import driver_sql

new_ticket = TrustedDto(KitchenTicketDto)
new_ticket_item = TrustedDto(KitchenItemDto)

TICKET_SQL = (
    "SELECT order_id, order_number, order_type, customer_name, status, placed_at, started_at, estimated_ready_at,"
    " completed_at, items_json, notice_kind, notice_details, notice_at, table_number, position FROM kitchen_queue_view"
)
OPEN_TODAY = "completed_at IS NULL AND order_id IN (SELECT order_id FROM order_list_view WHERE business_date = ?)"
"""The business day's open tickets: an order left open on an earlier day is the manager's to close, not cooking."""
OPEN_TICKETS_SQL = f"{TICKET_SQL} WHERE {OPEN_TODAY} ORDER BY position"
DAY_OF_SQL = "SELECT order_id, business_date FROM order_list_view WHERE order_id IN"
LAST_COMPLETED_SQL = (
    f"{TICKET_SQL} WHERE completed_at IS NOT NULL AND prepared_total > 0 ORDER BY completed_at DESC LIMIT 1"
)
"""The last ticket the kitchen completed (an order of drinks only was never the kitchen's to complete)."""


def kitchen_ticket(row: Any, deadlines: Callable[[datetime, datetime], AgeDeadlines] | None = None) -> KitchenTicketDto:
    """A row of TICKET_SQL as the DTO (the kitchen screen's longest read, built like the order lists); `deadlines`
    gives when a ticket turns amber and red."""
    placed_at, estimated = datetime.fromisoformat(row[5]), datetime.fromisoformat(row[7])
    colours = deadlines(placed_at, estimated) if deadlines is not None else None
    items = [
        new_ticket_item(
            index=index,
            name=item["name"],
            category=item["category"],
            size=item["size"],
            toppings=item["toppings"],
            special_instructions=item["notes"],
            ready=item["ready"],
            allergens=item.get("allergens", []),
            allergies=item.get("allergies", []),
            note_allergy_words=list(allergy_words(item["notes"])),
            needs_preparation=item.get("prepared", True),
            quantity=quantity_of(item),
        )
        for index, item in enumerate(json.loads(row[9]))
    ]
    return new_ticket(
        order_id=uuid_from_hex(row[0]),
        order_number=row[1],
        order_type=row[2],
        customer_name=row[3],
        status=row[4],
        placed_at=placed_at,
        started_at=datetime.fromisoformat(row[6]) if row[6] else None,
        estimated_ready_time=estimated,
        completed_at=datetime.fromisoformat(row[8]) if row[8] else None,
        items=items,
        notice=(
            KitchenNoticeDto(
                kind=row[10], details=json.loads(row[11] or "[]"), raised_at=datetime.fromisoformat(row[12])
            )
            if row[10]
            else None
        ),
        near_at=colours.near_at if colours else None,
        late_at=colours.late_at if colours else None,
        table_number=row[13],
        queue_position=row[14],
        actions=(),  # the logged-in staff's, added on the way out (application/behaviors/order_actions.py)
    )


class TicketReader(ReadHandler):
    """Reads tickets with when each turns amber and red by the store's thresholds."""

    def __init__(self, store: ReadStore, calendar: BusinessCalendar, settings: Settings) -> None:
        super().__init__(store, calendar)
        thresholds = settings.kitchen_age

        def deadlines(placed_at: datetime, estimated: datetime) -> AgeDeadlines:
            return age_deadlines(placed_at, estimated, thresholds)

        self._deadlines = deadlines

    def _open_tickets(self, connection: Connection, today: str) -> list[KitchenTicketDto]:
        rows = driver_sql(connection, OPEN_TICKETS_SQL, (today,)).fetchall()
        return [kitchen_ticket(row, self._deadlines) for row in rows]


class GetKitchenQueueHandler(TicketReader, QueryHandler[GetKitchenQueueQuery, OperationResult[list[KitchenTicketDto]]]):
    async def handle_async(self, request: GetKitchenQueueQuery) -> OperationResult[list[KitchenTicketDto]]:
        today = self._calendar.today().isoformat()
        return self.ok(await self._store.read(lambda connection: self._open_tickets(connection, today)))


class GetKitchenQueueChangesHandler(
    TicketReader, QueryHandler[GetKitchenQueueChangesQuery, OperationResult[KitchenQueueChangesDto]]
):
    async def handle_async(self, request: GetKitchenQueueChangesQuery) -> OperationResult[KitchenQueueChangesDto]:
        day = self._calendar.today()
        today = day.isoformat()

        def read(connection: Connection) -> KitchenQueueChangesDto:
            changes = changes_since(connection, request.changed_since)
            if changes.order_ids is None:
                tickets = self._open_tickets(connection, today)
                return KitchenQueueChangesDto(
                    position=changes.position, business_date=day, changes_only=False, tickets=tickets
                )
            tickets = []
            if changes.order_ids:
                # By key, then the day: with both in SQL, SQLite walks the whole day by its date index instead.
                ids = changes.id_list()
                days = driver_sql(connection, f"{DAY_OF_SQL} ({ids})", changes.order_ids).fetchall()
                todays = {order_id for order_id, business_date in days if business_date == today}
                changed = f"{TICKET_SQL} WHERE order_id IN ({ids}) AND completed_at IS NULL ORDER BY position"
                rows = driver_sql(connection, changed, changes.order_ids).fetchall()
                tickets = [kitchen_ticket(row, self._deadlines) for row in rows if row[0] in todays]
            still_open = {ticket.order_id.hex for ticket in tickets}
            closed = [uuid_from_hex(order_id) for order_id in changes.order_ids if order_id not in still_open]
            return KitchenQueueChangesDto(
                position=changes.position, business_date=day, changes_only=True, tickets=tickets, closed=closed
            )

        return self.ok(await self._store.read(read))


class GetLastCompletedTicketHandler(
    ReadHandler, QueryHandler[GetLastCompletedTicketQuery, OperationResult[KitchenTicketDto | None]]
):
    async def handle_async(self, request: GetLastCompletedTicketQuery) -> OperationResult[KitchenTicketDto | None]:
        def read(connection: Connection) -> KitchenTicketDto | None:
            row = driver_sql(connection, LAST_COMPLETED_SQL).fetchone()
            return None if row is None else kitchen_ticket(row)

        return self.ok(await self._store.read(read))
