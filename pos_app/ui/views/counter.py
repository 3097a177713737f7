"""The counter: build an order from the menu, find the customer by phone, take payment, place it (Enter)."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.mediation import OperationResult
from pos_app.messages.commands import PlaceOrderCommand
from pos_app.messages.dtos import CustomerDto, MenuItemDto, OrderPlacedDto, OrderQuoteDto
from pos_app.messages.queries import GetCustomerQuery, GetMenuQuery, GetOrderByIdQuery, PriceOrderQuery
from pos_app.ui.formatting import format_money, format_time, parse_money, plain_amount
from pos_app.ui.models.cart import CartLine, CartModel
from pos_app.ui.models.menu import CATEGORY_LABELS, MenuModel, ToppingsModel
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import async_slot, spawn
from pos_app.ui.views.base import ScreenView, error_label, set_error

SIZES = ("small", "medium", "large")
ORDER_TYPES = (("pickup", "Pickup"), ("delivery", "Delivery"), ("dine_in", "Dine-in"))


class CategoryFilterModel(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.category = "pizza"

    def set_category(self, category: str) -> None:
        self.beginFilterChange()
        self.category = category
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Any) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        return bool(index.data(MenuModel.CategoryRole) == self.category)


class CounterView(ScreenView):
    order_placed = Signal(OrderPlacedDto)

    def __init__(self, mediator: Sender, parent: QWidget | None = None) -> None:
        super().__init__(mediator, parent)
        self.order_id = uuid.uuid4()
        self._placing = False
        self._editing_row: int | None = None
        self._current_item: MenuItemDto | None = None
        self._quote_generation = 0
        self._preview_generation = 0
        self._lookup_generation = 0
        self.last_quote: OrderQuoteDto | None = None
        self.customer: CustomerDto | None = None
        self._tasks: set[asyncio.Task[None]] = set()

        self.menu_model = MenuModel(self)
        self.toppings_model = ToppingsModel(self)
        self.cart = CartModel(self)
        self._build_menu()
        self._build_item_panel()
        self._build_order_panel()

        left = QVBoxLayout()
        left.addLayout(self.category_bar)
        left.addWidget(self.menu_view, 2)
        left.addWidget(self.item_box, 3)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 11)
        layout.addWidget(self.order_box, 10)

        for key in (Qt.Key.Key_Delete,):
            QShortcut(QKeySequence(key), self.cart_view, self._remove_selected_line)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_order)
        self._set_item(None)
        self._refresh_place_button()

    # layout ----------------------------------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        self.category_bar = QHBoxLayout()
        self.category_buttons: dict[str, QPushButton] = {}
        self.category_group = QButtonGroup(self)
        self.menu_filter = CategoryFilterModel(self)
        self.menu_filter.setSourceModel(self.menu_model)
        self.menu_view = QListView(self)
        self.menu_view.setModel(self.menu_filter)
        self.menu_view.setViewMode(QListView.ViewMode.IconMode)
        self.menu_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.menu_view.setMovement(QListView.Movement.Static)
        self.menu_view.setWrapping(True)
        self.menu_view.setUniformItemSizes(True)
        self.menu_view.setGridSize(QSize(156, 84))
        self.menu_view.setWordWrap(True)
        self.menu_view.setStyleSheet(
            "QListView { font-size: 16px; }"
            "QListView::item { border: 1px solid #c8c8c8; border-radius: 8px; margin: 3px; }"
            "QListView::item:selected { background: #ffcdd2; color: black; border: 2px solid #c62828; }"
            "QListView::item:disabled { color: #9e9e9e; background: #eeeeee; }"
        )
        self.menu_view.clicked.connect(self._on_menu_view_clicked)

    def _build_item_panel(self) -> None:
        self.item_box = QGroupBox(self.tr("Item"), self)
        self.item_name = QLabel(self.item_box)
        self.item_name.setObjectName("heading")
        self.item_description = QLabel(self.item_box)
        self.item_description.setWordWrap(True)
        self.size_group = QButtonGroup(self)
        self.size_group.setExclusive(True)
        sizes = QHBoxLayout()
        self.size_buttons: dict[str, QPushButton] = {}
        for size in SIZES:
            button = QPushButton(size.title(), self.item_box)
            button.setCheckable(True)
            self.size_group.addButton(button)
            self.size_buttons[size] = button
            sizes.addWidget(button)
        self.size_group.buttonToggled.connect(self._on_size_group_button_toggled)
        self.toppings_view = QListView(self.item_box)
        self.toppings_view.setModel(self.toppings_model)
        self.toppings_view.setViewMode(QListView.ViewMode.ListMode)
        self.toppings_view.setFlow(QListView.Flow.LeftToRight)
        self.toppings_view.setWrapping(True)
        self.toppings_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.toppings_view.setGridSize(QSize(170, 30))
        self.toppings_view.setMaximumHeight(110)
        self.toppings_model.dataChanged.connect(self._schedule_preview)
        self.notes = QLineEdit(self.item_box)
        self.notes.setPlaceholderText(self.tr("Special instructions (e.g. well done, no basil)"))
        self.notes.setMaxLength(200)
        self.line_price = QLabel(self.item_box)
        self.line_price.setObjectName("heading")
        self.add_button = QPushButton(self.tr("Add to order"), self.item_box)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.cancel_edit_button = QPushButton(self.tr("Cancel edit"), self.item_box)
        self.cancel_edit_button.clicked.connect(self._on_cancel_edit_button_clicked)
        self.item_error = error_label(self.item_box)
        actions = QHBoxLayout()
        actions.addWidget(self.line_price, 1)
        actions.addWidget(self.cancel_edit_button)
        actions.addWidget(self.add_button)
        layout = QVBoxLayout(self.item_box)
        heading = QHBoxLayout()
        heading.addWidget(self.item_name)
        heading.addWidget(self.item_description, 1)
        layout.addLayout(heading)
        layout.addLayout(sizes)
        layout.addWidget(self.toppings_view)
        layout.addWidget(self.notes)
        layout.addWidget(self.item_error)
        layout.addLayout(actions)

    def _build_order_panel(self) -> None:
        self.order_box = QGroupBox(self.tr("Order"), self)
        self.phone = QLineEdit(self.order_box)
        self.phone.setPlaceholderText(self.tr("Phone (Enter to look up)"))
        self.phone.setMaxLength(30)
        self.phone.editingFinished.connect(self._on_phone_editing_finished)
        self.phone_error = error_label(self.order_box)
        self.customer_info = QLabel(self.order_box)
        self.customer_info.setWordWrap(True)
        self.repeat_button = QPushButton(self.tr("Repeat last order"), self.order_box)
        self.repeat_button.setVisible(False)
        self.repeat_button.clicked.connect(self._on_repeat_button_clicked)
        self.name = QLineEdit(self.order_box)
        self.name.setPlaceholderText(self.tr("Customer name"))
        self.name.setMaxLength(80)
        self.name_error = error_label(self.order_box)
        self.address = QLineEdit(self.order_box)
        self.address.setPlaceholderText(self.tr("Delivery address"))
        self.address.setMaxLength(200)
        self.address_error = error_label(self.order_box)

        self.type_group = QButtonGroup(self)
        self.type_buttons: dict[str, QPushButton] = {}
        types = QHBoxLayout()
        for value, label in ORDER_TYPES:
            button = QPushButton(self.tr(label), self.order_box)
            button.setCheckable(True)
            self.type_group.addButton(button)
            self.type_buttons[value] = button
            types.addWidget(button)
        self.type_buttons["pickup"].setChecked(True)
        self.type_group.buttonToggled.connect(self._on_type_group_button_toggled)

        self.cart_view = QTableView(self.order_box)
        self.cart_view.setModel(self.cart)
        self.cart_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cart_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cart_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cart_view.verticalHeader().setVisible(False)
        header = self.cart_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.cart_view.doubleClicked.connect(self._on_cart_view_double_clicked)
        self.cart_error = error_label(self.order_box)
        self.remove_button = QPushButton(self.tr("Remove"), self.order_box)
        self.remove_button.clicked.connect(self._remove_selected_line)
        self.edit_button = QPushButton(self.tr("Edit"), self.order_box)
        self.edit_button.clicked.connect(self._edit_selected_line)
        self.clear_button = QPushButton(self.tr("New order"), self.order_box)
        self.clear_button.clicked.connect(self.new_order)
        self.cart.rowsInserted.connect(self._on_cart_changed)
        self.cart.rowsRemoved.connect(self._on_cart_changed)
        self.cart.dataChanged.connect(self._on_cart_data_changed)

        self.subtotal = QLabel(self.order_box)
        self.tax = QLabel(self.order_box)
        self.delivery_fee = QLabel(self.order_box)
        self.total = QLabel(self.order_box)
        self.total.setObjectName("total")
        totals = QGridLayout()
        rows: tuple[tuple[str, QLabel], ...] = (
            ("Subtotal", self.subtotal),
            ("Delivery fee", self.delivery_fee),
            ("incl. tax", self.tax),
            ("Total", self.total),
        )
        for row, (caption, figure) in enumerate(rows):
            totals.addWidget(QLabel(self.tr(caption), self.order_box), row, 0)
            figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            totals.addWidget(figure, row, 1)

        self.payment_group = QButtonGroup(self)
        self.cash_button = QPushButton(self.tr("Cash"), self.order_box)
        self.card_button = QPushButton(self.tr("Card"), self.order_box)
        self.later_button = QPushButton(self.tr("Pay later"), self.order_box)
        for button in (self.cash_button, self.card_button, self.later_button):
            button.setCheckable(True)
            self.payment_group.addButton(button)
        self.cash_button.setChecked(True)
        self.payment_group.buttonToggled.connect(self._on_payment_group_button_toggled)
        self.tendered = QLineEdit(self.order_box)
        self.tendered.setPlaceholderText(self.tr("Cash tendered"))
        self.tendered.setMaxLength(10)
        self.tendered.textChanged.connect(self._on_tendered_text_changed)
        self.exact_button = QPushButton(self.tr("Exact"), self.order_box)
        self.exact_button.clicked.connect(self._on_exact_button_clicked)
        self.change = QLabel(self.order_box)
        self.change.setObjectName("heading")
        self.tendered_error = error_label(self.order_box)

        self.place_button = QPushButton(self.tr("Place order  (Enter)"), self.order_box)
        self.place_button.setObjectName("primary")
        self.place_button.clicked.connect(self._on_place_button_clicked)
        self.form_error = error_label(self.order_box)
        self.wait_panel = QFrame(self.order_box)
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
        self.banner = QLabel(self.order_box)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)

        form = QGridLayout()
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(2)
        phone_box = QVBoxLayout()
        phone_box.addWidget(self.phone)
        phone_box.addWidget(self.phone_error)
        name_box = QVBoxLayout()
        name_box.addWidget(self.name)
        name_box.addWidget(self.name_error)
        form.addWidget(QLabel(self.tr("Phone"), self.order_box), 0, 0)
        form.addLayout(phone_box, 0, 1)
        form.addWidget(QLabel(self.tr("Name"), self.order_box), 0, 2)
        form.addLayout(name_box, 0, 3)
        info_row = QHBoxLayout()
        info_row.addWidget(self.customer_info, 1)
        info_row.addWidget(self.repeat_button)
        form.addLayout(info_row, 1, 1, 1, 3)
        address_box = QVBoxLayout()
        address_box.addWidget(self.address)
        address_box.addWidget(self.address_error)
        form.addLayout(types, 2, 0, 1, 2)
        form.addWidget(QLabel(self.tr("Address"), self.order_box), 2, 2)
        form.addLayout(address_box, 2, 3)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 2)

        cart_buttons = QHBoxLayout()
        cart_buttons.addWidget(self.edit_button)
        cart_buttons.addWidget(self.remove_button)
        cart_buttons.addStretch(1)
        cart_buttons.addWidget(self.clear_button)
        payment = QHBoxLayout()
        payment.addWidget(self.cash_button)
        payment.addWidget(self.card_button)
        payment.addWidget(self.later_button)
        payment.addWidget(self.tendered, 1)
        payment.addWidget(self.exact_button)
        bottom = QHBoxLayout()
        bottom.addLayout(totals, 1)
        change_box = QVBoxLayout()
        change_box.addWidget(self.change)
        change_box.addWidget(self.tendered_error)
        bottom.addLayout(change_box, 1)

        layout = QVBoxLayout(self.order_box)
        layout.addLayout(form)
        self.cart_view.setMinimumHeight(140)
        layout.addWidget(self.cart_view, 1)
        layout.addWidget(self.cart_error)
        layout.addLayout(cart_buttons)
        layout.addLayout(payment)
        layout.addLayout(bottom)
        layout.addWidget(self.form_error)
        layout.addWidget(self.wait_panel)
        layout.addWidget(self.place_button)
        layout.addWidget(self.banner)
        self._on_type_group_button_toggled()

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
        self._sync_categories()
        if self._current_item is not None:
            self._set_item(self.menu_model.item(self._current_item.id), keep_choices=True)

    def _sync_categories(self) -> None:
        categories = self.menu_model.categories()
        if list(self.category_buttons) == categories:
            return
        for button in self.category_buttons.values():
            self.category_group.removeButton(button)
            button.deleteLater()
        self.category_buttons = {}
        for position, category in enumerate(categories):
            button = QPushButton(self.tr(CATEGORY_LABELS.get(category, category.title())), self)
            button.setCheckable(True)
            button.setToolTip(f"Alt+{position + 1}")
            button.setShortcut(QKeySequence(f"Alt+{position + 1}"))
            button.clicked.connect(lambda _=False, c=category: self.show_category(c))
            self.category_group.addButton(button)
            self.category_bar.addWidget(button)
            self.category_buttons[category] = button
        if categories:
            self.show_category(self.menu_filter.category if self.menu_filter.category in categories else categories[0])

    def show_category(self, category: str) -> None:
        self.menu_filter.set_category(category)
        button = self.category_buttons.get(category)
        if button is not None:
            button.setChecked(True)

    # the item being configured -------------------------------------------------------------------------------------
    def _on_menu_view_clicked(self, index: Any) -> None:
        item = index.data(MenuModel.ItemRole)
        if isinstance(item, MenuItemDto) and item.available:
            self._editing_row = None
            self._set_item(item)

    def choose(self, item_id: str) -> None:
        """Select a menu item as if its tile were clicked."""
        item = self.menu_model.item(item_id)
        if item is not None and item.available:
            self._editing_row = None
            self._set_item(item)

    def _set_item(self, item: MenuItemDto | None, keep_choices: bool = False, line: CartLine | None = None) -> None:
        previous_size = self.selected_size
        previous_toppings = self.toppings_model.checked_ids()
        self._current_item = item
        set_error(self.item_error, None)
        self.add_button.setEnabled(item is not None and item.available)
        self.cancel_edit_button.setVisible(self._editing_row is not None)
        self.add_button.setText(self.tr("Update line") if self._editing_row is not None else self.tr("Add to order"))
        if item is None:
            self.item_name.setText(self.tr("Choose from the menu"))
            self.item_description.setText("")
            self.toppings_model.set_toppings([])
            for button in self.size_buttons.values():
                button.setEnabled(False)
            self.line_price.setText("")
            self.notes.clear()
            return
        self.item_name.setText(item.name)
        self.item_description.setText(item.description)
        size = line.size if line else previous_size if keep_choices else "medium"
        if size not in item.available_sizes:
            size = "medium" if "medium" in item.available_sizes else item.available_sizes[0]
        for name, button in self.size_buttons.items():
            button.setEnabled(name in item.available_sizes)
            button.setVisible(len(item.available_sizes) > 1)
        self.size_group.blockSignals(True)
        self.size_buttons[size].setChecked(True)
        self.size_group.blockSignals(False)
        checked = list(line.toppings) if line else previous_toppings if keep_choices else []
        self.toppings_model.set_toppings(item.available_toppings, checked)
        self.toppings_view.setVisible(bool(item.available_toppings))
        if line is not None:
            self.notes.setText(line.special_instructions)
        elif not keep_choices:
            self.notes.clear()
        self._schedule_preview()

    @property
    def selected_size(self) -> str:
        return next((size for size, button in self.size_buttons.items() if button.isChecked()), "medium")

    def _on_size_group_button_toggled(self, *_: object) -> None:
        self._schedule_preview()

    def _current_line(self) -> CartLine | None:
        item = self._current_item
        if item is None:
            return None
        return CartLine(
            pizza_id=item.id,
            name=item.name,
            category=item.category,
            size=self.selected_size,
            toppings=tuple(self.toppings_model.checked_ids()),
            topping_names=tuple(self.toppings_model.checked_names()),
            special_instructions=self.notes.text().strip(),
        )

    def _on_add_button_clicked(self) -> None:
        line = self._current_line()
        if line is None:
            return
        if self._editing_row is not None and self._editing_row < self.cart.rowCount():
            self.cart.replace_line(self._editing_row, line)
            self._editing_row = None
            self._set_item(None)
        else:
            self.cart.add_line(line)
            self.notes.clear()
            self.toppings_model.set_toppings(self._current_item.available_toppings if self._current_item else [])
            self._schedule_preview()
        set_error(self.cart_error, None)
        self.banner.setVisible(False)

    def _on_cancel_edit_button_clicked(self) -> None:
        self._editing_row = None
        self._set_item(None)

    def _schedule_preview(self, *_: object) -> None:
        self._preview_generation += 1
        self._spawn(self._preview(self._preview_generation))

    async def _preview(self, generation: int) -> None:
        line = self._current_line()
        if line is None:
            return
        result = await self._mediator.execute_async(PriceOrderQuery(pizza_items=[line.as_item()]))
        if generation != self._preview_generation:
            return
        if result.is_success and result.data is not None and result.data.lines:
            self.line_price.setText(format_money(result.data.lines[0].price))
            set_error(self.item_error, None)
        else:
            self.line_price.setText("")
            set_error(self.item_error, _first_error(result))

    # the cart ---------------------------------------------------------------------------------------------------------
    def _selected_row(self) -> int | None:
        rows = self.cart_view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _remove_selected_line(self) -> None:
        row = self._selected_row()
        if row is not None:
            if self._editing_row == row:
                self._editing_row = None
                self._set_item(None)
            self.cart.remove_line(row)

    def _edit_selected_line(self) -> None:
        row = self._selected_row()
        if row is not None:
            self._edit_line(row)

    def _on_cart_view_double_clicked(self, index: Any) -> None:
        self._edit_line(index.row())

    def _edit_line(self, row: int) -> None:
        line = self.cart.lines[row]
        item = self.menu_model.item(line.pizza_id)
        if item is None:
            return
        self._editing_row = row
        self._set_item(item, line=line)

    def _on_cart_changed(self, *_: object) -> None:
        self._schedule_quote()
        self._refresh_place_button()

    def _on_cart_data_changed(self, top_left: Any, bottom_right: Any, roles: Any = ()) -> None:
        if not (top_left.column() == bottom_right.column() == 4):  # a price arriving is no change to the order
            self._schedule_quote()

    def _on_type_group_button_toggled(self, *_: object) -> None:
        delivery = self.order_type == "delivery"
        self.address.setEnabled(delivery)
        if not delivery:
            set_error(self.address_error, None)
        self._schedule_quote()

    def _on_payment_group_button_toggled(self, *_: object) -> None:
        cash = self.cash_button.isChecked()
        self.tendered.setEnabled(cash)
        self.exact_button.setEnabled(cash)
        if not cash:
            set_error(self.tendered_error, None)
        self._schedule_quote()

    def _on_tendered_text_changed(self, text: str) -> None:
        if text.strip() and parse_money(text) is None:
            set_error(self.tendered_error, self.tr("Enter an amount such as 20 or 20.50"))
        else:
            set_error(self.tendered_error, None)
        self._schedule_quote()

    def _on_exact_button_clicked(self) -> None:
        if self.last_quote is not None:
            self.tendered.setText(plain_amount(self.last_quote.total_amount))

    @property
    def order_type(self) -> str:
        return next((value for value, button in self.type_buttons.items() if button.isChecked()), "pickup")

    def _tendered(self) -> Decimal | None:
        return parse_money(self.tendered.text()) if self.cash_button.isChecked() else None

    def _schedule_quote(self, *_: object) -> None:
        self._quote_generation += 1
        self._spawn(self._quote(self._quote_generation))

    async def _quote(self, generation: int) -> None:
        lines = self.cart.lines
        query = PriceOrderQuery(
            pizza_items=[line.as_item() for line in lines],
            order_type=self.order_type,  # type: ignore[arg-type]
            amount_tendered=self._tendered(),
        )
        result = await self._mediator.execute_async(query)
        if generation != self._quote_generation:
            return
        if not result.is_success or result.data is None:
            set_error(self.cart_error, _first_error(result))
            return
        quote = self.last_quote = result.data
        self.cart.set_prices([line.price for line in quote.lines])
        self.subtotal.setText(format_money(quote.subtotal))
        self.delivery_fee.setText(format_money(quote.delivery_fee))
        self.tax.setText(format_money(quote.tax))
        self.total.setText(format_money(quote.total_amount))
        if quote.change_due is not None and self.tendered.text().strip():
            self.change.setText(self.tr("Change ") + format_money(quote.change_due))
        elif quote.short_by is not None:
            self.change.setText(self.tr("Short by ") + format_money(quote.short_by))
        else:
            self.change.setText("")

    # customer lookup --------------------------------------------------------------------------------------------------
    @async_slot()
    async def _on_phone_editing_finished(self) -> None:
        await self.look_up_customer()

    async def look_up_customer(self) -> None:
        self._lookup_generation += 1
        generation = self._lookup_generation
        phone = self.phone.text().strip()
        self.customer = None
        self.repeat_button.setVisible(False)
        self.customer_info.setText("")
        if not phone:
            set_error(self.phone_error, None)
            return
        result = await self._mediator.execute_async(GetCustomerQuery(phone=phone))
        if generation != self._lookup_generation:
            return  # the phone was changed while this answer was on its way
        if result.status == 404:
            set_error(self.phone_error, None)
            self.customer_info.setText(self.tr("New customer"))
            return
        if not result.is_success or result.data is None:
            set_error(self.phone_error, _first_error(result, "phone"))
            return
        set_error(self.phone_error, None)
        customer = self.customer = result.data
        if not self.name.text().strip():
            self.name.setText(customer.name)
        if customer.address and not self.address.text().strip():
            self.address.setText(customer.address)
        favourites = ", ".join(customer.favorite_pizzas) or "—"
        self.customer_info.setText(
            self.tr("Returning: {orders} orders, {spent}; likes {favourites}").format(
                orders=customer.total_orders, spent=format_money(customer.total_spent), favourites=favourites
            )
        )
        self.repeat_button.setVisible(customer.last_order_id is not None)

    @async_slot()
    async def _on_repeat_button_clicked(self) -> None:
        if self.customer is None or self.customer.last_order_id is None:
            return
        result = await self._mediator.execute_async(GetOrderByIdQuery(order_id=self.customer.last_order_id))
        if not result.is_success or result.data is None:
            set_error(self.cart_error, result.error_message)
            return
        order = result.data
        lines = []
        missing = []
        for item in order.items:
            menu_item = self.menu_model.item(item.pizza_id)
            if menu_item is None or not menu_item.available:
                missing.append(item.name)
                continue
            lines.append(
                CartLine(
                    pizza_id=item.pizza_id,
                    name=item.name,
                    category=menu_item.category,
                    size=item.size,
                    toppings=tuple(item.toppings),
                    topping_names=tuple(item.topping_names),
                    special_instructions=item.special_instructions,
                )
            )
        self.cart.set_lines(lines)
        self.type_buttons[order.order_type].setChecked(True)
        if order.customer_address and not self.address.text().strip():
            self.address.setText(order.customer_address)
        set_error(self.cart_error, self.tr("Not available today: ") + ", ".join(missing) if missing else None)

    # placing ----------------------------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QPushButton):
                focus.click()  # Enter on a focused button (e.g. "Customer accepts the wait") presses that button
            elif focus is self.notes:
                self._on_add_button_clicked()
            elif focus is not self.phone:
                self.place_button.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def _refresh_place_button(self) -> None:
        self.place_button.setEnabled(not self._placing and self.cart.rowCount() > 0)

    def _clear_errors(self) -> None:
        for label in (
            self.phone_error,
            self.name_error,
            self.address_error,
            self.tendered_error,
            self.cart_error,
            self.form_error,
        ):
            set_error(label, None)

    def _command(self, accept_wait: bool = False) -> PlaceOrderCommand | None:
        tendered_text = self.tendered.text().strip()
        tendered = parse_money(tendered_text) if self.cash_button.isChecked() and tendered_text else None
        if self.cash_button.isChecked() and tendered_text and tendered is None:
            set_error(self.tendered_error, self.tr("Enter an amount such as 20 or 20.50"))
            return None
        if self.cash_button.isChecked() and tendered is None:
            set_error(self.tendered_error, self.tr("Enter the cash tendered, or choose Pay later"))
            return None
        return PlaceOrderCommand(
            order_id=self.order_id,
            customer_name=self.name.text().strip(),
            customer_phone=self.phone.text().strip(),
            customer_address=self.address.text().strip() or None if self.order_type == "delivery" else None,
            pizza_items=[line.as_item() for line in self.cart.lines],
            payment_method="card" if self.card_button.isChecked() else "cash",
            order_type=self.order_type,  # type: ignore[arg-type]
            amount_tendered=tendered,
            accept_kitchen_wait=accept_wait,
        )

    @async_slot()
    async def _on_place_button_clicked(self) -> None:
        await self.place_order()

    @async_slot()
    async def _on_accept_wait_button_clicked(self) -> None:
        self.wait_panel.setVisible(False)
        await self.place_order(accept_wait=True)

    def _on_decline_wait_button_clicked(self) -> None:
        self.wait_panel.setVisible(False)
        self._refresh_place_button()

    async def place_order(self, accept_wait: bool = False) -> None:
        if self._placing or self.cart.rowCount() == 0:
            return
        self._clear_errors()
        self.banner.setVisible(False)
        command = self._command(accept_wait)
        if command is None:
            return
        self._placing = True
        self._refresh_place_button()
        try:
            result = await self._mediator.execute_async(command)
        finally:
            self._placing = False
            self._refresh_place_button()
        if result.status == 503 and "accept_kitchen_wait" in result.errors:
            self.wait_message.setText(result.error_message or "")
            self.wait_panel.setVisible(True)
            self.accept_wait_button.setFocus()
            return
        if not result.is_success or result.data is None:
            self._show_errors(result)
            return
        placed = result.data
        change = f" — change {format_money(placed.change_due)}" if placed.change_due is not None else ""
        paid = "" if placed.paid else " — to pay " + format_money(placed.total_amount)
        self.new_order()
        self.banner.setText(
            f"Order #{placed.order_number} placed — ready about {format_time(placed.estimated_ready_time)}"
            f" — total {format_money(placed.total_amount)}{change}{paid}"
        )
        self.banner.setVisible(True)
        self.order_placed.emit(placed)

    def _show_errors(self, result: OperationResult[Any]) -> None:
        labels = {
            "customer_phone": self.phone_error,
            "customer_name": self.name_error,
            "customer_address": self.address_error,
            "amount_tendered": self.tendered_error,
        }
        shown = False
        for field, messages in result.errors.items():
            label = labels.get(field) or (self.cart_error if field.startswith("pizza_items") else None)
            if label is not None:
                set_error(label, " ".join(messages))
                shown = True
        if not shown:
            set_error(self.form_error, result.error_message)
        first = next((f for f in ("customer_phone", "customer_name", "customer_address") if f in result.errors), None)
        if first is not None:
            {"customer_phone": self.phone, "customer_name": self.name, "customer_address": self.address}[
                first
            ].setFocus()

    def new_order(self) -> None:
        """Clear the cart and the customer for the next order (a fresh order id)."""
        self.order_id = uuid.uuid4()
        self._lookup_generation += 1  # a lookup still on its way belongs to the order just finished
        self.cart.clear()
        self._editing_row = None
        self._set_item(None)
        for widget in (self.phone, self.name, self.address, self.tendered):
            widget.clear()
        self.customer = None
        self.customer_info.setText("")
        self.repeat_button.setVisible(False)
        self.type_buttons["pickup"].setChecked(True)
        self.cash_button.setChecked(True)
        self.wait_panel.setVisible(False)
        self.banner.setVisible(False)
        self._clear_errors()
        self.phone.setFocus()

    # tasks ------------------------------------------------------------------------------------------------------------
    def _spawn(self, coroutine: Any) -> None:
        task = spawn(self, coroutine)  # cancelled if the screen is destroyed first
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_idle(self) -> None:
        await super().wait_idle()
        while self._tasks:
            await asyncio.wait(set(self._tasks))


def _first_error(result: OperationResult[Any], field: str | None = None) -> str:
    if field is not None and field in result.errors:
        return " ".join(result.errors[field])
    for messages in result.errors.values():
        return " ".join(messages)
    return result.error_message or "Something went wrong"
