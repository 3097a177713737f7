"""The kitchen's item models: the open tickets in FIFO order, and the items of one ticket."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from pos_app.messages.dtos import KitchenItemDto, KitchenTicketDto
from pos_app.ui import theme
from pos_app.ui.formatting import format_minutes, format_time

AgeState = Literal["on_time", "near", "late"]
NEAR_WINDOW = timedelta(minutes=2)
"""A ticket is `near` from this long before its estimated ready time, and `late` after it."""

ORDER_TYPE_LABELS = {"pickup": "Pickup", "delivery": "Delivery", "dine_in": "Dine-in"}
STATUS_LABELS = {"pending": "New", "cooking": "Cooking", "cancelled": "Cancelled"}

Index = QModelIndex | QPersistentModelIndex


def utc_now() -> datetime:
    return datetime.now(UTC)


def age_state(ticket: KitchenTicketDto, now: datetime) -> AgeState:
    """On time, near or late: by when the core says the ticket turns amber and red (`near_at`, `late_at`: the
    sooner of the store's elapsed-time thresholds and its promised time); without them, by the promise alone
    (near within two minutes of it, late past it)."""
    if ticket.late_at is not None and ticket.near_at is not None:
        return "late" if now >= ticket.late_at else "near" if now >= ticket.near_at else "on_time"
    if now > ticket.estimated_ready_time:
        return "late"
    if now >= ticket.estimated_ready_time - NEAR_WINDOW:
        return "near"
    return "on_time"


def age_reason(ticket: KitchenTicketDto, now: datetime) -> str:
    """Why the ticket has its colour, in words ("open 16 min", "past due 12:30", "due 12:30")."""
    state = age_state(ticket, now)
    open_for = f"open {format_minutes(max(0.0, (now - ticket.placed_at).total_seconds()))}"
    due = format_time(ticket.estimated_ready_time)
    if state == "late":
        return f"late: past due {due}" if now >= ticket.estimated_ready_time else f"late: {open_for}"
    if state == "near":
        return f"soon due: due {due}" if now >= ticket.estimated_ready_time - NEAR_WINDOW else f"amber: {open_for}"
    return f"on time: due {due}"


def queue_position(ticket: KitchenTicketDto) -> int:
    return ticket.queue_position


def item_allergy_text(item: KitchenItemDto) -> str:
    """The line's allergy alert: the customer's allergies and the allergy words of its note ("" for none)."""
    parts = []
    if item.allergies:
        parts.append(", ".join(item.allergies))
    if item.note_allergy_words:
        parts.append(f"note says “{', '.join(item.note_allergy_words)}”")
    return "; ".join(parts)


def allergy_lines(ticket: KitchenTicketDto) -> list[str]:
    """One line per item with an allergy alert: "Line 1 Margherita: nuts; note says “coeliac”"."""
    return [
        f"Line {item.index + 1} {item.name}: {item_allergy_text(item)}" for item in ticket.items if item.allergy_alert
    ]


def notice_text(ticket: KitchenTicketDto) -> str:
    """ "CANCELLED: Reason: customer left; By Luigi" ("" without a notice)."""
    if ticket.notice is None:
        return ""
    details = "; ".join(ticket.notice.details)
    return f"{ticket.notice.kind.upper()}: {details}" if details else ticket.notice.kind.upper()


def no_preparation_text(ticket: KitchenTicketDto) -> str:
    """The items the kitchen does not make, counted: "2 × Cola, 1 × Water" ("" for none)."""
    counts: dict[str, int] = {}
    for item in ticket.items:
        if not item.needs_preparation:
            counts[item.name] = counts.get(item.name, 0) + item.quantity
    return ", ".join(f"{count} × {name}" for name, count in counts.items())


def item_label(item: KitchenItemDto) -> str:
    """ "2 × Margherita" for a line of several (made together, ready as one), else the name."""
    return f"{item.quantity} × {item.name}" if item.quantity > 1 else item.name


def ticket_type_text(ticket: KitchenTicketDto) -> str:
    """ "Dine-in · Table 7", "Pickup", "Delivery"."""
    kind = ORDER_TYPE_LABELS.get(ticket.order_type, ticket.order_type)
    return f"{kind} · Table {ticket.table_number}" if ticket.table_number else kind


def item_text(item: KitchenItemDto) -> str:
    """One item for the kitchen: name and size, then toppings, notes, allergens and allergies on their own lines."""
    lines = [f"{item_label(item)} ({item.size})" + ("" if item.needs_preparation else " · no preparation")]
    if item.toppings:
        lines.append("+ " + ", ".join(item.toppings))
    if item.special_instructions:
        lines.append(f"“{item.special_instructions}”")
    if item.allergy_alert:
        lines.append(f"⚠ ALLERGY: {item_allergy_text(item)}")
    if item.allergens:
        lines.append("Contains: " + ", ".join(item.allergens))
    return "\n".join(lines)


class KitchenQueueModel(QAbstractListModel):
    """Open tickets, oldest first. `apply()` diffs a fresh queue in by order id; `tick()` re-ages every row."""

    TicketRole = Qt.ItemDataRole.UserRole
    AgeStateRole = Qt.ItemDataRole.UserRole + 1
    AgeSecondsRole = Qt.ItemDataRole.UserRole + 2
    FlashRole = Qt.ItemDataRole.UserRole + 3
    """True while a new ticket's card is lit (it blinks: `flash_phase`)."""

    def __init__(self, parent: QObject | None = None, *, now: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self._items: list[KitchenTicketDto] = []
        self._now = now
        self._flashing: set[UUID] = set()
        self.flash_phase = True

    # Qt overrides
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        ticket = self._items[index.row()]
        if role == self.TicketRole:
            return ticket
        if role == self.AgeStateRole:
            return age_state(ticket, self._now())
        if role == self.AgeSecondsRole:
            return max(0, int((self._now() - ticket.placed_at).total_seconds()))
        if role == self.FlashRole:
            return self.flash_phase and ticket.order_id in self._flashing
        if role == Qt.ItemDataRole.DisplayRole:
            items = len(ticket.items)
            return f"#{ticket.order_number} {ticket_type_text(ticket)} · {items} item{'s' if items != 1 else ''}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [f"Order {ticket.order_number}", STATUS_LABELS.get(ticket.status, ticket.status)]
            if ticket.notice is not None:
                parts.insert(1, ticket.notice.kind.upper())
            if ticket.allergy_alert:
                parts.append("ALLERGY")
            if ticket.status != "cancelled":
                parts.append(age_reason(ticket, self._now()))
            return ", ".join(parts)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            parts = [notice_text(ticket)] if ticket.notice is not None else []
            parts += [f"ALLERGY: {line}" for line in allergy_lines(ticket)]
            parts += [item_text(item).replace("\n", ", ") for item in ticket.items if item.needs_preparation]
            if no_preparation_text(ticket):
                parts.append(f"No preparation: {no_preparation_text(ticket)}")
            return ". ".join(parts)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # ours
    def flash(self, order_ids: Sequence[UUID]) -> None:
        """Light these tickets' cards (new tickets) until `stop_flashing`."""
        self._flashing.update(order_ids)
        self._emit_all([self.FlashRole])

    def toggle_flash(self) -> None:
        self.flash_phase = not self.flash_phase
        self._emit_all([self.FlashRole])

    def stop_flashing(self) -> None:
        self._flashing.clear()
        self.flash_phase = True
        self._emit_all([self.FlashRole])

    @property
    def flashing(self) -> frozenset[UUID]:
        return frozenset(self._flashing)

    def _emit_all(self, roles: list[int]) -> None:
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1), roles)

    def ticket_at(self, row: int) -> KitchenTicketDto | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, order_id: UUID) -> int | None:
        return next((row for row, ticket in enumerate(self._items) if ticket.order_id == order_id), None)

    def apply(self, tickets: Sequence[KitchenTicketDto]) -> None:
        """Make the rows equal `tickets` with row signals only: removes, moves, inserts and `dataChanged`."""
        wanted = {ticket.order_id for ticket in tickets}
        for row in range(len(self._items) - 1, -1, -1):
            if self._items[row].order_id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._items[row]
                self.endRemoveRows()
        for row, ticket in enumerate(tickets):
            current = self._items[row] if row < len(self._items) else None
            if current is not None and current.order_id == ticket.order_id:
                if current != ticket:
                    self._items[row] = ticket
                    self.dataChanged.emit(self.index(row), self.index(row))
                continue
            found = self.row_of(ticket.order_id)
            if found is None:
                self.beginInsertRows(QModelIndex(), row, row)
                self._items.insert(row, ticket)
                self.endInsertRows()
                continue
            # Only when the queue's order changed (rare): move the row up to its FIFO place.
            self.beginMoveRows(QModelIndex(), found, found, QModelIndex(), row)
            self._items.insert(row, self._items.pop(found))
            self.endMoveRows()
            if self._items[row] != ticket:
                self._items[row] = ticket
                self.dataChanged.emit(self.index(row), self.index(row))

    def merge(self, tickets: Sequence[KitchenTicketDto], closed: Sequence[UUID]) -> None:
        """Apply what changed since the last read: `closed` tickets leave, changed ones are replaced in place, new
        ones go to their place in the queue (by `queue_position`). Costs what changed, not the queue's length."""
        for order_id in closed:
            row = self.row_of(order_id)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._items[row]
                self.endRemoveRows()
        for ticket in tickets:
            row = self.row_of(ticket.order_id)
            if row is not None:
                if self._items[row] != ticket:
                    self._items[row] = ticket
                    self.dataChanged.emit(self.index(row), self.index(row))
                continue
            row = bisect.bisect_right(self._items, ticket.queue_position, key=queue_position)
            self.beginInsertRows(QModelIndex(), row, row)
            self._items.insert(row, ticket)
            self.endInsertRows()

    @property
    def tickets(self) -> list[KitchenTicketDto]:
        return list(self._items)

    def tick(self) -> None:
        """Time passed: ages and age colours may have changed on every row."""
        if self._items:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._items) - 1), [self.AgeStateRole, self.AgeSecondsRole]
            )


