"""Today's orders as a table: one row per `OrderSummaryDto`, updated in place, and a proxy to filter and sort it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any
from uuid import UUID

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from pos_app.messages.dtos import OrderDto, OrderSummaryDto
from pos_app.ui import theme
from pos_app.ui.formatting import format_money, format_time

Index = QModelIndex | QPersistentModelIndex

STATUS_TEXT: dict[str, str] = {
    "pending": "Pending",
    "cooking": "Cooking",
    "ready": "Ready",
    "picked_up": "Picked up",
    "out_for_delivery": "Out for delivery",
    "delivered": "Delivered",
    "cancelled": "Cancelled",
}
ORDER_TYPE_TEXT: dict[str, str] = {"pickup": "Pickup", "delivery": "Delivery", "dine_in": "Dine-in"}
OPEN_STATUSES = frozenset({"pending", "cooking", "ready", "out_for_delivery"})
LATE_STATUSES = frozenset({"pending", "cooking"})
"""An order is late while the kitchen still has it after its estimated ready time."""

_STATUS_COLOURS = {
    "cooking": theme.NEAR.darker(130),
    "ready": theme.READY,
    "out_for_delivery": theme.READY,
    "picked_up": theme.MUTED,
    "delivered": theme.MUTED,
    "cancelled": theme.MUTED,
}


class OrderColumn(IntEnum):
    NUMBER = 0
    TIME = 1
    CUSTOMER = 2
    ITEMS = 3
    TOTAL = 4
    STATUS = 5
    ETA = 6
    LATE = 7


HEADERS: dict[OrderColumn, str] = {
    OrderColumn.NUMBER: "#",
    OrderColumn.TIME: "Time",
    OrderColumn.CUSTOMER: "Customer",
    OrderColumn.ITEMS: "Items",
    OrderColumn.TOTAL: "Total",
    OrderColumn.STATUS: "Status",
    OrderColumn.ETA: "ETA",
    OrderColumn.LATE: "Late",
}


HEADER_TIPS: dict[OrderColumn, str] = {
    OrderColumn.TOTAL: "In red: not paid yet",
    OrderColumn.ETA: "Estimated ready time; in red when late",
    OrderColumn.LATE: "Still pending or cooking after its estimated ready time",
}


COLUMNS = tuple(OrderColumn)
ANSWERED_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.UserRole,  # OrdersTableModel.OrderRole
        Qt.ItemDataRole.UserRole + 1,  # SortRole
        Qt.ItemDataRole.UserRole + 2,  # LateRole
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
    )
)
"""The roles `OrdersTableModel.data` answers; every other role is None for every cell."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def is_late(order: OrderSummaryDto | OrderDto, now: datetime) -> bool:
    return order.status in LATE_STATUSES and now > order.estimated_ready_time


def placing_key(order: OrderSummaryDto) -> tuple[datetime, int]:
    """What the order list is sorted by, largest (newest) first: `placed_at`, then the number."""
    return order.placed_at, order.order_number


