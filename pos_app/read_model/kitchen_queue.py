"""The kitchen queue (`kitchen_queue_view`): one ticket per order the kitchen has seen, open until the order is ready,
first in first out. The kitchen screen reads today's open tickets and the last one completed.

A cancelled ticket stays open with a CANCELLED notice until the kitchen acknowledges it
(`KitchenNoticeAcknowledgedEvent`); a ticket changed after the kitchen saw it gets a CHANGED notice the same way
(`mark_ticket_changed`, for the projection of an order's edit). Lines that need no preparation are ready from the
start and counted apart (`prepared_total`: the lines the kitchen makes)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Integer, String, Text, bindparam, delete, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.domain.events import (
    CookingStartedEvent,
    DomainEvent,
    KitchenNoticeAcknowledgedEvent,
    LeftOpenOrderClosedEvent,
    OrderCancelledEvent,
    OrderEditedEvent,
    OrderItemData,
    OrderPlacedEvent,
    OrderReadyEvent,
    PizzaReadyEvent,
)
from pos_app.read_model.definition import ReadModel, RebuildStep, RebuildSteps, RowHandler, Rows, on
from pos_app.read_model.order_items import dumps, item_json
from pos_app.read_model.statements import update_by_key
from pos_app.schema import Base, HexUuid, Instant, partial_index, table


class KitchenTicketRecord(Base):
    """One row per order the kitchen has seen; open while `completed_at` is null (FIFO by `position`)."""

    __tablename__ = "kitchen_queue_view"

    order_id: Mapped[UUID] = mapped_column(HexUuid, primary_key=True)
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
    prepared_total: Mapped[int] = mapped_column(Integer, server_default="0")
    """The lines the kitchen makes (the others, drinks and packaged desserts, are ready from the start)."""
    notice_kind: Mapped[str | None] = mapped_column(String(12))
    """"cancelled" or "changed" until the kitchen acknowledges it; null without a notice."""
    notice_details: Mapped[str | None] = mapped_column(Text)
    """The notice's lines, a JSON list of strings."""
    notice_at: Mapped[datetime | None] = mapped_column(Instant)
    table_number: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        partial_index("ix_kitchen_open", "position", where="completed_at IS NULL"),
        partial_index("ix_kitchen_completed", "completed_at", where="completed_at IS NOT NULL"),
    )


kitchen = table(KitchenTicketRecord)


def kitchen_items(order_items: Sequence[OrderItemData]) -> list[dict[str, Any]]:
    """The ticket's lines, as the read models store an item, with what the kitchen needs besides: its allergens and
    the customer's allergies (when there are any), and `"prepared": false` for a line that needs no preparation (it
    is ready from the start). A line without them is stored as before they existed, so a store's old tickets and
    their rebuild agree."""
    items = []
    for item in order_items:
        line = item_json(item)
        if item.allergens:
            line["allergens"] = list(item.allergens)
        if item.allergies:
            line["allergies"] = list(item.allergies)
        if not item.needs_preparation:
            line.update(prepared=False, ready=True)
        items.append(line)
    return items


def ticket_row(position: int, event: OrderPlacedEvent) -> dict[str, Any]:
    """A new ticket, without its `items_json` (the caller stores the items)."""
    prepared = sum(1 for item in event.items if item.needs_preparation)
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
        "items_ready": len(event.items) - prepared,
        "prepared_total": prepared,
        "notice_kind": None,
        "notice_details": None,
        "notice_at": None,
        "table_number": event.table_number,
    }


NO_NOTICE: dict[str, Any] = {"notice_kind": None, "notice_details": None, "notice_at": None}


def cancelled_notice(event: OrderCancelledEvent) -> dict[str, Any]:
    """The CANCELLED notice of a ticket the kitchen had open: why, and who."""
    who = event.staff_name or event.staff_id
    details = [f"Reason: {event.reason}" if event.reason.strip() else "No reason given"]
    if who:
        details.append(f"By {who}")
    return {
        "status": "cancelled",
        "notice_kind": "cancelled",
        "notice_details": dumps(details),
        "notice_at": event.occurred_at,
    }


