"""The kitchen screen: open tickets as cards in FIFO order; start cooking, mark pizzas ready, recall the last ticket;
acknowledge a CANCELLED or CHANGED ticket. New tickets flash and/or chime (`widgets/kitchen_alerts.py`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.mediation import OperationResult
from pos_app.messages.commands import AcknowledgeKitchenNoticeCommand, MarkPizzaReadyCommand, StartCookingCommand
from pos_app.messages.dtos import KitchenDisplayDto, KitchenItemDto, KitchenTicketDto, SessionDto
from pos_app.messages.queries import GetKitchenQueueChangesQuery, GetLastCompletedTicketQuery
from pos_app.ui.keymap import show_keys
from pos_app.ui.models.kitchen_queue import (
    KitchenQueueModel,
    utc_now,
)
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import async_slot
from pos_app.ui.theme import FOCUS_RING
from pos_app.ui.views.base import ScreenView, error_label, set_error
from pos_app.ui.widgets.kitchen_alerts import KitchenAlerts
from pos_app.ui.widgets.ticket_delegate import TicketDelegate
from pos_app.ui.widgets.ticket_navigation import navigation_target
from pos_app.ui.widgets.ticket_panel import TicketPanel, kitchen_button

AGE_TICK_MS = 5_000

STYLE = """
QPushButton { font-size: 18px; font-weight: bold; min-height: 56px; padding: 4px 12px;
              background: #eceff1; color: #212121; border: 1px solid #90a4ae; border-radius: 6px; }
QPushButton:pressed { background: #cfd8dc; }
QPushButton:disabled { background: #f5f5f5; color: #9e9e9e; border-color: #e0e0e0; }
QPushButton#primary { font-size: 20px; background: #c62828; color: white; border: none; }
QPushButton#primary:disabled { background: #e0a0a0; color: #fafafa; }
QLabel#banner { background: #e3f2fd; border: 1px solid #1565c0; border-radius: 6px; padding: 8px; font-size: 16px; }
QListView#tickets { background: #eceff1; border: none; }
QListView#items { font-size: 17px; }
QListView#items::item { padding: 8px 4px; border-bottom: 1px solid #e0e0e0; }
QListView#items::item:selected { background: #bbdefb; color: #212121; }
QLabel#heading { font-size: 22px; font-weight: bold; }
QLabel#detailHeading { font-size: 16px; }
QLabel#fieldError { font-size: 16px; font-weight: bold; }
QPushButton#acknowledge { background: #212121; color: white; border: none; }
QPushButton#acknowledge:disabled { background: #bdbdbd; color: #f5f5f5; }
QLabel#legend { font-size: 13px; color: #424242; }
"""


class KitchenView(ScreenView):
    """Keys: 1–9 select the Nth ticket, arrows, PageUp/PageDown, Home/End move through all of them, Space marks the
    selected ticket's next pizza ready, S starts cooking it, A acknowledges its notice, R recalls the last.

    Only the kitchen and managers act; everyone else sees the queue read-only.
    """

    def __init__(
        self,
        mediator: Sender,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = utc_now,
        display: KitchenDisplayDto | None = None,
    ) -> None:
        super().__init__(mediator, parent)
        self.display = display or KitchenDisplayDto()
        self.setStyleSheet(STYLE + FOCUS_RING)
        self._busy = False
        self._error_from_refresh = False
        self._queue_day: date | None = None  # the business day of the tickets shown

        self.model = KitchenQueueModel(self, now=now)
        self.alerts = KitchenAlerts(self.model, self.display, self)
        self.tickets = QListView(self)
        self.tickets.setObjectName("tickets")
        self.tickets.setAccessibleName(self.tr("Kitchen tickets"))
        self.tickets.setModel(self.model)
        self.tickets.setItemDelegate(TicketDelegate(self.tickets))
        self.tickets.setViewMode(QListView.ViewMode.IconMode)
        self.tickets.setFlow(QListView.Flow.LeftToRight)
        self.tickets.setWrapping(True)
        self.tickets.setMovement(QListView.Movement.Static)
        self.tickets.setResizeMode(QListView.ResizeMode.Adjust)
        self.tickets.setSpacing(2)
        self.tickets.setUniformItemSizes(False)
        self.tickets.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tickets.setDragEnabled(False)
        self.tickets.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

        self.panel = TicketPanel(self)
        self.items_model, self.items, self.item_ready_button = (
            self.panel.items_model,
            self.panel.items,
            self.panel.item_ready_button,
        )
        self.detail_heading, self.recalled = self.panel.heading, self.panel.recalled

        self.start_button = self._button(self.tr("Start cooking"))
        self.ready_button = self._button(self.tr("Pizza ready"))
        self.ready_button.setObjectName("primary")
        self.recall_button = self._button(self.tr("Recall last"))
        self.acknowledge_button = self.panel.acknowledge_button
        for button, action in (
            (self.start_button, "start"),
            (self.ready_button, "ready"),
            (self.recall_button, "recall"),
        ):
            show_keys(button, "kitchen", action)  # tooltip and accessible description, from the key map
        show_keys(self.acknowledge_button, "kitchen", "acknowledge", in_text=True)
        self.acknowledge_button.setAccessibleName(self.tr("Acknowledge the ticket's notice"))

        self.error = error_label(self)
        self.count_label = QLabel(self)
        self.legend = QLabel(self._legend_text(), self)
        self.legend.setObjectName("legend")
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName(self.tr("Ticket colours"))
        self._layout()

        self.tickets.selectionModel().selectionChanged.connect(self._on_tickets_selection_changed)
        self.items.selectionModel().selectionChanged.connect(self._on_items_selection_changed)
        self.model.rowsInserted.connect(self._on_model_rows_changed)
        self.model.rowsRemoved.connect(self._on_model_rows_changed)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.ready_button.clicked.connect(self._on_ready_button_clicked)
        self.item_ready_button.clicked.connect(self._on_item_ready_button_clicked)
        self.recall_button.clicked.connect(self._on_recall_button_clicked)
        self.acknowledge_button.clicked.connect(self._on_acknowledge_button_clicked)
        for widget in (self.tickets, self.items):
            widget.installEventFilter(self)

        self.age_timer = QTimer(self)
        self.age_timer.setInterval(AGE_TICK_MS)
        self.age_timer.timeout.connect(self.model.tick)
        self.age_timer.start()
        self._update_actions()
        self._on_model_rows_changed()

    def _button(self, text: str) -> QPushButton:
        return kitchen_button(text, self)

    def _legend_text(self) -> str:
        near, late = self.display.near_minutes, self.display.late_minutes
        return self.tr(
            "Green: on time · Amber (SOON): open {near}+ min or due within 2 min · Red (LATE): open {late}+ min or"
            " past due"
        ).format(near=near, late=late)

    def _layout(self) -> None:
        title = QLabel(self.tr("Kitchen"), self)
        title.setObjectName("heading")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.count_label)

        actions = QHBoxLayout()
        actions.addWidget(self.start_button)
        actions.addWidget(self.ready_button)
        actions.addStretch(1)
        actions.addWidget(self.recall_button)

        queue = QVBoxLayout()
        queue.addLayout(top)
        queue.addWidget(self.tickets, 1)
        queue.addWidget(self.legend)
        queue.addWidget(self.error)
        queue.addLayout(actions)

        layout = QHBoxLayout(self)
        layout.addLayout(queue, 1)
        layout.addWidget(self.panel)

    # state
    def set_session(self, session: SessionDto | None) -> None:
        super().set_session(session)
        self.alerts.reset()
        self._update_actions()

    @property
    def can_act(self) -> bool:
        """The session's role cooks (the core says so in the session)."""
        return self.session is not None and self.session.may_cook

    @property
    def busy(self) -> bool:
        """A command (or recall) is in flight: the action buttons stay disabled until it and its refresh end."""
        return self._busy

    def selected_ticket(self) -> KitchenTicketDto | None:
        rows = self.tickets.selectionModel().selectedRows()
        return self.model.ticket_at(rows[0].row()) if rows else None

    def selected_item(self) -> KitchenItemDto | None:
        return self.panel.selected_item()

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row)
            self.tickets.setCurrentIndex(index)
            self.tickets.scrollTo(index)

    def _select_order(self, order_id: UUID | None) -> None:
        row = self.model.row_of(order_id) if order_id is not None else None
        if row is None:
            self.tickets.selectionModel().clear()  # the ticket left: never slide onto a neighbour's ticket
        elif self.tickets.currentIndex().row() != row or not self.tickets.selectionModel().hasSelection():
            self.select_row(row)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_actions()

    def _update_actions(self) -> None:
        allowed = self.can_act and not self._busy
        ticket = self.selected_ticket()
        item = self.selected_item()
        actions = ticket.actions if ticket is not None else ()  # what the core says the kitchen may do now
        may_ready = "mark_ready" in actions
        self.start_button.setEnabled(allowed and "start_cooking" in actions)
        self.ready_button.setEnabled(
            allowed and may_ready and ticket is not None and ticket.next_item_index is not None
        )
        self.item_ready_button.setEnabled(allowed and may_ready and item is not None and not item.ready)
        self.recall_button.setEnabled(allowed)
        noticed = ticket is not None and ticket.notice is not None
        self.acknowledge_button.setEnabled(allowed and noticed)
        self.acknowledge_button.setVisible(noticed)  # shown under the ticket whose notice it clears, only then

    def _show_selected(self) -> None:
        ticket = self.selected_ticket()
        self.panel.show_ticket(ticket)
        self._update_actions()

    def _show_error(self, result: OperationResult[Any]) -> None:
        set_error(self.error, result.error_message or self.tr("Something went wrong"))

    # slots
    def _on_tickets_selection_changed(self) -> None:
        self._show_selected()

    def _on_items_selection_changed(self) -> None:
        self._update_actions()

    def _on_model_rows_changed(self) -> None:
        count = self.model.rowCount()
        text = self.tr("1 open ticket") if count == 1 else self.tr("{count} open tickets").format(count=count)
        self.count_label.setText(text)

    @async_slot()
    async def _on_start_button_clicked(self) -> None:
        ticket = self.selected_ticket()
        if ticket is not None and self.start_button.isEnabled():
            await self._send(StartCookingCommand(order_id=ticket.order_id))

    @async_slot()
    async def _on_ready_button_clicked(self) -> None:
        ticket = self.selected_ticket()
        if ticket is not None and ticket.next_item_index is not None and self.ready_button.isEnabled():
            await self._send(MarkPizzaReadyCommand(order_id=ticket.order_id, pizza_index=ticket.next_item_index))

    @async_slot()
    async def _on_item_ready_button_clicked(self) -> None:
        ticket, item = self.selected_ticket(), self.selected_item()
        if ticket is not None and item is not None and self.item_ready_button.isEnabled():
            await self._send(MarkPizzaReadyCommand(order_id=ticket.order_id, pizza_index=item.index))

    @async_slot()
    async def _on_acknowledge_button_clicked(self) -> None:
        ticket = self.selected_ticket()
        if ticket is not None and ticket.notice is not None and self.acknowledge_button.isEnabled():
            await self._send(AcknowledgeKitchenNoticeCommand(order_id=ticket.order_id))

    @async_slot()
    async def _on_recall_button_clicked(self) -> None:
        if not self.recall_button.isEnabled():
            return
        self._set_busy(True)
        try:
            result = await self._mediator.execute_async(GetLastCompletedTicketQuery())
        finally:
            self._set_busy(False)
        if not result.is_success:
            self._show_error(result)
            return
        set_error(self.error, None)
        ticket = result.data
        self.panel.show_recalled(ticket)

    async def _send(
        self, command: StartCookingCommand | MarkPizzaReadyCommand | AcknowledgeKitchenNoticeCommand
    ) -> None:
        """Send one command; on success the buttons come back only once the queue shows its outcome (no double
        submit): the refresh the bridge starts after the commit, or one of our own if its notice never comes."""
        self._set_busy(True)
        try:
            result: OperationResult[Any] = await self._mediator.execute_async(command)
            if not result.is_success:
                self._show_error(result)
                return
            set_error(self.error, None)
            self._error_from_refresh = False
            await self.refreshed_since(self.refresh_mark())
        finally:
            self._set_busy(False)

    async def refresh(self) -> None:
        """Read what changed in the queue since the last read and merge it in (the whole queue on a first read, a
        new business day, or when the store says too much changed)."""
        result = await self._mediator.execute_async(GetKitchenQueueChangesQuery(changed_since=self.changes_position()))
        if not result.is_success or result.data is None:
            self._show_error(result)
            self._error_from_refresh = True
            return
        if self._error_from_refresh:
            set_error(self.error, None)
            self._error_from_refresh = False
        queue = result.data
        selected = self.selected_ticket()
        if queue.changes_only and queue.business_date == self._queue_day:
            self.model.merge(queue.tickets, queue.closed)
        else:
            self.model.apply(queue.tickets)
        self._queue_day = queue.business_date
        self.keep_position(queue.position, whole=not queue.changes_only)
        self.alerts.queue_changed(self.model.tickets)
        self._select_order(selected.order_id if selected is not None else None)
        self._show_selected()

    # keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.tickets and self._navigate(event):
                return True
            if self._handle_key(event):
                return True
        return super().eventFilter(watched, event)

    def _navigate(self, event: QKeyEvent) -> bool:
        """Arrows, PageUp/PageDown, Home/End move the selection through every ticket, keeping it in view."""
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        current = self.tickets.currentIndex().row() if self.tickets.selectionModel().hasSelection() else -1
        target = navigation_target(self.tickets, int(event.key()), current)
        if target is None:
            return False
        self.select_row(target)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = int(event.key())
        if int(Qt.Key.Key_1) <= key <= int(Qt.Key.Key_9):
            self.select_row(key - int(Qt.Key.Key_1))
            self.tickets.setFocus()
            return True
        buttons = {
            int(Qt.Key.Key_Space): self.ready_button,
            int(Qt.Key.Key_S): self.start_button,
            int(Qt.Key.Key_R): self.recall_button,
            int(Qt.Key.Key_A): self.acknowledge_button,
        }
        button = buttons.get(key)
        if button is None:
            return False
        button.click()  # does nothing while the button is disabled
        return True
