"""The kitchen queue (`kitchen_queue_view`): one ticket per order the kitchen has seen, open until the order is ready,
first in first out. The kitchen screen reads today's open tickets and the last one completed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Index, Integer, String, Text, Uuid, bindparam, delete, select, text, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.domain.events import (
    CookingStartedEvent,
    DomainEvent,
    LeftOpenOrderClosedEvent,
    OrderCancelledEvent,
    OrderEditedEvent,
    OrderPlacedEvent,
    OrderReadyEvent,
    PizzaReadyEvent,
)
from pos_app.mediation import OperationResult, QueryHandler
from pos_app.messages.dtos import KitchenItemDto, KitchenTicketDto
from pos_app.messages.queries import GetKitchenQueueQuery, GetLastCompletedTicketQuery
from pos_app.read_model.definition import ReadModel, RebuildStep, RebuildSteps, RowHandler, Rows, on
from pos_app.read_model.handler import ReadHandler
from pos_app.read_model.order_items import dumps, edited_items, item_json, quantity_of
from pos_app.read_model.statements import update_by_key
from pos_app.read_model.trusted import TrustedDto, uuid_from_hex
from pos_app.schema import Base, Instant, table


class KitchenTicketRecord(Base):
    """One row per order the kitchen has seen; open while `completed_at` is null (FIFO by `position`)."""

    __tablename__ = "kitchen_queue_view"

    order_id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    order_number: Mapped[int] = mapped_column(Integer)
    order_type: Mapped[str] = mapped_column(String(12))
    customer_name: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))
    placed_at: Mapped[datetime] = mapped_column(Instant)
    started_at: Mapped[datetime | None] = mapped_column(Instant)
    estimated_ready_at: Mapped[datetime] = mapped_column(Instant)
    completed_at: Mapped[datetime | None] = mapped_column(Instant)
    items_json: Mapped[str] = mapped_column(Text)
    items_total: Mapped[int] = mapped_column(Integer)
    items_ready: Mapped[int] = mapped_column(Integer)
    table_number: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_kitchen_open", "position", sqlite_where=text("completed_at IS NULL")),
        Index("ix_kitchen_completed", "completed_at", sqlite_where=text("completed_at IS NOT NULL")),
    )


kitchen = table(KitchenTicketRecord)


def ticket_row(position: int, event: OrderPlacedEvent) -> dict[str, Any]:
    """A new ticket, without its `items_json` (the caller stores the items)."""
    return {
        "order_id": event.order_id,
        "position": position,
        "order_number": event.order_number,
        "order_type": event.order_type,
        "customer_name": event.customer_name,
        "status": "pending",
        "placed_at": event.occurred_at,
        "started_at": None,
        "estimated_ready_at": event.estimated_ready_at,
        "completed_at": None,
        "items_total": len(event.items),
        "items_ready": 0,
        "table_number": event.table_number,
    }


# projections --------------------------------------------------------------------------------------------------------

INSERT_TICKET = insert(kitchen)
SELECT_TICKET_ITEMS = select(kitchen.c.items_json).where(kitchen.c.order_id == bindparam("_key"))
DELETE_TICKET = delete(kitchen).where(kitchen.c.order_id == bindparam("_key"))
TICKET_ITEM_READY = (
    update(kitchen)
    .where(kitchen.c.order_id == bindparam("_key"))
    .values(items_json=bindparam("items_json"), items_ready=kitchen.c.items_ready + 1)
)


def order_placed(connection: Connection, position: int, event: OrderPlacedEvent) -> None:
    row = ticket_row(position, event)
    row["items_json"] = dumps([item_json(item) for item in event.items])
    connection.execute(INSERT_TICKET, row)


def cooking_started(connection: Connection, position: int, event: CookingStartedEvent) -> None:
    statement = update_by_key(kitchen, "order_id", ("status", "started_at"))
    connection.execute(statement, {"_key": event.order_id, "status": "cooking", "started_at": event.occurred_at})


def pizza_ready(connection: Connection, position: int, event: PizzaReadyEvent) -> None:
    items = json.loads(connection.execute(SELECT_TICKET_ITEMS, {"_key": event.order_id}).scalar_one())
    items[event.pizza_index]["ready"] = True
    connection.execute(TICKET_ITEM_READY, {"_key": event.order_id, "items_json": dumps(items)})


def order_ready(connection: Connection, position: int, event: OrderReadyEvent) -> None:
    statement = update_by_key(kitchen, "order_id", ("status", "completed_at"))
    connection.execute(statement, {"_key": event.order_id, "status": "ready", "completed_at": event.occurred_at})


def edited_ticket(event: OrderEditedEvent) -> dict[str, Any]:
    """The ticket's columns an edit replaces: its lines (kept ready lines stay ticked), type, name and table."""
    return {
        "items_json": dumps(edited_items(event, mark_ready=True)),
        "items_total": len(event.items),
        "items_ready": len(event.ready_items),
        "order_type": event.order_type,
        "customer_name": event.customer_name,
        "table_number": event.table_number,
    }


def order_edited(connection: Connection, position: int, event: OrderEditedEvent) -> None:
    connection.execute(update(kitchen).where(kitchen.c.order_id == event.order_id).values(**edited_ticket(event)))


