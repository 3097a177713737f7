"""The counter: build an order from the menu, find the customer by phone, take payment, place it.

The screen wires its panels (`pos_app.ui.widgets.counter`), which talk through the menu and cart models: the menu
grid and the item panel fill the cart; the payment panel prices it; the place panel sends what the others hold.

The whole order can be taken from the keyboard (the keys are in `pos_app.ui.keymap`, F1 lists them). Tab goes
menu search → categories → tiles → item panel → cart (one stop) → phone → name → order type → address → payment →
cash tendered → Exact → Place. Enter does what the focused control says: in the search it adds the highlighted
item, on a tile it chooses it, on a button it presses it, in the phone field it looks the customer up; in the item
panel (its fields and its size choice) it adds the item; in the cart and the other fields and choices (and
Ctrl+Enter or F12 anywhere) it places the order, which first asks about an item configured but not added
(`PlacePanel`)."""

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
from pos_app.ui.keymap import sequences, show_keys
from pos_app.ui.models.cart import CartModel, cart_line
from pos_app.ui.models.menu import MenuModel
from pos_app.ui.protocols import Sender
from pos_app.ui.views.base import ScreenView, set_error
from pos_app.ui.widgets.counter.cart_panel import CartPanel
from pos_app.ui.widgets.counter.customer_panel import CustomerPanel
from pos_app.ui.widgets.counter.edit_banner import EditBanner, edited_text
from pos_app.ui.widgets.counter.item_panel import ItemPanel
from pos_app.ui.widgets.counter.keyboard import set_tab_order
from pos_app.ui.widgets.counter.menu_panel import CategoryBar, MenuGrid, MenuSearch
from pos_app.ui.widgets.counter.order_form import OrderForm
from pos_app.ui.widgets.counter.payment_panel import PaymentPanel
from pos_app.ui.widgets.counter.place_panel import PlacePanel
from pos_app.ui.widgets.counter.table_panel import TablePanel

R = TypeVar("R")
ORDER_MIN_WIDTH = 540
"""The order's side at least this wide (at 1024 px the menu gives way): name, address and cash fields at full width."""


