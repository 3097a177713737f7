"""The manager's list of orders left open on an earlier business day, with one-click closing: "Completed", or
"Cancel…" with a reason. The Orders screen shows its `toggle_button` ("Left open (N)") to a manager when there are
any, and the panel under it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.mediation import OperationResult
from pos_app.messages.commands import CloseLeftOpenOrderCommand
from pos_app.messages.dtos import OrderSummaryDto
from pos_app.messages.queries import GetLeftOpenOrdersQuery
from pos_app.ui.models.left_open import LeftOpenColumn, LeftOpenModel
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import async_slot
from pos_app.ui.views.base import error_label, set_error, show_result_error

PAGE_SIZE = 200


class LeftOpenPanel(QFrame):
    """Reads `GetLeftOpenOrdersQuery` for a manager (nobody else may) and sends `CloseLeftOpenOrderCommand`.
    `closed` is emitted after an order was closed."""

    closed = Signal()
    loaded = Signal()
    """Emitted after each read of the list."""

    def __init__(
        self,
        mediator: Sender,
        parent: QWidget | None = None,
        *,
        after_close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """`after_close` waits until the list shows a close: by default the panel re-reads it; a screen that
        re-reads it with its own refresh (after the bridge's notice) passes its wait for that refresh instead."""
        super().__init__(parent)
        self._mediator = mediator
        self._after_close = after_close or self.refresh
        self._role: str | None = None
        self._busy = False
        self.total = 0
        self.setObjectName("panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self.toggle_button = QPushButton(parent)
        self.toggle_button.setCheckable(True)
        self.toggle_button.setAccessibleName(self.tr("Orders left open on an earlier day"))
        self.toggle_button.toggled.connect(self._on_toggle_button_toggled)
        self.toggle_button.setVisible(False)

        self.heading = QLabel(self.tr("Left open on an earlier day: close each as completed or cancelled"), self)
        self.heading.setObjectName("sectionHeading")
        self.model = LeftOpenModel(self)
        self.table = QTableView(self)
        self.table.setTabKeyNavigation(False)  # one Tab stop; the arrows move between orders
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Orders left open"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(LeftOpenColumn.ITEMS, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.setMinimumHeight(140)

        self.completed_button = QPushButton(self.tr("Completed"), self)
        self.completed_button.setToolTip(self.tr("It was handed over: close it as picked up (or delivered)"))
        self.cancel_button = QPushButton(self.tr("Cancel…"), self)
        self.error = error_label(self)
        self.completed_button.clicked.connect(self._on_completed_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

        self.reason_box = QWidget(self)
        self.reason = QLineEdit(self.reason_box)
        self.reason.setPlaceholderText(self.tr("Why is it cancelled? e.g. never collected"))
        self.reason.setMaxLength(200)
        self.reason.setAccessibleName(self.tr("Reason for cancelling"))
        self.reason_error = error_label(self.reason_box)
        self.confirm_cancel_button = QPushButton(self.tr("Cancel the order"), self.reason_box)
        self.confirm_cancel_button.setObjectName("primary")
        self.keep_button = QPushButton(self.tr("Back"), self.reason_box)
        self.confirm_cancel_button.clicked.connect(self._on_confirm_cancel_button_clicked)
        self.keep_button.clicked.connect(self._on_keep_button_clicked)
        self.reason.returnPressed.connect(self.confirm_cancel_button.click)
        self.keep_shortcut = QShortcut(QKeySequence("Escape"), self.reason_box)
        self.keep_shortcut.activated.connect(self.keep_button.click)
        reason_buttons = QHBoxLayout()
        reason_buttons.addWidget(self.confirm_cancel_button, 1)
        reason_buttons.addWidget(self.keep_button)
        reason_layout = QVBoxLayout(self.reason_box)
        reason_layout.setContentsMargins(0, 0, 0, 0)
        reason_layout.addWidget(self.reason)
        reason_layout.addWidget(self.reason_error)
        reason_layout.addLayout(reason_buttons)
        self.reason_box.setVisible(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.completed_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(self.reason_box)
        self.setVisible(False)
        self._update_buttons()

    # session and reading ----------------------------------------------------------------------------------------
    def set_role(self, role: str | None) -> None:
        self._role = role
        if role != "manager":
            self._show_list([], 0)

    async def refresh(self) -> None:
        """Re-read the list (a manager's only)."""
        if self._role != "manager":
            return
        result = await self._mediator.execute_async(GetLeftOpenOrdersQuery(page_size=PAGE_SIZE))
        if result.is_success and result.data is not None:
            self._show_list(result.data.items, result.data.total)
        self.loaded.emit()

    def _show_list(self, orders: list[OrderSummaryDto], total: int) -> None:
        selected = self.selected_order
        self.model.apply(orders)
        if selected is not None:
            for row, order in enumerate(orders):
                if order.order_id == selected.order_id:
                    self.table.selectRow(row)
        self.total = total
        self.toggle_button.setText(f"{self.tr('Left open')} ({total})")
        self.toggle_button.setVisible(total > 0)
        if total == 0:
            self.toggle_button.setChecked(False)
        self._update_buttons()

    @property
    def selected_order(self) -> OrderSummaryDto | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.order_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_: Any) -> None:
        enabled = self.selected_order is not None and not self._busy
        self.completed_button.setEnabled(enabled)
        self.cancel_button.setEnabled(enabled)
        self.confirm_cancel_button.setEnabled(enabled)

    # closing ----------------------------------------------------------------------------------------------------
    def _on_toggle_button_toggled(self, checked: bool) -> None:
        self.setVisible(checked)
        if not checked:
            self._on_keep_button_clicked()

    @async_slot()
    async def _on_completed_button_clicked(self) -> None:
        await self._close("completed", "")

    def _on_cancel_button_clicked(self) -> None:
        set_error(self.reason_error, None)
        self.reason.clear()
        self.reason_box.setVisible(True)
        self.reason.setFocus()

    def _on_keep_button_clicked(self) -> None:
        self.reason_box.setVisible(False)
        set_error(self.reason_error, None)

    @async_slot()
    async def _on_confirm_cancel_button_clicked(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            set_error(self.reason_error, self.tr("Say why the order is cancelled"))
            return
        await self._close("cancelled", reason)

    async def _close(self, outcome: Literal["completed", "cancelled"], reason: str) -> None:
        order = self.selected_order
        if order is None or self._busy:
            return
        self._busy = True
        self._update_buttons()
        set_error(self.error, None)
        try:
            result: OperationResult[Any] = await self._mediator.execute_async(
                CloseLeftOpenOrderCommand(order_id=order.order_id, outcome=outcome, reason=reason)
            )
        finally:
            self._busy = False
        if not result.is_success:
            target = self.reason_error if "reason" in result.errors else self.error
            show_result_error(target, result)
            self._update_buttons()
            return
        self.reason_box.setVisible(False)
        self.closed.emit()
        await self._after_close()
