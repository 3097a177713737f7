"""Placing the order: the button (Ctrl+Enter or F12 from anywhere on the counter), what stopped it, the question
about an item configured but not added (it stands in for the button; Escape goes back), the kitchen-wait question,
and the placed banner.

Enter never places an order that differs from the screen: when the item panel holds an item chosen or changed and
not added, placing first asks whether to add it ("Add it, then place", focused, or "Place without it")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.mediation import OperationResult
from pos_app.messages.commands import EditOrderCommand, PlaceOrderCommand
from pos_app.messages.dtos import OrderPlacedDto
from pos_app.ui.formatting import format_money, format_time
from pos_app.ui.keymap import show_keys
from pos_app.ui.models.cart import CartModel
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import async_slot
from pos_app.ui.views.base import error_label

CommandBuilder = Callable[[bool], PlaceOrderCommand | EditOrderCommand | None]
PendingItem = Callable[[], str | None]


class PlacePanel(QWidget):
    """Sends the order `build_command(accept_wait)` makes (None: a field is wrong and says so), once at a time, while
    `cart` has lines. A full kitchen is asked about here; `refused(result)` for the screen to show a refusal by field,
    `placed(order)` when the order is in (the screen starts the next one, then `announce`s this one): an
    `OrderPlacedDto`, or the `OrderDto` of an order edited (the screen's edit mode sends `EditOrderCommand`)."""

    refused = Signal(object)
    placed = Signal(object)

    def __init__(
        self,
        mediator: Sender,
        cart: CartModel,
        build_command: CommandBuilder,
        parent: QWidget | None = None,
        *,
        pending_item: PendingItem = lambda: None,
        add_pending_item: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self._cart = cart
        self._build_command = build_command
        self._pending_item = pending_item
        self._add_pending_item = add_pending_item
        self._placing = False
        self.place_button = QPushButton(self.tr("Place order"), self)
        show_keys(self.place_button, "counter", "place", in_text=True)
        self.place_button.setObjectName("primary")
        self.place_button.clicked.connect(self._on_place_button_clicked)
        self.form_error = error_label(self)
        self.pending_panel = QFrame(self)
        self.pending_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.pending_message = QLabel(self.pending_panel)
        self.pending_message.setWordWrap(True)
        self.add_and_place_button = QPushButton(self.tr("Add it, then place"), self.pending_panel)
        self.add_and_place_button.clicked.connect(self._on_add_and_place_button_clicked)
        self.place_without_button = QPushButton(self.tr("Place without it"), self.pending_panel)
        self.place_without_button.clicked.connect(self._on_place_without_button_clicked)
        pending_layout = QHBoxLayout(self.pending_panel)  # one row, in place of the Place button while it asks
        pending_layout.setContentsMargins(6, 2, 6, 2)
        pending_layout.addWidget(self.pending_message, 1)
        pending_layout.addWidget(self.add_and_place_button)
        pending_layout.addWidget(self.place_without_button)
        self.pending_panel.setVisible(False)
        self.keep_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.pending_panel, self.hide_question)
        self.keep_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.wait_panel = QFrame(self)
        self.wait_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.wait_message = QLabel(self.wait_panel)
        self.wait_message.setWordWrap(True)
        self.accept_wait_button = QPushButton(self.tr("Customer accepts the wait"), self.wait_panel)
        self.accept_wait_button.clicked.connect(self._on_accept_wait_button_clicked)
        self.decline_wait_button = QPushButton(self.tr("Don't place"), self.wait_panel)
        self.decline_wait_button.clicked.connect(self._on_decline_wait_button_clicked)
        wait_layout = QVBoxLayout(self.wait_panel)
        wait_layout.addWidget(self.wait_message)
        wait_buttons = QHBoxLayout()
        wait_buttons.addWidget(self.accept_wait_button)
        wait_buttons.addWidget(self.decline_wait_button)
        wait_layout.addLayout(wait_buttons)
        self.wait_panel.setVisible(False)
        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form_error)
        layout.addWidget(self.pending_panel)
        layout.addWidget(self.wait_panel)
        layout.addWidget(self.place_button)
        layout.addWidget(self.banner)
        cart.rowsInserted.connect(self._refresh_place_button)
        cart.rowsRemoved.connect(self._refresh_place_button)
        self._refresh_place_button()

    def _refresh_place_button(self, *_: object) -> None:
        self.place_button.setEnabled(not self._placing and self._cart.rowCount() > 0)

    @async_slot()
    async def _on_place_button_clicked(self) -> None:
        await self.place_order()

    @async_slot()
    async def place_on_request(self) -> None:
        """The place keys (Ctrl+Enter, F12, Enter in a field): as the button, also while it is disabled for an
        empty cart, so that an item configured but not added is asked about."""
        await self.place_order()

    @async_slot()
    async def _on_accept_wait_button_clicked(self) -> None:
        self.wait_panel.setVisible(False)
        await self.place_order(accept_wait=True)

    def _on_decline_wait_button_clicked(self) -> None:
        self.wait_panel.setVisible(False)
        self._refresh_place_button()

    def hide_question(self) -> None:
        """Escape: the question about the item not added goes away, nothing placed."""
        self.pending_panel.setVisible(False)
        self.place_button.setVisible(True)
        self.place_button.setFocus()

    @async_slot()
    async def _on_add_and_place_button_clicked(self) -> None:
        self.hide_question()
        if self._pending_item() is not None:
            self._add_pending_item()
        await self.place_order(confirmed=True)

    @async_slot()
    async def _on_place_without_button_clicked(self) -> None:
        self.hide_question()
        await self.place_order(confirmed=True)

    async def place_order(self, accept_wait: bool = False, confirmed: bool = False) -> None:
        """Send the order; first ask about an item the item panel holds but the cart does not (unless
        `confirmed`: the question was answered)."""
        if self._placing:
            return
        pending = None if confirmed or accept_wait else self._pending_item()
        if pending is not None:
            self.pending_message.setText(self.tr("{item} is not in the order yet.").format(item=pending))
            self.pending_panel.setVisible(True)
            self.place_button.setVisible(False)
            self.add_and_place_button.setFocus()
            return
        if self._cart.rowCount() == 0:
            return
        self.pending_panel.setVisible(False)
        self.place_button.setVisible(True)
        self.banner.setVisible(False)
        command = self._build_command(accept_wait)
        if command is None:
            return
        self._placing = True
        self._refresh_place_button()
        try:
            result: OperationResult[Any] = await self._mediator.execute_async(command)
        finally:
            self._placing = False
            self._refresh_place_button()
        if result.status == 503 and "accept_kitchen_wait" in result.errors:
            self.wait_message.setText(result.error_message or "")
            self.wait_panel.setVisible(True)
            self.accept_wait_button.setFocus()
            return
        if not result.is_success or result.data is None:
            self.refused.emit(result)
            return
        self.placed.emit(result.data)

    def announce(self, placed: OrderPlacedDto) -> None:
        change = f" — change {format_money(placed.change_due)}" if placed.change_due is not None else ""
        paid = "" if placed.paid else " — to pay " + format_money(placed.total_amount)
        self.banner.setText(
            f"Order #{placed.order_number} placed — ready about {format_time(placed.estimated_ready_time)}"
            f" — total {format_money(placed.total_amount)}{change}{paid}"
        )
        self.banner.setVisible(True)

    def hide_messages(self) -> None:
        self.pending_panel.setVisible(False)
        self.place_button.setVisible(True)
        self.wait_panel.setVisible(False)
        self.banner.setVisible(False)