class CounterView(ScreenView):
    order_placed = Signal(OrderPlacedDto)

    def __init__(self, mediator: Sender, parent: QWidget | None = None) -> None:
        super().__init__(mediator, parent)
        self.order_id = uuid.uuid4()
        self.menu_model = MenuModel(self)
        self.cart = CartModel(self)
        self.menu_search = MenuSearch(self)
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
        self.place_panel = PlacePanel(
            self,
            self.cart,
            self._command,
            self.order_box,
            pending_item=self.item_panel.pending_description,
            add_pending_item=self.item_panel.submit,
        )
        self.order_box.setAccessibleName(self.tr("Order"))
        self.form = OrderForm(
            self.cart, self.customer_panel, self.table_panel, self.cart_panel, self.payment_panel, self.place_panel
        )
        self._alias_widgets()

        order = QVBoxLayout(self.order_box)
        order.addWidget(self.edit_banner)
        order.addWidget(self.customer_panel)
        order.addWidget(self.table_panel)
        order.addWidget(self.cart_panel, 1)
        order.addWidget(self.payment_panel)
        order.addWidget(self.place_panel)
        left = QVBoxLayout()
        left.addWidget(self.menu_search)
        left.addWidget(self.category_bar)
        left.addWidget(self.menu_grid, 1)  # the tiles scroll; the item panel keeps the height its controls need
        left.addWidget(self.item_panel)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 11)
        layout.addWidget(self.order_box, 10)
        self.order_box.setMinimumWidth(ORDER_MIN_WIDTH)

        self.category_bar.category_chosen.connect(self.show_category)
        self.menu_grid.item_chosen.connect(self._on_menu_grid_item_chosen)
        self.menu_grid.typed.connect(self._on_menu_grid_typed)
        self.menu_search.textChanged.connect(self.menu_grid.search)
        self.menu_search.add_requested.connect(self._on_menu_search_add_requested)
        self.menu_search.down_requested.connect(self._on_menu_search_down_requested)
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
        self._shortcut("search", self._focus_search)
        self._shortcut("phone", lambda: self.phone.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self._shortcut("tendered", lambda: self.tendered.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self._shortcut("table", lambda: self.table_panel.table.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self._shortcut("quantity", lambda: self.item_panel.quantity.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self._shortcut("place", self._on_place_shortcut_activated, also=("Ctrl+Enter",))
        self._set_tab_order()
        self.setFocusProxy(self.menu_search)  # the screen in front: typing starts a search

    def _shortcut(self, action: str, slot: Any, also: tuple[str, ...] = ()) -> None:
        for keys in (*sequences("counter", action), *(QKeySequence(k) for k in also)):
            shortcut = QShortcut(keys, self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _set_tab_order(self) -> None:
        set_tab_order(
            self.menu_search,
            self.category_bar,
            self.menu_grid,
            self.item_panel,
            self.cart_panel,
            self.customer_panel,
            self.payment_panel,
            self.place_panel,
            self.table_panel,
            self.edit_banner,
        )

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
        if session is None or (self.session is not None and session.staff_id != self.session.staff_id):
            self.clear_for_next_user()
        super().set_session(session)
        allowed = self.session is not None and self.session.may_take_orders
        self.order_box.setEnabled(allowed)
        self.item_box.setEnabled(allowed)
        self.menu_search.setEnabled(allowed)
        set_error(self.form_error, None)  # a refusal seen by nobody (a refresh while locked) is no news

    def clear_for_next_user(self) -> None:
        """Lock: the next person sees a fresh counter, nothing of the last one's search, selection or draft."""
        self.menu_search.clear()
        self.menu_grid.clearSelection()
        self.menu_grid.setCurrentIndex(self.menu_grid.model().index(-1, -1))
        self.new_order()
        self.place_panel.hide_messages()
        categories = self.menu_model.categories()
        if categories:
            self.show_category(categories[0])

    async def refresh(self) -> None:
        result = await self._mediator.execute_async(GetMenuQuery(include_unavailable=True))
        if not result.is_success or result.data is None:
            set_error(self.form_error, result.error_message)
            return
        self.menu_model.apply(result.data)
        categories = self.menu_model.categories()
        if self.category_bar.set_categories(categories) and categories:
            self.show_category(self.menu_grid.category if self.menu_grid.category in categories else categories[0])
            self._set_tab_order()
        item = self.item_panel.current_item
        if item is not None:
            self.item_panel.set_item(self.menu_model.item(item.id), keep_choices=True)

    def show_category(self, category: str) -> None:
        self.menu_search.clear()
        self.menu_grid.show_category(category)
        self.category_bar.check(category)

    # the menu from the keyboard ---------------------------------------------------------------------------------------
    def _focus_search(self) -> None:
        self.menu_search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.menu_search.selectAll()

    def _on_menu_grid_typed(self, text: str) -> None:
        self.menu_search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.menu_search.insert(text)

    def _on_menu_search_down_requested(self) -> None:
        self.menu_grid.setFocus(Qt.FocusReason.TabFocusReason)

    def _on_menu_grid_item_chosen(self, item: Any) -> None:
        self.item_panel.choose(item)
        if self.menu_grid.hasFocus():
            self.item_panel.focus_first()  # chosen from the keyboard: its size, toppings and notes come next

    def _on_menu_search_add_requested(self) -> None:
        """Enter in the search: the highlighted match (the first, or the one the arrows moved to) goes into the
        order as it comes (default size, no toppings); the search is cleared for the next item."""
        item = self.menu_grid.highlighted() if self.menu_search.text().strip() else None
        if item is None:
            return
        self.item_panel.choose(item)
        self.item_panel.submit()
        self.menu_search.clear()

    def choose(self, item_id: str) -> None:
        """Select a menu item as if its tile were clicked."""
        self.menu_grid.choose(item_id)

    # between the panels -----------------------------------------------------------------------------------------------
    def _on_item_panel_line_submitted(self) -> None:
        set_error(self.cart_error, None)
        self.banner.setVisible(False)
        focus = self.focusWidget()
        if focus is not None and self.item_panel.isAncestorOf(focus):
            self.menu_search.clear()  # added from the keyboard: the search starts afresh for the next item
            self.menu_search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_cart_panel_edit_requested(self, row: int) -> None:
        line = self.cart.lines[row]
        item = self.menu_model.item(line.pizza_id)
        if item is not None:
            self.item_panel.edit(row, item, line)
            focus = self.focusWidget()
            if focus is not None and self.cart_panel.isAncestorOf(focus):
                self.item_panel.focus_first()  # Ctrl+E from the cart: its choices come next, Enter updates it

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
            if isinstance(focus, QPushButton) and not focus.isCheckable():
                if focus.isEnabled():
                    focus.click()  # Enter on a focused button (e.g. "Customer accepts the wait") presses that button
            elif focus is not None and self.item_panel.isAncestorOf(focus):
                self.item_panel.submit()
            elif focus is self.phone:
                self.name.setFocus(Qt.FocusReason.TabFocusReason)  # the lookup runs as the phone field is left
            elif focus is not self.menu_search and focus is not self.menu_grid:
                self._on_place_shortcut_activated()
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_place_shortcut_activated(self) -> None:
        """Place from anywhere (Ctrl+Enter, F12, Enter in a field): asks first about an item not added."""
        if self.order_box.isEnabled():
            self.place_panel.place_on_request()

    def _clear_errors(self) -> None:
        self.form.clear_errors()

    def _command(self, accept_wait: bool = False) -> PlaceOrderCommand | EditOrderCommand | None:
        self._clear_errors()
        if self.editing is not None:
            return self.form.edit_command(self.editing)
        return self.form.place_command(self.order_id, accept_wait)

    async def place_order(self, accept_wait: bool = False) -> None:
        await self.place_panel.place_order(accept_wait)

    def _on_place_panel_refused(self, result: OperationResult[Any]) -> None:
        self.form.show_refusal(result)

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
        self.place_button.setText(self.tr("Save changes"))
        show_keys(self.place_button, "counter", "place", in_text=True)
        self.name.setFocus()

    def _stop_editing(self) -> None:
        self.editing = None
        self.edit_banner.setVisible(False)
        self.phone.setReadOnly(False)
        self.place_button.setText(self.tr("Place order"))
        show_keys(self.place_button, "counter", "place", in_text=True)

    # tasks ------------------------------------------------------------------------------------------------------------
    async def wait_idle(self) -> None:
        await super().wait_idle()
        for panel in (self.item_panel, self.payment_panel):
            await panel.wait_idle()
