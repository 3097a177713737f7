"""The order list's filter and sort: by status and by what was typed, over `OrdersTableModel`."""

from __future__ import annotations

import re
from uuid import UUID

from PySide6.QtCore import QObject, QSortFilterProxyModel

from pos_app.messages.dtos import OrderSummaryDto
from pos_app.ui.models.orders import OPEN_STATUSES, Index, OrdersTableModel

_PHONE_LIKE = re.compile(r"[\d\s()+\-./]*\d[\d\s()+\-./]*")


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


class OrdersFilterProxyModel(QSortFilterProxyModel):
    """Filters the orders by status ("all", "open" or one status) and by what was typed: part of a name, phone
    digits, or `#number`. Sorts by the raw values of `OrdersTableModel.SortRole`."""

    ALL = "all"
    OPEN = "open"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = self.ALL
        self._search = ""
        self.setSortRole(OrdersTableModel.SortRole)

    @property
    def status_filter(self) -> str:
        return self._status

    @property
    def search_text(self) -> str:
        return self._search

    def set_status_filter(self, status: str) -> None:
        if status == self._status:
            return
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search_text(self, text: str) -> None:
        text = text.strip()
        if text == self._search:
            return
        self.beginFilterChange()
        self._search = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def order_at(self, row: int) -> OrderSummaryDto | None:
        order = self.index(row, 0).data(OrdersTableModel.OrderRole)
        return order if isinstance(order, OrderSummaryDto) else None

    def row_of(self, order_id: UUID) -> int | None:
        return next((row for row in range(self.rowCount()) if self._id_at(row) == order_id), None)

    def _id_at(self, row: int) -> UUID | None:
        order = self.order_at(row)
        return order.order_id if order else None

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        if source is None:
            return False
        order = source.index(source_row, 0, source_parent).data(OrdersTableModel.OrderRole)
        if not isinstance(order, OrderSummaryDto):
            return False
        return self._status_matches(order) and self._search_matches(order)

    def lessThan(self, source_left: Index, source_right: Index) -> bool:
        left = source_left.data(self.sortRole())
        right = source_right.data(self.sortRole())
        try:
            return bool(left < right)
        except TypeError:
            return str(left) < str(right)

    def _status_matches(self, order: OrderSummaryDto) -> bool:
        if self._status == self.ALL:
            return True
        if self._status == self.OPEN:
            return order.status in OPEN_STATUSES
        return order.status == self._status

    def _search_matches(self, order: OrderSummaryDto) -> bool:
        text = self._search
        if not text:
            return True
        if text.startswith("#"):
            number = text[1:].strip()
            return number.isdigit() and int(number) == order.order_number
        if text.casefold() in order.customer_name.casefold():
            return True
        if _PHONE_LIKE.fullmatch(text):
            digits = digits_of(text)
            return digits in digits_of(order.customer_phone) or digits == str(order.order_number)
        return False