class TicketItemsModel(QAbstractListModel):
    """The items of one ticket, for the side panel: one row per pizza (or side), ready ones ticked."""

    ItemRole = Qt.ItemDataRole.UserRole

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticket: KitchenTicketDto | None = None
        self._items: list[KitchenItemDto] = []

    @property
    def ticket(self) -> KitchenTicketDto | None:
        return self._ticket

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == self.ItemRole:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{'✓' if item.ready else '○'} {item_text(item)}"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setPixelSize(17)
            font.setStrikeOut(item.ready)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            return theme.LATE if item.allergy_alert else theme.MUTED if item.ready else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = "no preparation" if not item.needs_preparation else "ready" if item.ready else "not ready"
            allergy = f", ALLERGY: {item_allergy_text(item)}" if item.allergy_alert else ""
            return f"{item.name} {item.size}, {state}{allergy}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def item_at(self, row: int) -> KitchenItemDto | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def set_ticket(self, ticket: KitchenTicketDto | None) -> None:
        """Show `ticket`'s items. The same ticket with the same items updates rows in place (keeping the selection);
        another ticket replaces everything."""
        items = list(ticket.items) if ticket is not None else []
        same_ticket = (
            ticket is not None
            and self._ticket is not None
            and ticket.order_id == self._ticket.order_id
            and [item.index for item in items] == [item.index for item in self._items]
        )
        if not same_ticket:
            self.beginResetModel()
            self._ticket, self._items = ticket, items
            self.endResetModel()
            return
        self._ticket = ticket
        for row, item in enumerate(items):
            if item != self._items[row]:
                self._items[row] = item
                self.dataChanged.emit(self.index(row), self.index(row))
