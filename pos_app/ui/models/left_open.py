"""The orders left open on an earlier business day, as a table for the manager (one row per `OrderSummaryDto`)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from pos_app.messages.dtos import OrderSummaryDto
from pos_app.ui.formatting import format_money, format_time
from pos_app.ui.models.orders import STATUS_TEXT

Index = QModelIndex | QPersistentModelIndex


class LeftOpenColumn(IntEnum):
    DAY = 0
    NUMBER = 1
    TIME = 2
    CUSTOMER = 3
    ITEMS = 4
    TOTAL = 5
    STATUS = 6


LEFT_OPEN_HEADERS: dict[LeftOpenColumn, str] = {
    LeftOpenColumn.DAY: "Day",
    LeftOpenColumn.NUMBER: "#",
    LeftOpenColumn.TIME: "Time",
    LeftOpenColumn.CUSTOMER: "Customer",
    LeftOpenColumn.ITEMS: "Items",
    LeftOpenColumn.TOTAL: "Total",
    LeftOpenColumn.STATUS: "Status",
}


class LeftOpenModel(QAbstractTableModel):
    """Oldest first, as the query answers. `apply()` replaces the rows (the list is short and read on demand)."""

    OrderRole = Qt.ItemDataRole.UserRole

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._orders: list[OrderSummaryDto] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._orders)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(LeftOpenColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._orders):
            return None
        order = self._orders[index.row()]
        if role == self.OrderRole:
            return order
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(order, LeftOpenColumn(index.column()))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == LeftOpenColumn.TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        if horizontal and 0 <= section < len(LeftOpenColumn):
            return LEFT_OPEN_HEADERS[LeftOpenColumn(section)]
        return None

    @staticmethod
    def _text(order: OrderSummaryDto, column: LeftOpenColumn) -> str:
        match column:
            case LeftOpenColumn.DAY:
                return order.business_date.isoformat()
            case LeftOpenColumn.NUMBER:
                return f"#{order.order_number}"
            case LeftOpenColumn.TIME:
                return format_time(order.placed_at)
            case LeftOpenColumn.CUSTOMER:
                return order.customer_name
            case LeftOpenColumn.ITEMS:
                return order.items_summary
            case LeftOpenColumn.TOTAL:
                return format_money(order.total_amount) + ("" if order.paid else "  (unpaid)")
            case LeftOpenColumn.STATUS:
                return STATUS_TEXT.get(order.status, order.status)
        return ""

    def apply(self, orders: Sequence[OrderSummaryDto]) -> None:
        self.beginResetModel()
        self._orders = list(orders)
        self.endResetModel()

    def order_at(self, row: int) -> OrderSummaryDto | None:
        return self._orders[row] if 0 <= row < len(self._orders) else None

    @property
    def orders(self) -> list[OrderSummaryDto]:
        return list(self._orders)