def changed_notice(
    current_kind: str | None, current_details: str | None, details: Sequence[str], at: datetime
) -> dict[str, Any]:
    """A CHANGED notice with `details` added to what the kitchen has not acknowledged yet; a CANCELLED notice stays."""
    if current_kind == "cancelled":
        return {}
    earlier = json.loads(current_details) if current_kind == "changed" and current_details else []
    return {"notice_kind": "changed", "notice_details": dumps([*earlier, *details]), "notice_at": at}


# projections --------------------------------------------------------------------------------------------------------

INSERT_TICKET = insert(kitchen)
SELECT_TICKET_ITEMS = select(kitchen.c.items_json).where(kitchen.c.order_id == bindparam("_key"))
DELETE_TICKET = delete(kitchen).where(kitchen.c.order_id == bindparam("_key"))
DELETE_COMPLETED_TICKET = delete(kitchen).where(
    kitchen.c.order_id == bindparam("_key"), kitchen.c.completed_at.is_not(None)
)
SELECT_OPEN_NOTICE = select(kitchen.c.notice_kind, kitchen.c.notice_details).where(
    kitchen.c.order_id == bindparam("_key"), kitchen.c.completed_at.is_(None)
)
SET_CANCELLED_NOTICE = (
    update(kitchen)
    .where(kitchen.c.order_id == bindparam("_key"), kitchen.c.completed_at.is_(None))
    .values({name: bindparam(name) for name in ("status", "notice_kind", "notice_details", "notice_at")})
)
TICKET_ITEM_READY = (
    update(kitchen)
    .where(kitchen.c.order_id == bindparam("_key"))
    .values(items_json=bindparam("items_json"), items_ready=kitchen.c.items_ready + 1)
)


def order_placed(connection: Connection, position: int, event: OrderPlacedEvent) -> None:
    row = ticket_row(position, event)
    row["items_json"] = dumps(kitchen_items(event.items))
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
    """The ticket's columns an edit replaces: its lines (those the kitchen made stay ticked, those that need no
    preparation are ready), type, name and table."""
    items = kitchen_items(event.items)
    for index in event.ready_items:
        items[index]["ready"] = True
    return {
        "items_json": dumps(items),
        "items_total": len(items),
        "items_ready": sum(1 for item in items if item["ready"]),
        "prepared_total": sum(1 for item in event.items if item.needs_preparation),
        "order_type": event.order_type,
        "customer_name": event.customer_name,
        "table_number": event.table_number,
    }


def order_edited(connection: Connection, position: int, event: OrderEditedEvent) -> None:
    """The ticket shows the order as it is now; changed after cooking started, it shows CHANGED with what changed
    until the kitchen acknowledges it (before, the kitchen had not begun: the new lines are enough)."""
    values = edited_ticket(event)
    connection.execute(update_by_key(kitchen, "order_id", tuple(values)), {"_key": event.order_id, **values})
    if event.cooking_started and event.kitchen_changes:
        mark_ticket_changed(connection, event.order_id, event.kitchen_changes, event.occurred_at)


def order_left(connection: Connection, position: int, event: LeftOpenOrderClosedEvent) -> None:
    """Closed after being left open (cancelled or handed over): the order leaves the kitchen."""
    connection.execute(DELETE_TICKET, {"_key": event.order_id})


def order_cancelled(connection: Connection, position: int, event: OrderCancelledEvent) -> None:
    """An open ticket stays, CANCELLED, until the kitchen acknowledges it; a completed one just leaves (and so does
    every ticket of a cancellation stored before the kitchen acknowledged them: `kitchen_acknowledges` false)."""
    if not event.kitchen_acknowledges:
        connection.execute(DELETE_TICKET, {"_key": event.order_id})
        return
    connection.execute(DELETE_COMPLETED_TICKET, {"_key": event.order_id})
    connection.execute(SET_CANCELLED_NOTICE, {"_key": event.order_id, **cancelled_notice(event)})


