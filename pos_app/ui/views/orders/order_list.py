"""The Orders screen's list: the table of today's orders, and the filter bar over it (status, search, count).

The filter and the search work on the loaded rows (no query per keystroke); the selected order stays selected
through both, and through every refresh of the rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from pos_app.messages.dtos import OrderSummaryDto
from pos_app.ui.formatting import format_money
from pos_app.ui.keymap import keys_text
from pos_app.ui.models.order_filter import OrdersFilterProxyModel
from pos_app.ui.models.orders import HEADERS, STATUS_TEXT, OrderColumn, OrdersTableModel

OPTIONAL_COLUMNS = (OrderColumn.LATE, OrderColumn.TIME, OrderColumn.ITEMS)
"""Hidden in this order when the table is too narrow for them beside number, customer, total, status and ETA (the
ETA is red when late; the detail shows the time and the items)."""
MIN_ITEMS_WIDTH = 160

STATUS_FILTERS: list[tuple[str, str]] = [
    ("All orders", OrdersFilterProxyModel.ALL),
    ("Open orders", OrdersFilterProxyModel.OPEN),
    *((text, status) for status, text in STATUS_TEXT.items()),
]


class OrdersTable(QTableView):
    """The orders, sorted newest first, one selected at a time. `orders_model` holds the rows, `proxy` filters them."""

    def __init__(self, parent: QWidget | None = None, *, now: Callable[[], datetime]) -> None:
        super().__init__(parent)
        self.orders_model = OrdersTableModel(self, now=now)
        self.proxy = OrdersFilterProxyModel(self)
        self.proxy.setSourceModel(self.orders_model)
        self.setModel(self.proxy)
        self.setAccessibleName(self.tr("Today's orders"))
        self.setTabKeyNavigation(False)  # one Tab stop; the arrows move between orders
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.sortByColumn(OrderColumn.TIME, Qt.SortOrder.DescendingOrder)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setShowGrid(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(36)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(OrderColumn.ITEMS, QHeaderView.ResizeMode.Stretch)
        self._widths: dict[OrderColumn, int] = {}
        self._sized = True
        self.size_columns()

    def size_columns(self) -> None:
        """Fit the fixed columns to their longest likely text in the table's font (as styled)."""
        self.ensurePolished()
        metrics = self.fontMetrics()
        header_metrics = self.horizontalHeader().fontMetrics()
        padding = 24
        samples = {
            OrderColumn.NUMBER: "#888",
            OrderColumn.TIME: "88:88",
            OrderColumn.CUSTOMER: "Francesca Esposito",
            OrderColumn.TOTAL: format_money(Decimal("188.88")),
            OrderColumn.STATUS: STATUS_TEXT["out_for_delivery"],
            OrderColumn.ETA: "88:88",
            OrderColumn.LATE: "LATE",
        }
        for column, sample in samples.items():
            header = header_metrics.horizontalAdvance(HEADERS[column]) + padding + 16  # room for the sort arrow
            self._widths[column] = max(metrics.horizontalAdvance(sample) + padding, header)
            self.setColumnWidth(column, self._widths[column])
        self.fit_columns()

    def fit_columns(self) -> None:
        """Show the optional columns that fit beside the others, hiding the rest in order (never sideways scrolling)."""
        available = self.viewport().width()
        hidden: set[OrderColumn] = set()
        for column in OPTIONAL_COLUMNS:
            if self._width_needed(hidden) <= available:
                break
            hidden.add(column)
        for column in OPTIONAL_COLUMNS:
            if self.isColumnHidden(column) != (column in hidden):
                self.setColumnHidden(column, column in hidden)
        mode = QHeaderView.ResizeMode.Stretch if OrderColumn.ITEMS in hidden else QHeaderView.ResizeMode.Interactive
        if self.horizontalHeader().sectionResizeMode(OrderColumn.CUSTOMER) != mode:  # the names take the room
            self.horizontalHeader().setSectionResizeMode(OrderColumn.CUSTOMER, mode)
            if mode == QHeaderView.ResizeMode.Interactive and OrderColumn.CUSTOMER in self._widths:
                self.setColumnWidth(OrderColumn.CUSTOMER, self._widths[OrderColumn.CUSTOMER])

    def _width_needed(self, hidden: set[OrderColumn]) -> int:
        shown = [column for column in OrderColumn if column not in hidden]
        return sum(MIN_ITEMS_WIDTH if column == OrderColumn.ITEMS else self._widths.get(column, 0) for column in shown)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.size_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """With nothing selected, the first arrow selects the row the focus is on (the newest when none) rather than
        moving on from a row that was never shown selected."""
        arrows = (Qt.Key.Key_Up, Qt.Key.Key_Down)
        if event.key() in arrows and not self.selectionModel().hasSelection() and self.proxy.rowCount() > 0:
            current = self.currentIndex()
            self.selectRow(current.row() if current.isValid() else 0)
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange) and getattr(self, "_sized", False):
            self.size_columns()

    def selected_order(self) -> OrderSummaryDto | None:
        """The order of the selected row, as the table shows it now."""
        rows = self.selectionModel().selectedRows()
        return self.proxy.order_at(rows[0].row()) if rows else None

    @contextmanager
    def keeping_selection(self) -> Iterator[None]:
        """Keep the selected order selected through a change of rows, or select nothing once it is gone: Qt would
        move the selection to a neighbouring row, and the next click would act on an order nobody chose."""
        kept = self.selected_order()
        yield
        if kept is None:
            return
        row = self.proxy.row_of(kept.order_id)
        now_selected = self.selected_order()
        if row is None:
            self.selectionModel().clear()
        elif now_selected is None or now_selected.order_id != kept.order_id:
            self.selectRow(row)


class OrdersFilterBar(QWidget):
    """Heading, status filter, search and the count of orders shown, over `table`."""

    def __init__(self, table: OrdersTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table = table
        self.heading = QLabel(self.tr("Today's orders"), self)
        self.heading.setObjectName("heading")
        self.status_filter = QComboBox(self)
        for text, key in STATUS_FILTERS:
            self.status_filter.addItem(self.tr(text), key)
        self.status_filter.setMinimumWidth(170)
        self.status_filter.setAccessibleName(self.tr("Show orders"))
        self.status_filter.currentIndexChanged.connect(self._on_status_filter_current_index_changed)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(
            self.tr("Search name, phone or #number   ({keys})").format(keys=keys_text("orders", "find"))
        )
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search orders"))
        self.search.setMinimumWidth(320)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")
        proxy = table.proxy
        for signal in (proxy.rowsInserted, proxy.rowsRemoved, proxy.modelReset):
            signal.connect(self._update_count)

        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.heading)
        self.row.addSpacing(12)
        self.row.addWidget(self.status_filter)
        self.row.addWidget(self.search, 1)
        self.row.addWidget(self.count_label)
        self._update_count()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_status_filter_current_index_changed(self, _row: int) -> None:
        with self._table.keeping_selection():
            self._table.proxy.set_status_filter(str(self.status_filter.currentData()))

    def _on_search_text_changed(self, text: str) -> None:
        with self._table.keeping_selection():
            self._table.proxy.set_search_text(text)

    def _update_count(self, *_args: object) -> None:
        shown, total = self._table.proxy.rowCount(), self._table.orders_model.rowCount()
        text = f"{total} orders" if shown == total else f"{shown} of {total} orders"
        self.count_label.setText(text)
