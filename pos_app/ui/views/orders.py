"""The Orders screen: today's orders, filtered and searched; the selected order's detail and timeline; and the
actions its status and the user's role allow (picked up, out for delivery, delivered, take payment, cancel)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.mediation import OperationResult, Request
from pos_app.messages.commands import (
    AssignOrderToDeliveryCommand,
    CancelOrderCommand,
    MarkOrderDeliveredCommand,
    MarkOrderPickedUpCommand,
    ProcessPaymentCommand,
)
from pos_app.messages.dtos import (
    OrderActionsDto,
    OrderDto,
    OrderItemDto,
    OrderSummaryDto,
    SessionDto,
    StaffDto,
)
from pos_app.messages.queries import GetOrderByIdQuery, GetOrdersQuery, GetStaffQuery
from pos_app.ui.formatting import format_money, format_time, parse_money
from pos_app.ui.models.orders import (
    HEADERS,
    ORDER_TYPE_TEXT,
    STATUS_TEXT,
    OrderColumn,
    OrdersFilterProxyModel,
    OrdersTableModel,
    is_late,
    utc_now,
)
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import async_slot
from pos_app.ui.views.approval import ApprovalDialog
from pos_app.ui.views.base import ScreenView, error_label, set_error, show_result_error
from pos_app.ui.views.left_open import LeftOpenPanel

TICK_MS = 15_000
PAGE_SIZE = 1000
FINAL_STATUSES = frozenset({"picked_up", "delivered", "cancelled"})
STATUS_FILTERS: list[tuple[str, str]] = [
    ("All orders", OrdersFilterProxyModel.ALL),
    ("Open orders", OrdersFilterProxyModel.OPEN),
    *((text, status) for status, text in STATUS_TEXT.items()),
]

OrderLike = OrderSummaryDto | OrderDto
NO_ACTIONS = OrderActionsDto()

PANE_STYLE = """
#detailPane QPushButton { border: 1px solid #bdbdbd; background: #f5f5f5; }
#detailPane QPushButton:hover { background: #eeeeee; }
#detailPane QPushButton:disabled { color: #9e9e9e; background: #fafafa; border-color: #e0e0e0; }
#detailPane QPushButton:checked { background: #ffcdd2; border: 2px solid #c62828; }
#detailPane QPushButton#primary { background: #c62828; color: white; border: none; }
#detailPane QPushButton#primary:disabled { background: #e0a0a0; }
#detailPane QFrame#panel { background: #fafafa; border: 1px solid #e0e0e0; border-radius: 6px; }
#detailPane QLabel#unpaid { color: #c62828; font-weight: bold; }
"""


class OrdersView(ScreenView):
    """Today's orders. Refreshes re-query `GetOrdersQuery` and update the table in place; the filter and the search
    work on the loaded rows (no query per keystroke). Every request is awaited on the Qt thread's loop."""

    detail_loaded = Signal()
    """Emitted after the detail pane was filled from `GetOrderByIdQuery`."""

    def __init__(
        self, mediator: Sender, parent: QWidget | None = None, *, now: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(mediator, parent)
        self._now = now
        self._staff: list[StaffDto] | None = None
        self._selected: OrderSummaryDto | None = None
        self._detail: OrderDto | None = None
        self._detail_stale = False
        self._busy = False
        self._command_target: OrderLike | None = None
        self._row_actions: dict[UUID, OrderActionsDto] = {}  # what the role may do to each listed order

        self.model = OrdersTableModel(self, now=now)
        self.proxy = OrdersFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset):
            signal.connect(self._update_count)

        self._build_filter_bar()
        self._build_table()
        self._build_detail_pane()
        self._build_actions()
        self._build_payment_panel()
        self._build_cancel_panel()
        self.left_open = LeftOpenPanel(mediator, self)  # a manager's orders left open on an earlier day
        self.left_open.closed.connect(self.request_refresh)
        self._lay_out()

        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self._on_timer_timeout)
        self.tick_timer.start()

        self.find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self.find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_shortcut.activated.connect(self._on_find_shortcut_activated)

        self._show_order(None)
        self._update_count()

    # building ---------------------------------------------------------------------------------------------------
    def _build_filter_bar(self) -> None:
        self.heading = QLabel(self.tr("Today's orders"), self)
        self.heading.setObjectName("heading")
        self.status_filter = QComboBox(self)
        for text, key in STATUS_FILTERS:
            self.status_filter.addItem(self.tr(text), key)
        self.status_filter.setMinimumWidth(170)
        self.status_filter.currentIndexChanged.connect(self._on_status_filter_current_index_changed)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search name, phone or #number   (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")

    def _build_table(self) -> None:
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(OrderColumn.TIME, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(OrderColumn.ITEMS, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self._size_columns()

    def _size_columns(self) -> None:
        """Fit the fixed columns to their longest likely text in the table's font (as styled)."""
        self.table.ensurePolished()
        metrics = self.table.fontMetrics()
        header_metrics = self.table.horizontalHeader().fontMetrics()
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
            self.table.setColumnWidth(column, max(metrics.horizontalAdvance(sample) + padding, header))

    def _build_detail_pane(self) -> None:
        self.detail_pane = QFrame(self)
        self.detail_pane.setObjectName("detailPane")
        self.detail_placeholder = QLabel(self.tr("Select an order to see its details."), self.detail_pane)
        self.detail_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_placeholder.setWordWrap(True)
        self.detail_body = QWidget(self.detail_pane)
        self.detail_title = QLabel(self.detail_body)
        self.detail_title.setObjectName("heading")
        self.detail_status = QLabel(self.detail_body)
        self.detail_status.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_customer = QLabel(self.detail_body)
        self.detail_customer.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_customer.setWordWrap(True)
        self.detail_customer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_items = _read_only_tree(self.detail_body, [self.tr("Item"), self.tr("Price")])
        self.detail_items.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.detail_items.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.detail_totals = QLabel(self.detail_body)
        self.detail_totals.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_totals.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.detail_total = QLabel(self.detail_body)
        self.detail_total.setObjectName("total")
        self.detail_total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.detail_payment = QLabel(self.detail_body)
        self.detail_payment.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_payment.setWordWrap(True)
        self.detail_timeline = _read_only_tree(self.detail_body, [self.tr("Time"), self.tr("Event"), self.tr("By")])
        self.detail_timeline.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.detail_timeline.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.detail_timeline.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        items_heading = _section_label(self.tr("Items"), self.detail_body)
        timeline_heading = _section_label(self.tr("Timeline"), self.detail_body)
        totals_row = QHBoxLayout()
        totals_row.addWidget(self.detail_totals, 1)
        totals_row.addWidget(self.detail_total)
        body = QVBoxLayout(self.detail_body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(6)
        body.addWidget(self.detail_title)
        body.addWidget(self.detail_status)
        body.addWidget(self.detail_customer)
        body.addWidget(items_heading)
        body.addWidget(self.detail_items, 3)
        body.addLayout(totals_row)
        body.addWidget(self.detail_payment)
        body.addWidget(timeline_heading)
        body.addWidget(self.detail_timeline, 2)

    def _build_actions(self) -> None:
        self.error = error_label(self)
        self.change_banner = QLabel(self)
        self.change_banner.setObjectName("banner")
        self.change_banner.setVisible(False)
        self.picked_up_button = QPushButton(self.tr("Picked up"), self)
        self.driver_combo = QComboBox(self)
        self.driver_combo.setMinimumWidth(150)
        self.out_for_delivery_button = QPushButton(self.tr("Out for delivery"), self)
        self.delivered_button = QPushButton(self.tr("Delivered"), self)
        for button in (self.picked_up_button, self.out_for_delivery_button, self.delivered_button):
            button.setObjectName("primary")  # the order's next step
        self.payment_button = QPushButton(self.tr("Take payment…"), self)
        self.cancel_button = QPushButton(self.tr("Cancel order…"), self)
        self.driver_error = error_label(self)
        for button in (self.picked_up_button, self.out_for_delivery_button, self.delivered_button):
            button.clicked.connect(self._on_command_button_clicked)  # first: lock the actions (no double submit)
        self.picked_up_button.clicked.connect(self._on_picked_up_button_clicked)
        self.out_for_delivery_button.clicked.connect(self._on_out_for_delivery_button_clicked)
        self.delivered_button.clicked.connect(self._on_delivered_button_clicked)
        self.payment_button.clicked.connect(self._on_payment_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.driver_combo.currentIndexChanged.connect(self._on_driver_combo_current_index_changed)

    def _build_payment_panel(self) -> None:
        self.payment_panel = QFrame(self)
        self.payment_panel.setObjectName("panel")
        self.payment_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.payment_heading = QLabel(self.payment_panel)
        self.payment_heading.setObjectName("sectionHeading")
        self.cash_button = QPushButton(self.tr("Cash"), self.payment_panel)
        self.card_button = QPushButton(self.tr("Card"), self.payment_panel)
        self.payment_method_group = QButtonGroup(self.payment_panel)
        for button in (self.cash_button, self.card_button):
            button.setCheckable(True)
            self.payment_method_group.addButton(button)
        self.cash_button.setChecked(True)
        self.cash_button.toggled.connect(self._on_cash_button_toggled)
        self.tendered_label = QLabel(self.tr("Cash tendered"), self.payment_panel)
        self.tendered_edit = QLineEdit(self.payment_panel)
        self.tendered_edit.setPlaceholderText(self.tr("e.g. 50.00"))
        self.tendered_label.setBuddy(self.tendered_edit)
        self.tendered_error = error_label(self.payment_panel)
        self.confirm_payment_button = QPushButton(self.tr("Confirm payment"), self.payment_panel)
        self.confirm_payment_button.setObjectName("primary")
        self.close_payment_button = QPushButton(self.tr("Back"), self.payment_panel)
        self.confirm_payment_button.clicked.connect(self._on_command_button_clicked)
        self.confirm_payment_button.clicked.connect(self._on_confirm_payment_button_clicked)
        self.close_payment_button.clicked.connect(self._on_close_payment_button_clicked)
        self.tendered_edit.returnPressed.connect(self.confirm_payment_button.click)
        self.close_payment_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.payment_panel)
        self.close_payment_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.close_payment_shortcut.activated.connect(self.close_payment_button.click)

        method_and_amount = QHBoxLayout()
        method_and_amount.addWidget(self.cash_button)
        method_and_amount.addWidget(self.card_button)
        method_and_amount.addSpacing(12)
        method_and_amount.addWidget(self.tendered_label)
        method_and_amount.addWidget(self.tendered_edit, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_payment_button, 1)
        buttons.addWidget(self.close_payment_button)
        layout = QVBoxLayout(self.payment_panel)
        layout.addWidget(self.payment_heading)
        layout.addLayout(method_and_amount)
        layout.addWidget(self.tendered_error)
        layout.addLayout(buttons)
        self.payment_panel.setVisible(False)

    def _build_cancel_panel(self) -> None:
        self.cancel_panel = QFrame(self)
        self.cancel_panel.setObjectName("panel")
        self.cancel_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.cancel_heading = QLabel(self.cancel_panel)
        self.cancel_heading.setObjectName("sectionHeading")
        self.cancel_reason = QLineEdit(self.cancel_panel)
        self.cancel_reason.setPlaceholderText(self.tr("Reason, e.g. customer changed their mind"))
        self.cancel_reason.setMaxLength(200)
        self.cancel_reason_error = error_label(self.cancel_panel)
        self.confirm_cancel_button = QPushButton(self.tr("Cancel the order"), self.cancel_panel)
        self.confirm_cancel_button.setObjectName("primary")
        self.keep_order_button = QPushButton(self.tr("Keep it"), self.cancel_panel)
        self.confirm_cancel_button.clicked.connect(self._on_command_button_clicked)
        self.confirm_cancel_button.clicked.connect(self._on_confirm_cancel_button_clicked)
        self.keep_order_button.clicked.connect(self._on_keep_order_button_clicked)
        self.cancel_reason.returnPressed.connect(self.confirm_cancel_button.click)
        self.keep_order_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.cancel_panel)
        self.keep_order_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.keep_order_shortcut.activated.connect(self.keep_order_button.click)

        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_cancel_button, 1)
        buttons.addWidget(self.keep_order_button)
        layout = QVBoxLayout(self.cancel_panel)
        layout.addWidget(self.cancel_heading)
        layout.addWidget(self.cancel_reason)
        layout.addWidget(self.cancel_reason_error)
        layout.addLayout(buttons)
        self.cancel_panel.setVisible(False)

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addSpacing(12)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.left_open.toggle_button)

        progress = QHBoxLayout()
        progress.addWidget(self.picked_up_button)
        progress.addWidget(self.driver_combo, 1)
        progress.addWidget(self.out_for_delivery_button)
        progress.addWidget(self.delivered_button)
        other = QHBoxLayout()
        other.addWidget(self.payment_button)
        other.addWidget(self.cancel_button)
        other.addStretch(1)
        self.actions_box = QWidget(self.detail_pane)
        actions = QVBoxLayout(self.actions_box)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addLayout(progress)
        actions.addWidget(self.driver_error)
        actions.addLayout(other)

        pane = QVBoxLayout(self.detail_pane)
        pane.setContentsMargins(12, 0, 0, 0)
        pane.addWidget(self.detail_placeholder, 1)
        pane.addWidget(self.detail_body, 1)
        pane.addWidget(self.change_banner)
        pane.addWidget(self.error)
        pane.addWidget(self.actions_box)
        pane.addWidget(self.payment_panel)
        pane.addWidget(self.cancel_panel)
        self.detail_pane.setMinimumWidth(460)
        self.detail_pane.setStyleSheet(PANE_STYLE)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail_pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.left_open)
        layout.addWidget(self.splitter, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._size_columns()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange) and getattr(self, "table", None):
            self._size_columns()

    # session and refresh ----------------------------------------------------------------------------------------
    def set_session(self, session: SessionDto | None) -> None:
        if (session.role if session else None) != self.role:  # what the last role could do is not the new one's
            self._row_actions = {}
            self._detail_stale = True
        super().set_session(session)
        self.left_open.set_role(self.role)
        self._select_own_driver()
        self._update_actions()

    async def refresh(self) -> None:
        if self._staff is None:
            await self._load_staff()
        result = await self._mediator.execute_async(GetOrdersQuery(page_size=PAGE_SIZE))
        if not result.is_success or result.data is None:
            self._show_error(result)
            return
        self._row_actions = result.data.actions
        with self._keeping_selection():
            self.model.apply(result.data.items)
        await self.left_open.refresh()
        await self._follow_selection()

    async def _load_staff(self) -> None:
        result = await self._mediator.execute_async(GetStaffQuery())
        if not result.is_success or result.data is None:
            return
        self._staff = list(result.data)
        self.driver_combo.blockSignals(True)
        self.driver_combo.clear()
        for member in self._staff:
            if member.role == "driver":
                self.driver_combo.addItem(member.name, member.id)
        if self.driver_combo.count() == 0:
            self.driver_combo.setPlaceholderText(self.tr("No drivers"))
        self.driver_combo.blockSignals(False)
        self._select_own_driver()
        self._update_actions()

    def _select_own_driver(self) -> None:
        if self.session is not None and self.session.role == "driver":
            row = self.driver_combo.findData(self.session.staff_id)
            if row >= 0:
                self.driver_combo.setCurrentIndex(row)

    # selection and detail ---------------------------------------------------------------------------------------
    def selected_order(self) -> OrderSummaryDto | None:
        """The order of the selected row, as the table shows it now."""
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.order_at(rows[0].row()) if rows else None

    @contextmanager
    def _keeping_selection(self) -> Iterator[None]:
        """Keep the selected order selected through a change of rows, or select nothing once it is gone: Qt would
        move the selection to a neighbouring row, and the next click would act on an order nobody chose."""
        kept = self.selected_order()
        yield
        if kept is None:
            return
        row = self.proxy.row_of(kept.order_id)
        now_selected = self.selected_order()
        if row is None:
            self.table.selectionModel().clear()
        elif now_selected is None or now_selected.order_id != kept.order_id:
            self.table.selectRow(row)

    @async_slot(QItemSelection, QItemSelection)
    async def _on_table_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        await self._follow_selection()

    @async_slot(QModelIndex)
    async def _on_table_activated(self, index: QModelIndex) -> None:
        """Enter (or a double click) on a row: open its detail afresh and move to its actions."""
        order = self.proxy.order_at(index.row())
        if order is None:
            return
        if self.selected_order() != order:
            self.table.selectRow(index.row())
            await self._follow_selection()  # the selection's own slot then finds nothing new to do
        else:
            await self._load_detail(order.order_id)
        first = next((b for b in self._action_buttons() if b.isVisible() and b.isEnabled()), None)
        if first is not None:
            first.setFocus()

    async def _follow_selection(self) -> None:
        """Show what is selected now: a new order loads its detail; a changed one reloads it."""
        order = self.selected_order()
        previous = self._selected
        if order is None:
            if previous is not None:
                self._selected = None
                self._detail = None
                self._show_order(None)
            return
        if previous is not None and previous.order_id == order.order_id:
            if previous != order:
                self._selected = order
                self._detail_stale = True
                self._update_actions()
                await self._load_detail(order.order_id)
            return
        self._selected = order
        self._detail = None
        set_error(self.error, None)
        self.change_banner.setVisible(False)
        self.payment_panel.setVisible(False)
        self.cancel_panel.setVisible(False)
        self._show_order(order)
        await self._load_detail(order.order_id)

    async def _load_detail(self, order_id: UUID) -> None:
        result = await self._mediator.execute_async(GetOrderByIdQuery(order_id=order_id))
        if self._selected is None or self._selected.order_id != order_id:
            return  # the user moved on while it loaded
        if not result.is_success or result.data is None:
            self._show_error(result)
            return
        self._detail = result.data
        self._detail_stale = False
        self._show_order(result.data)
        self.detail_loaded.emit()

    def _acting_on(self) -> OrderLike | None:
        """The selected order as last read: its detail when loaded, else its row."""
        if self._selected is None:
            return None
        if not self._detail_stale and self._detail is not None and self._detail.order_id == self._selected.order_id:
            return self._detail
        return self._selected

    def _show_order(self, order: OrderLike | None) -> None:
        self.detail_placeholder.setVisible(order is None)
        self.detail_body.setVisible(order is not None)
        if order is None:
            self._update_actions()
            return
        self.detail_title.setText(f"Order #{order.order_number}")
        self._show_status_line(order)
        customer = [f"{order.customer_name}  ·  {order.customer_phone}"]
        if order.customer_address:
            customer.append(order.customer_address)
        self.detail_customer.setText("\n".join(customer))
        self.detail_items.clear()
        self.detail_timeline.clear()
        if isinstance(order, OrderDto):
            self._fill_items(order)
            self._fill_timeline(order)
            self._fill_totals(order)
        else:
            self.detail_totals.setText("")
            self.detail_total.setText(format_money(order.total_amount))
        self.detail_payment.setText(_payment_text(order))
        self.detail_payment.setObjectName("paid" if order.paid or order.status == "cancelled" else "unpaid")
        self.detail_payment.style().unpolish(self.detail_payment)
        self.detail_payment.style().polish(self.detail_payment)
        self.payment_heading.setText(f"Take payment for #{order.order_number}: {format_money(order.total_amount)}")
        self.cancel_heading.setText(f"Why cancel order #{order.order_number}?")
        self._update_actions()

    def _show_status_line(self, order: OrderLike) -> None:
        status = STATUS_TEXT.get(order.status, order.status)
        late = " · LATE" if is_late(order, self._now()) else ""
        eta = f" · ready by {format_time(order.estimated_ready_time)}" if order.status not in FINAL_STATUSES else ""
        self.detail_status.setText(
            f"{ORDER_TYPE_TEXT.get(order.order_type, order.order_type)} · {status}{late}"
            f" · placed {format_time(order.placed_at)}{eta}"
        )

    def _fill_items(self, order: OrderDto) -> None:
        for item in order.items:
            row = QTreeWidgetItem([_item_text(item), format_money(item.price)])
            row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            row.setToolTip(0, _item_text(item))
            self.detail_items.addTopLevelItem(row)

    def _fill_timeline(self, order: OrderDto) -> None:
        names = {member.id: member.name for member in self._staff or []}
        for entry in order.timeline:
            staff = names.get(entry.staff_id, entry.staff_id) if entry.staff_id else ""
            row = QTreeWidgetItem([format_time(entry.occurred_at), entry.description, staff])
            row.setToolTip(1, entry.description)
            self.detail_timeline.addTopLevelItem(row)
        self.detail_timeline.scrollToBottom()

    def _fill_totals(self, order: OrderDto) -> None:
        first = f"Subtotal {format_money(order.subtotal)}"
        if order.delivery_fee:
            first += f"  ·  Delivery {format_money(order.delivery_fee)}"
        included = order.total_amount == order.subtotal + order.delivery_fee
        self.detail_totals.setText(f"{first}\n{'incl. tax' if included else 'Tax'} {format_money(order.tax)}")
        self.detail_total.setText(format_money(order.total_amount))

    # actions: what is shown, what is enabled --------------------------------------------------------------------
    def _action_buttons(self) -> list[QPushButton]:
        return [
            self.picked_up_button,
            self.out_for_delivery_button,
            self.delivered_button,
            self.payment_button,
            self.cancel_button,
        ]

    def _update_actions(self) -> None:
        """Show the actions the order's DTO says the logged-in role may take (the core decides), enabled while idle."""
        order = self._acting_on()
        idle = not self._busy
        allowed = self._allowed(order)
        actions = frozenset(allowed.actions)
        offered = actions | frozenset(allowed.actions_after_payment)  # hand-overs waiting for payment: shown only
        show_picked_up = "pick_up" in offered
        show_out = "send_out" in offered
        show_delivered = "deliver" in offered
        show_payment = "take_payment" in offered
        show_cancel = bool({"cancel", "cancel_with_approval"} & offered)
        self.picked_up_button.setVisible(show_picked_up)
        self.picked_up_button.setEnabled(idle and "pick_up" in actions)
        self.picked_up_button.setToolTip("" if "pick_up" in actions else self.tr("Take payment first"))
        self.out_for_delivery_button.setVisible(show_out)
        self.driver_combo.setVisible(show_out)
        self.driver_combo.setEnabled(idle)
        self.out_for_delivery_button.setEnabled(idle and self.driver_combo.currentData() is not None)
        self.delivered_button.setVisible(show_delivered)
        self.delivered_button.setEnabled(idle and "deliver" in actions)
        self.delivered_button.setToolTip("" if "deliver" in actions else self.tr("Take payment first"))
        self.payment_button.setVisible(show_payment)
        self.payment_button.setEnabled(idle)
        self.cancel_button.setVisible(show_cancel)
        self.cancel_button.setEnabled(idle)
        if not show_payment:
            self.payment_panel.setVisible(False)
        if not show_cancel:
            self.cancel_panel.setVisible(False)
        if not show_out:
            set_error(self.driver_error, None)
        for widget in (self.confirm_payment_button, self.close_payment_button, self.cash_button, self.card_button):
            widget.setEnabled(idle)
        self.tendered_edit.setEnabled(idle and self.cash_button.isChecked())
        self.confirm_cancel_button.setEnabled(idle)
        self.keep_order_button.setEnabled(idle)
        self.cancel_reason.setEnabled(idle)
        panel_open = self.payment_panel.isVisibleTo(self) or self.cancel_panel.isVisibleTo(self)
        any_action = any((show_picked_up, show_out, show_delivered, show_payment, show_cancel))
        self.actions_box.setVisible(any_action and not panel_open)  # an open panel stands in for the buttons

    def _allowed(self, order: OrderLike | None) -> OrderActionsDto:
        """What the logged-in role may do to `order`, as the core said with the order (its detail or its row)."""
        if order is None or self.role is None:
            return NO_ACTIONS
        if isinstance(order, OrderDto):
            return OrderActionsDto(actions=order.actions, actions_after_payment=order.actions_after_payment)
        return self._row_actions.get(order.order_id, NO_ACTIONS)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_actions()

    # commands -----------------------------------------------------------------------------------------------------
    def _on_command_button_clicked(self) -> None:
        """Runs first on every command button's click, before its async slot: lock all actions at once and
        remember which order the click was for, so a second click cannot send the command twice."""
        self._command_target = self._acting_on()
        self._set_busy(True)

    @asynccontextmanager
    async def _command(self) -> AsyncIterator[OrderLike | None]:
        try:
            yield self._command_target
        finally:
            self._command_target = None
            self._set_busy(False)

    @async_slot()
    async def _on_picked_up_button_clicked(self) -> None:
        async with self._command() as order:
            if order is not None:
                await self._execute(order.order_id, MarkOrderPickedUpCommand(order_id=order.order_id))

    @async_slot()
    async def _on_out_for_delivery_button_clicked(self) -> None:
        async with self._command() as order:
            driver_id = self.driver_combo.currentData()
            if order is None:
                return
            if not isinstance(driver_id, str):
                set_error(self.driver_error, self.tr("Choose a driver"))
                return
            await self._execute(
                order.order_id, AssignOrderToDeliveryCommand(order_id=order.order_id, driver_id=driver_id)
            )

    @async_slot()
    async def _on_delivered_button_clicked(self) -> None:
        async with self._command() as order:
            if order is not None:
                await self._execute(order.order_id, MarkOrderDeliveredCommand(order_id=order.order_id))

    @async_slot()
    async def _on_confirm_payment_button_clicked(self) -> None:
        async with self._command() as order:
            if order is None:
                return
            cash = self.cash_button.isChecked()
            amount = parse_money(self.tendered_edit.text()) if cash else None
            if cash and amount is None:
                set_error(self.tendered_error, self.tr("Enter the cash tendered, e.g. 50 or 50.00"))
                self.tendered_edit.setFocus()
                return
            result = await self._execute(
                order.order_id,
                ProcessPaymentCommand(
                    order_id=order.order_id, payment_method="cash" if cash else "card", amount_tendered=amount
                ),
            )
            if result is not None and result.data is not None:
                self.payment_panel.setVisible(False)
                self._show_change(result.data)

    @async_slot()
    async def _on_confirm_cancel_button_clicked(self) -> None:
        async with self._command() as order:
            if order is None:
                return
            command = CancelOrderCommand(order_id=order.order_id, reason=self.cancel_reason.text().strip())
            result = await self._mediator.execute_async(command)
            if result.status == 403 and "approver_pin" in result.errors:
                self._show_failure(result)
                managers = [member for member in self._staff or [] if member.role == "manager"]
                self.approval_dialog = ApprovalDialog(result.error_message or "", managers, self)
                approval = await self.approval_dialog.ask()
                if approval is None:
                    return
                approved = CancelOrderCommand(
                    order_id=order.order_id, reason=command.reason, approver_id=approval[0], approver_pin=approval[1]
                )
                result = await self._mediator.execute_async(approved)
            if await self._answered(order.order_id, result) is not None:
                self.cancel_panel.setVisible(False)

    async def _execute(
        self, order_id: UUID, request: Request[OperationResult[OrderDto]]
    ) -> OperationResult[OrderDto] | None:
        """Send a command about the selected order. A failure shows its message (fields next to their field) and
        changes nothing; a success refreshes the list and reloads the detail."""
        return await self._answered(order_id, await self._mediator.execute_async(request))

    async def _answered(self, order_id: UUID, result: OperationResult[OrderDto]) -> OperationResult[OrderDto] | None:
        self._clear_errors()
        if not result.is_success:
            self._show_failure(result)
            return None
        self._detail_stale = True
        await self.refreshed_since(self.refresh_mark())  # the bridge's refresh after the commit (see ScreenView)
        if self._selected is not None and self._selected.order_id == order_id and self._detail_stale:
            await self._load_detail(order_id)
        return result

    def _clear_errors(self) -> None:
        for label in (self.error, self.tendered_error, self.cancel_reason_error, self.driver_error):
            set_error(label, None)

    def _show_failure(self, result: OperationResult[OrderDto]) -> None:
        fields: dict[str, tuple[QLabel, QWidget]] = {
            "amount_tendered": (self.tendered_error, self.payment_panel),
            "payment_method": (self.tendered_error, self.payment_panel),
            "reason": (self.cancel_reason_error, self.cancel_panel),
            "driver_id": (self.driver_error, self.driver_combo),
        }
        unplaced = False
        for field, messages in result.errors.items():
            label, owner = fields.get(field, (None, None))
            if label is not None and owner is not None and owner.isVisibleTo(self):
                set_error(label, " ".join(messages))
            else:
                unplaced = True
        if unplaced or not result.errors:
            self._show_error(result)

    def _show_error(self, result: OperationResult[Any]) -> None:
        show_result_error(self.error, result)

    def _show_change(self, order: OrderDto) -> None:
        if order.payment_method == "cash" and order.change_due is not None:
            text = f"Paid in cash. Change due: {format_money(order.change_due)}"
        else:
            text = f"Paid by {order.payment_method}."
        self.change_banner.setText(text)
        self.change_banner.setVisible(True)

    # panels -------------------------------------------------------------------------------------------------------
    def _on_payment_button_clicked(self) -> None:
        self._clear_errors()
        self.change_banner.setVisible(False)
        self.cancel_panel.setVisible(False)
        self.tendered_edit.clear()
        self.cash_button.setChecked(True)
        self.payment_panel.setVisible(True)
        self._update_actions()
        self.tendered_edit.setFocus()

    def _on_close_payment_button_clicked(self) -> None:
        self.payment_panel.setVisible(False)
        set_error(self.tendered_error, None)
        self._update_actions()

    def _on_cash_button_toggled(self, checked: bool) -> None:
        self.tendered_edit.setEnabled(checked and not self._busy)
        self.tendered_label.setEnabled(checked)
        if not checked:
            self.tendered_edit.clear()
            set_error(self.tendered_error, None)

    def _on_cancel_button_clicked(self) -> None:
        self._clear_errors()
        self.change_banner.setVisible(False)
        self.payment_panel.setVisible(False)
        self.cancel_reason.clear()
        self.cancel_panel.setVisible(True)
        self._update_actions()
        self.cancel_reason.setFocus()

    def _on_keep_order_button_clicked(self) -> None:
        self.cancel_panel.setVisible(False)
        self._update_actions()

    def _on_driver_combo_current_index_changed(self, _row: int) -> None:
        set_error(self.driver_error, None)
        self._update_actions()

    # filter, search, keyboard, time -------------------------------------------------------------------------------
    def _on_status_filter_current_index_changed(self, _row: int) -> None:
        with self._keeping_selection():
            self.proxy.set_status_filter(str(self.status_filter.currentData()))

    def _on_search_text_changed(self, text: str) -> None:
        with self._keeping_selection():
            self.proxy.set_search_text(text)

    def _on_find_shortcut_activated(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_timer_timeout(self) -> None:
        self.model.tick()
        order = self._acting_on()
        if order is not None:
            self._show_status_line(order)

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = f"{total} orders" if shown == total else f"{shown} of {total} orders"
        self.count_label.setText(text)


def _read_only_tree(parent: QWidget, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    tree.setUniformRowHeights(False)
    tree.setAlternatingRowColors(True)
    tree.setMinimumHeight(76)
    tree.header().setStretchLastSection(False)
    return tree


def _section_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def _item_text(item: OrderItemDto) -> str:
    lines = [f"{item.name} ({item.size})" + ("  ✓ ready" if item.ready else "")]
    if item.topping_names:
        lines.append("+ " + ", ".join(item.topping_names))
    if item.special_instructions:
        lines.append(f"Note: {item.special_instructions}")
    return "\n".join(lines)


def _payment_text(order: OrderLike) -> str:
    method = "cash" if order.payment_method == "cash" else "card"
    if isinstance(order, OrderDto) and order.status == "cancelled" and order.cancel_reason:
        prefix = f"Cancelled: {order.cancel_reason}\n"
    else:
        prefix = ""
    if not order.paid:
        return f"{prefix}Not paid yet ({method})"
    if isinstance(order, OrderDto) and order.amount_tendered is not None:
        change = f", change {format_money(order.change_due)}" if order.change_due is not None else ""
        return f"{prefix}Paid by {method}: tendered {format_money(order.amount_tendered)}{change}"
    return f"{prefix}Paid by {method}"