class OrdersTableModel(QAbstractTableModel):
    """The order list. `apply()` updates it in place (inserts, removes, moves and `dataChanged`, never a reset),
    so the selection and the scroll position survive a refresh. `tick()` re-evaluates the Late flag."""

    OrderRole = Qt.ItemDataRole.UserRole
    """The row's `OrderSummaryDto`."""
    SortRole = Qt.ItemDataRole.UserRole + 1
    """The raw value of the cell (int, datetime, str, Decimal, bool): what the proxy sorts by."""
    LateRole = Qt.ItemDataRole.UserRole + 2
    """Whether the row's order is late (bool)."""

    def __init__(self, parent: QObject | None = None, *, now: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self._now = now
        self._rows: list[OrderSummaryDto] = []
        self._late: dict[UUID, bool] = {}

    # Qt overrides ---------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(OrderColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(OrderColumn):
            return None
        column = OrderColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (OrderColumn.NUMBER, OrderColumn.TOTAL):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in ANSWERED_ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None  # a cell is painted by asking a dozen roles: most have nothing, and a list repaints often
        order = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(order, column)
        if role == self.OrderRole:
            return order
        if role == self.SortRole:
            return self._sort_value(order, column)
        if role == self.LateRole:
            return self._late.get(order.order_id, False)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(order, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(order, column)
        if role == Qt.ItemDataRole.FontRole and column in (OrderColumn.NUMBER, OrderColumn.LATE):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (OrderColumn.NUMBER, OrderColumn.TOTAL):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # ours -----------------------------------------------------------------------------------------------------
    @property
    def orders(self) -> list[OrderSummaryDto]:
        return list(self._rows)

    def row_of(self, order_id: UUID) -> int | None:
        return next((row for row, order in enumerate(self._rows) if order.order_id == order_id), None)

    def apply(self, rows: Sequence[OrderSummaryDto]) -> None:
        """Make the model show `rows`, in that order, by the smallest set of row changes keyed on `order_id`."""
        now = self._now()
        wanted = {order.order_id for order in rows}
        self._remove_missing(wanted)
        self._late = {order_id: late for order_id, late in self._late.items() if order_id in wanted}
        present = {order.order_id for order in self._rows}
        target = 0
        while target < len(rows):
            order = rows[target]
            if order.order_id not in present:
                end = target
                while end + 1 < len(rows) and rows[end + 1].order_id not in present:
                    end += 1
                self.beginInsertRows(QModelIndex(), target, end)
                self._rows[target:target] = rows[target : end + 1]
                self._late.update((new.order_id, is_late(new, now)) for new in rows[target : end + 1])
                self.endInsertRows()
                target = end + 1
                continue
            if self._rows[target].order_id != order.order_id:
                current = next(
                    k for k in range(target + 1, len(self._rows)) if self._rows[k].order_id == order.order_id
                )
                self.beginMoveRows(QModelIndex(), current, current, QModelIndex(), target)
                self._rows.insert(target, self._rows.pop(current))
                self.endMoveRows()
            if self._rows[target] != order:
                self._rows[target] = order
                self._late[order.order_id] = is_late(order, now)
                self.dataChanged.emit(self.index(target, 0), self.index(target, len(OrderColumn) - 1))
            target += 1
        self.tick()  # unchanged rows may have turned late since the last look

    def merge(self, rows: Sequence[OrderSummaryDto]) -> None:
        """Apply the orders changed since the last read: each replaces its row in place, or, new, goes to its place
        (newest first, as `apply` orders them; new orders go at the top). Costs what changed, not the day's length."""
        now = self._now()
        for order in rows:
            row = self.row_of(order.order_id)
            if row is not None:
                if self._rows[row] != order:
                    self._rows[row] = order
                    self._late[order.order_id] = is_late(order, now)
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(OrderColumn) - 1))
                continue
            key = placing_key(order)
            row = next((k for k, listed in enumerate(self._rows) if placing_key(listed) < key), len(self._rows))
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, order)
            self._late[order.order_id] = is_late(order, now)
            self.endInsertRows()
        self.tick()  # unchanged rows may have turned late since the last look

    def tick(self) -> None:
        """Time passed: flag the orders that became late (or stopped being late) since the last look."""
        now = self._now()
        for row, order in enumerate(self._rows):
            late = is_late(order, now)
            if late != self._late.get(order.order_id, False):
                self._late[order.order_id] = late
                self.dataChanged.emit(self.index(row, OrderColumn.ETA), self.index(row, OrderColumn.LATE))

    def _remove_missing(self, wanted: set[UUID]) -> None:
        row = len(self._rows) - 1
        while row >= 0:
            if self._rows[row].order_id in wanted:
                row -= 1
                continue
            first = row
            while first - 1 >= 0 and self._rows[first - 1].order_id not in wanted:
                first -= 1
            self.beginRemoveRows(QModelIndex(), first, row)
            del self._rows[first : row + 1]
            self.endRemoveRows()
            row = first - 1

    def _display(self, order: OrderSummaryDto, column: OrderColumn) -> str:
        match column:
            case OrderColumn.NUMBER:
                return f"#{order.order_number}"
            case OrderColumn.TIME:
                return format_time(order.placed_at)
            case OrderColumn.CUSTOMER:
                return (
                    f"Table {order.table_number} · {order.customer_name}" if order.table_number else order.customer_name
                )
            case OrderColumn.ITEMS:
                return order.items_summary
            case OrderColumn.TOTAL:
                return format_money(order.total_amount)
            case OrderColumn.STATUS:
                return STATUS_TEXT.get(order.status, order.status)
            case OrderColumn.ETA:
                return format_time(order.estimated_ready_time) if order.status in OPEN_STATUSES else ""
            case OrderColumn.LATE:
                return "LATE" if self._late.get(order.order_id, False) else ""

    def _sort_value(self, order: OrderSummaryDto, column: OrderColumn) -> Any:
        match column:
            case OrderColumn.NUMBER:
                return order.order_number
            case OrderColumn.TIME:
                return order.placed_at
            case OrderColumn.CUSTOMER:
                return order.customer_name.casefold()
            case OrderColumn.ITEMS:
                return order.items_summary.casefold()
            case OrderColumn.TOTAL:
                return order.total_amount
            case OrderColumn.STATUS:
                return list(STATUS_TEXT).index(order.status)
            case OrderColumn.ETA:
                return order.estimated_ready_time
            case OrderColumn.LATE:
                return self._late.get(order.order_id, False)

    def _tooltip(self, order: OrderSummaryDto, column: OrderColumn) -> str | None:
        match column:
            case OrderColumn.CUSTOMER:
                lines = [order.customer_name, order.customer_phone, ORDER_TYPE_TEXT.get(order.order_type, "")]
                if order.customer_address:
                    lines.append(order.customer_address)
                return "\n".join(line for line in lines if line)
            case OrderColumn.ITEMS:
                return order.items_summary
            case OrderColumn.TOTAL:
                return f"Paid ({order.payment_method})" if order.paid else f"Not paid yet ({order.payment_method})"
            case OrderColumn.LATE if self._late.get(order.order_id, False):
                return "Past its estimated ready time"
        return None

    def _foreground(self, order: OrderSummaryDto, column: OrderColumn) -> QBrush | None:
        late = self._late.get(order.order_id, False)
        if column in (OrderColumn.LATE, OrderColumn.ETA) and late:
            return QBrush(theme.LATE)
        if column == OrderColumn.STATUS and order.status in _STATUS_COLOURS:
            return QBrush(_STATUS_COLOURS[order.status])
        if column == OrderColumn.TOTAL and not order.paid and order.status != "cancelled":
            return QBrush(theme.LATE)
        if order.status == "cancelled":
            return QBrush(theme.MUTED)
        return None