def order_left(connection: Connection, position: int, event: OrderCancelledEvent | LeftOpenOrderClosedEvent) -> None:
    """Cancelled, or closed after being left open (cancelled or handed over): the order leaves the kitchen."""
    connection.execute(DELETE_TICKET, {"_key": event.order_id})


# rebuild ------------------------------------------------------------------------------------------------------------


class KitchenQueueRebuild(RebuildStep):
    def __init__(self, steps: RebuildSteps) -> None:
        self.tickets: dict[UUID, dict[str, Any]] = {}
        self.ticket_items: dict[UUID, list[dict[str, Any]]] = {}

    def handlers(self) -> Mapping[type[DomainEvent], RowHandler]:
        return {
            OrderPlacedEvent: self._placed,
            CookingStartedEvent: self._cooking,
            PizzaReadyEvent: self._pizza_ready,
            OrderReadyEvent: self._order_ready,
            OrderCancelledEvent: self._left,
            LeftOpenOrderClosedEvent: self._left,
            OrderEditedEvent: self._edited,
        }

    def _placed(self, position: int, event: OrderPlacedEvent) -> None:
        self.ticket_items[event.order_id] = [item_json(item) for item in event.items]
        self.tickets[event.order_id] = ticket_row(position, event)

    def _cooking(self, position: int, event: CookingStartedEvent) -> None:
        ticket = self.tickets.get(event.order_id)
        if ticket is not None:
            ticket.update(status="cooking", started_at=event.occurred_at)

    def _pizza_ready(self, position: int, event: PizzaReadyEvent) -> None:
        ticket = self.tickets.get(event.order_id)
        if ticket is not None:
            self.ticket_items[event.order_id][event.pizza_index]["ready"] = True
            ticket["items_ready"] += 1

    def _order_ready(self, position: int, event: OrderReadyEvent) -> None:
        ticket = self.tickets.get(event.order_id)
        if ticket is not None:
            ticket.update(status="ready", completed_at=event.occurred_at)

    def _edited(self, position: int, event: OrderEditedEvent) -> None:
        ticket = self.tickets.get(event.order_id)
        if ticket is not None:
            values = edited_ticket(event)
            self.ticket_items[event.order_id] = json.loads(values.pop("items_json"))
            ticket.update(values)

    def _left(self, position: int, event: OrderCancelledEvent | LeftOpenOrderClosedEvent) -> None:
        self.tickets.pop(event.order_id, None)

    def rows(self) -> Rows:
        for order_id, ticket in self.tickets.items():
            ticket["items_json"] = dumps(self.ticket_items[order_id])
        return ((kitchen, self.tickets.values()),)


# queries ------------------------------------------------------------------------------------------------------------

new_ticket = TrustedDto(KitchenTicketDto)
new_ticket_item = TrustedDto(KitchenItemDto)

TICKET_SQL = (
    "SELECT order_id, order_number, order_type, customer_name, status, placed_at, started_at, estimated_ready_at,"
    " completed_at, items_json, table_number FROM kitchen_queue_view"
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
        placed_at=datetime.fromisoformat(row[5]),
        started_at=datetime.fromisoformat(row[6]) if row[6] else None,
        estimated_ready_time=datetime.fromisoformat(row[7]),
        completed_at=datetime.fromisoformat(row[8]) if row[8] else None,
        items=items,
        table_number=row[10],
    )


class GetKitchenQueueHandler(ReadHandler, QueryHandler[GetKitchenQueueQuery, OperationResult[list[KitchenTicketDto]]]):
    async def handle_async(self, request: GetKitchenQueueQuery) -> OperationResult[list[KitchenTicketDto]]:
        today = self._calendar.today().isoformat()

        def read(connection: Connection) -> list[KitchenTicketDto]:
            rows = connection.exec_driver_sql(OPEN_TICKETS_SQL, (today,)).fetchall()
            return [kitchen_ticket(row) for row in rows]

        return self.ok(await self._store.read(read))


class GetLastCompletedTicketHandler(
    ReadHandler, QueryHandler[GetLastCompletedTicketQuery, OperationResult[KitchenTicketDto | None]]
):
    async def handle_async(self, request: GetLastCompletedTicketQuery) -> OperationResult[KitchenTicketDto | None]:
        def read(connection: Connection) -> KitchenTicketDto | None:
            row = connection.exec_driver_sql(LAST_COMPLETED_SQL).fetchone()
            return None if row is None else kitchen_ticket(row)

        return self.ok(await self._store.read(read))


READ_MODEL = ReadModel(
    name="kitchen queue",
    tables=(kitchen,),
    projections=(
        on(OrderPlacedEvent, order_placed),
        on(CookingStartedEvent, cooking_started),
        on(PizzaReadyEvent, pizza_ready),
        on(OrderReadyEvent, order_ready),
        on(OrderCancelledEvent, order_left),
        on(LeftOpenOrderClosedEvent, order_left),
        on(OrderEditedEvent, order_edited),
    ),
    rebuild_step=KitchenQueueRebuild,
    module=__name__,
)
