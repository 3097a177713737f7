"""The counter: build an order from the menu, find the customer by phone, take payment, place it (Enter).

The screen wires its panels (`pos_app.ui.widgets.counter`), which talk through the menu and cart models: the menu
grid and the item panel fill the cart; the payment panel prices it; the place panel sends what the others hold."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from pos_app.mediation import OperationResult, Request
from pos_app.messages.commands import EditOrderCommand, PlaceOrderCommand
from pos_app.messages.dtos import CustomerDto, OrderDto, OrderPlacedDto, OrderQuoteDto
from pos_app.messages.queries import GetMenuQuery
from pos_app.ui.models.cart import CartModel, cart_line
from pos_app.ui.models.menu import MenuModel
from pos_app.ui.protocols import Sender
from pos_app.ui.views.base import ScreenView, set_error
from pos_app.ui.widgets.counter.cart_panel import CartPanel
from pos_app.ui.widgets.counter.customer_panel import CustomerPanel
from pos_app.ui.widgets.counter.edit_banner import EditBanner, edited_text
from pos_app.ui.widgets.counter.item_panel import ItemPanel
from pos_app.ui.widgets.counter.menu_panel import CategoryBar, MenuGrid
from pos_app.ui.widgets.counter.payment_panel import PaymentPanel
from pos_app.ui.widgets.counter.place_panel import PlacePanel
from pos_app.ui.widgets.counter.table_panel import TablePanel

R = TypeVar("R")


class CounterView(ScreenView):
    order_placed = Signal(OrderPlacedDto)

    def __init__(self, mediator: Sender, parent: QWidget | None = None) -> None:
        super().__init__(mediator, parent)
        self.order_id = uuid.uuid4()
        self.menu_model = MenuModel(self)
        self.cart = CartModel(self)
        self.category_bar = CategoryBar(self)
        self.menu_grid = MenuGrid(self.menu_model, self)
        self.item_panel = ItemPanel(self, self.cart, self)
        self.order_box = QGroupBox(self.tr("Order"), self)
        self.customer_panel = CustomerPanel(self, self.menu_model, self.cart, self.order_box)
        self.table_panel = TablePanel(self.order_box)
        self.edit_banner = EditBanner(self.order_box)
        self.editing: OrderDto | None = None
        """The placed order the cart holds while editing it (`edit_order`); None while taking a new order."""
        self.cart_panel = CartPanel(self.cart, self.order_box)
        self.payment_panel = PaymentPanel(self, self.cart, self.order_box)
        self.place_panel = PlacePanel(self, self.cart, self._command, self.order_box)
        self._alias_widgets()

        order = QVBoxLayout(self.order_box)
        order.addWidget(self.edit_banner)
        order.addWidget(self.customer_panel)
        order.addWidget(self.table_panel)
        order.addWidget(self.cart_panel, 1)
        order.addWidget(self.payment_panel)
        order.addWidget(self.place_panel)
        left = QVBoxLayout()
        left.addWidget(self.category_bar)
        left.addWidget(self.menu_grid, 2)
        left.addWidget(self.item_panel, 3)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 11)
        layout.addWidget(self.order_box, 10)

        self.category_bar.category_chosen.connect(self.show_category)
        self.menu_grid.item_chosen.connect(self.item_panel.choose)
        self.item_panel.line_submitted.connect(self._on_item_panel_line_submitted)
        self.cart_panel.edit_requested.connect(self._on_cart_panel_edit_requested)
        self.cart_panel.remove_requested.connect(self._on_cart_panel_remove_requested)
        self.cart_panel.new_order_requested.connect(self.new_order)
        self.customer_panel.order_type_changed.connect(self._on_customer_panel_order_type_changed)
        self.customer_panel.cart_message_changed.connect(self._show_cart_error)
        self.payment_panel.quote_failed.connect(self._show_cart_error)
        self.place_panel.refused.connect(self._on_place_panel_refused)
        self.place_panel.placed.connect(self._on_place_panel_placed)
        self.edit_banner.stop_requested.connect(self.new_order)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_order)

    def _alias_widgets(self) -> None:
        """The panels' widgets that tests and other screens reach on the screen itself."""
        self.item_box = self.item_panel
        self.menu_view, self.menu_filter = self.menu_grid, self.menu_grid.menu_filter
        self.toppings_model, self.toppings_view = self.item_panel.toppings_model, self.item_panel.toppings_view
        self.item_name, self.line_price = self.item_panel.item_name, self.item_panel.line_price
        self.size_buttons, self.notes = self.item_panel.size_buttons, self.item_panel.notes
        self.add_button = self.item_panel.add_button
        self.phone, self.phone_error = self.customer_panel.phone, self.customer_panel.phone_error
        self.name, self.address = self.customer_panel.name, self.customer_panel.address
        self.customer_info, self.repeat_button = self.customer_panel.customer_info, self.customer_panel.repeat_button
        self.type_buttons = self.customer_panel.type_buttons
        self.cart_view, self.cart_error = self.cart_panel.cart_view, self.cart_panel.cart_error
        self.remove_button, self.clear_button = self.cart_panel.remove_button, self.cart_panel.clear_button
        self.cash_button, self.card_button = self.payment_panel.cash_button, self.payment_panel.card_button
        self.tendered, self.tendered_error = self.payment_panel.tendered, self.payment_panel.tendered_error
        self.exact_button, self.change = self.payment_panel.exact_button, self.payment_panel.change
        self.subtotal, self.tax = self.payment_panel.subtotal, self.payment_panel.tax
        self.delivery_fee, self.total = self.payment_panel.delivery_fee, self.payment_panel.total
        self.place_button, self.form_error = self.place_panel.place_button, self.place_panel.form_error
        self.wait_panel, self.wait_message = self.place_panel.wait_panel, self.place_panel.wait_message
        self.accept_wait_button, self.banner = self.place_panel.accept_wait_button, self.place_panel.banner

    @property
    def category_buttons(self) -> dict[str, QPushButton]:
        return self.category_bar.buttons

    @property
    def customer(self) -> CustomerDto | None:
        return self.customer_panel.customer

    @property
    def last_quote(self) -> OrderQuoteDto | None:
        return self.payment_panel.last_quote

    async def execute_async(self, request: Request[R]) -> R:
        """The panels' door to the core: the screen's mediator."""
        return await self._mediator.execute_async(request)

    # session and refresh ----------------------------------------------------------------------------------------------
    def set_session(self, session: Any) -> None:
        super().set_session(session)
        allowed = self.session is not None and self.session.may_take_orders
        self.order_box.setEnabled(allowed)
        self.item_box.setEnabled(allowed)

    async def refresh(self) -> None:
        result = await self._mediator.execute_async(GetMenuQuery(include_unavailable=True))
        if not result.is_success or result.data is None:
            set_error(self.form_error, result.error_message)
            return
        self.menu_model.apply(result.data)
        categories = self.menu_model.categories()
        if self.category_bar.set_categories(categories) and categories:
            self.show_category(self.menu_grid.category if self.menu_grid.category in categories else categories[0])
        item = self.item_panel.current_item
        if item is not None:
            self.item_panel.set_item(self.menu_model.item(item.id), keep_choices=True)

    def show_category(self, category: str) -> None:
        self.menu_grid.show_category(category)
        self.category_bar.check(category)

    def choose(self, item_id: str) -> None:
        """Select a menu item as if its tile were clicked."""
        self.menu_grid.choose(item_id)

    # between the panels -----------------------------------------------------------------------------------------------
    def _on_item_panel_line_submitted(self) -> None:
        set_error(self.cart_error, None)
        self.banner.setVisible(False)

    def _on_cart_panel_edit_requested(self, row: int) -> None:
        line = self.cart.lines[row]
        item = self.menu_model.item(line.pizza_id)
        if item is not None:
            self.item_panel.edit(row, item, line)

    def _on_cart_panel_remove_requested(self, row: int) -> None:
        self.item_panel.forget_row(row)
        self.cart.remove_line(row)

    def _on_customer_panel_order_type_changed(self) -> None:
        self.payment_panel.set_order_type(self.customer_panel.order_type)
        self.table_panel.show_for(self.customer_panel.order_type)

    def _show_cart_error(self, text: str) -> None:
        set_error(self.cart_error, text)

    async def look_up_customer(self) -> None:
        await self.customer_panel.look_up_customer()

    # placing ----------------------------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QPushButton):
                focus.click()  # Enter on a focused button (e.g. "Customer accepts the wait") presses that button
            elif focus is self.notes:
                self.item_panel.submit()
            elif focus is not self.phone:
                self.place_button.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def _clear_errors(self) -> None:
        self.customer_panel.clear_errors()
        for label in (self.tendered_error, self.cart_error, self.form_error):
            set_error(label, None)

    def _command(self, accept_wait: bool = False) -> PlaceOrderCommand | EditOrderCommand | None:
        self._clear_errors()
        if self.editing is not None:
            return self._edit_command(self.editing)
        payable, tendered = self.payment_panel.tendered_for_order()
        if not payable:
            return None
        customer = self.customer_panel
        return PlaceOrderCommand(
            order_id=self.order_id,
            customer_name=customer.name.text().strip(),
            customer_phone=customer.phone.text().strip(),
            customer_address=customer.address.text().strip() or None if customer.order_type == "delivery" else None,
            pizza_items=[line.as_item() for line in self.cart.lines],
            payment_method=self.payment_panel.payment_method,  # type: ignore[arg-type]
            order_type=customer.order_type,  # type: ignore[arg-type]
            amount_tendered=tendered,
            accept_kitchen_wait=accept_wait,
            table_number=self.table_panel.table_number if customer.order_type == "dine_in" else None,
            covers=self.table_panel.covers_count if customer.order_type == "dine_in" else None,
        )

    async def place_order(self, accept_wait: bool = False) -> None:
        await self.place_panel.place_order(accept_wait)

    def _on_place_panel_refused(self, result: OperationResult[Any]) -> None:
        shown = self.customer_panel.show_errors(result.errors)
        shown = self.table_panel.show_errors(result.errors) or shown
        for field, messages in result.errors.items():
            label = self.tendered_error if field == "amount_tendered" else None
            label = label or (self.cart_error if field.startswith("pizza_items") else None)
            if label is not None:
                set_error(label, " ".join(messages))
                shown = True
        if not shown:
            set_error(self.form_error, result.error_message)

    def _on_place_panel_placed(self, placed: OrderPlacedDto | OrderDto) -> None:
        if isinstance(placed, OrderDto):
            before = self.editing
            self.new_order()
            self.place_panel.banner.setText(edited_text(before or placed, placed))
            self.place_panel.banner.setVisible(True)
            return
        self.new_order()
        self.place_panel.announce(placed)
        self.order_placed.emit(placed)

    def new_order(self) -> None:
        """Clear the cart and the customer for the next order (a fresh order id)."""
        self.order_id = uuid.uuid4()
        self._stop_editing()
        self.customer_panel.reset()
        self.table_panel.reset()
        self.cart.clear()
        self.item_panel.cancel_edit()
        self.payment_panel.reset()
        self.place_panel.hide_messages()
        self._clear_errors()
        self.phone.setFocus()

    # editing a placed order -----------------------------------------------------------------------------------------
    def edit_order(self, order: OrderDto) -> None:
        """Load a placed order into the cart and the customer's fields; Place becomes "Save changes"."""
        self.new_order()
        self.editing = order
        self.cart.set_lines([cart_line(item, self.menu_model) for item in order.items])
        self.customer_panel.type_buttons[order.order_type].setChecked(True)
        self.phone.setText(order.customer_phone)
        self.phone.setReadOnly(True)  # the phone is who the customer is: it stays
        self.name.setText(order.customer_name)
        self.address.setText(order.customer_address or "")
        self.table_panel.set_values(order.table_number, order.covers)
        self.table_panel.show_for(order.order_type)
        self.edit_banner.show_order(order)
        self.place_button.setText(self.tr("Save changes  (Enter)"))
        self.name.setFocus()

    def _stop_editing(self) -> None:
        self.editing = None
        self.edit_banner.setVisible(False)
        self.phone.setReadOnly(False)
        self.place_button.setText(self.tr("Place order  (Enter)"))

    def _edit_command(self, order: OrderDto) -> EditOrderCommand:
        customer = self.customer_panel
        dine_in = customer.order_type == "dine_in"
        return EditOrderCommand(
            order_id=order.order_id,
            command_id=uuid.uuid4(),
            pizza_items=[line.as_item() for line in self.cart.lines],
            order_type=customer.order_type,  # type: ignore[arg-type]
            customer_name=customer.name.text().strip(),
            customer_phone=order.customer_phone,
            customer_address=customer.address.text().strip() or None if customer.order_type == "delivery" else None,
            table_number=self.table_panel.table_number if dine_in else None,
            covers=self.table_panel.covers_count if dine_in else None,
            expected_version=order.version,
        )

    # tasks ------------------------------------------------------------------------------------------------------------
    async def wait_idle(self) -> None:
        await super().wait_idle()
        for panel in (self.item_panel, self.payment_panel):
            await panel.wait_idle()