def notice_acknowledged(connection: Connection, position: int, event: KitchenNoticeAcknowledgedEvent) -> None:
    """A cancelled ticket leaves the kitchen; a changed one loses its notice."""
    if event.kind == "cancelled":
        connection.execute(DELETE_TICKET, {"_key": event.order_id})
    else:
        connection.execute(update_by_key(kitchen, "order_id", tuple(NO_NOTICE)), {"_key": event.order_id, **NO_NOTICE})


def mark_ticket_changed(connection: Connection, order_id: UUID, details: Sequence[str], changed_at: datetime) -> None:
    """The order of an open ticket changed after the kitchen saw it: the ticket shows CHANGED with `details` (added to
    any change not acknowledged yet) until the kitchen acknowledges it. A cancelled or completed ticket is left as it
    is. For the projection of an order's edit; its rebuild step calls `KitchenQueueRebuild.mark_changed`."""
    row = connection.execute(SELECT_OPEN_NOTICE, {"_key": order_id}).one_or_none()
    if row is None:
        return
    values = changed_notice(row[0], row[1], details, changed_at)
    if values:
        connection.execute(update_by_key(kitchen, "order_id", tuple(values)), {"_key": order_id, **values})


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
            OrderCancelledEvent: self._cancelled,
            LeftOpenOrderClosedEvent: self._left,
            KitchenNoticeAcknowledgedEvent: self._acknowledged,
            OrderEditedEvent: self._edited,
        }

    def _placed(self, position: int, event: OrderPlacedEvent) -> None:
        self.ticket_items[event.order_id] = kitchen_items(event.items)
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
            if event.cooking_started and event.kitchen_changes:
                self.mark_changed(event.order_id, event.kitchen_changes, event.occurred_at)

    def _left(self, position: int, event: LeftOpenOrderClosedEvent) -> None:
        self.tickets.pop(event.order_id, None)

    def _cancelled(self, position: int, event: OrderCancelledEvent) -> None:
        ticket = self.tickets.get(event.order_id)
        if ticket is not None and (ticket["completed_at"] is not None or not event.kitchen_acknowledges):
            del self.tickets[event.order_id]
        elif ticket is not None:
            ticket.update(cancelled_notice(event))

    def _acknowledged(self, position: int, event: KitchenNoticeAcknowledgedEvent) -> None:
        ticket = self.tickets.get(event.order_id)
        if ticket is not None and event.kind == "cancelled":
            del self.tickets[event.order_id]
        elif ticket is not None:
            ticket.update(NO_NOTICE)

    def mark_changed(self, order_id: UUID, details: Sequence[str], changed_at: datetime) -> None:
        """`mark_ticket_changed`, on the rows in memory."""
        ticket = self.tickets.get(order_id)
        if ticket is not None and ticket["completed_at"] is None:
            ticket.update(changed_notice(ticket["notice_kind"], ticket["notice_details"], details, changed_at))

    def rows(self) -> Rows:
        for order_id, ticket in self.tickets.items():
            ticket["items_json"] = dumps(self.ticket_items[order_id])
        return ((kitchen, self.tickets.values()),)


READ_MODEL = ReadModel(
    name="kitchen queue",
    tables=(kitchen,),
    projections=(
        on(OrderPlacedEvent, order_placed),
        on(CookingStartedEvent, cooking_started),
        on(PizzaReadyEvent, pizza_ready),
        on(OrderReadyEvent, order_ready),
        on(OrderCancelledEvent, order_cancelled),
        on(LeftOpenOrderClosedEvent, order_left),
        on(KitchenNoticeAcknowledgedEvent, notice_acknowledged),
        on(OrderEditedEvent, order_edited),
    ),
    rebuild_step=KitchenQueueRebuild,
    module=__name__,
)
