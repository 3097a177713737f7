"""Who the order is for and how it leaves: phone (looked up), name, pickup/delivery/dine-in, address; and the
returning customer's last order, repeated into the cart."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.messages.dtos import CustomerDto
from pos_app.messages.queries import GetCustomerQuery, GetOrderByIdQuery
from pos_app.ui.formatting import format_money
from pos_app.ui.keymap import show_keys
from pos_app.ui.models.cart import CartLine, CartModel
from pos_app.ui.models.menu import MenuModel
from pos_app.ui.protocols import Sender
from pos_app.ui.slots import async_slot
from pos_app.ui.views.base import error_label, set_error
from pos_app.ui.widgets.counter.background import first_error

ORDER_TYPES = (("pickup", "Pickup"), ("delivery", "Delivery"), ("dine_in", "Dine-in"))


class CustomerPanel(QWidget):
    """The customer's fields. `order_type_changed` when pickup/delivery/dine-in changes; `cart_message_changed(text)`
    with what a repeated order could not bring back ("" when nothing)."""

    order_type_changed = Signal()
    cart_message_changed = Signal(str)

    def __init__(self, mediator: Sender, menu: MenuModel, cart: CartModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mediator = mediator
        self._menu = menu
        self._cart = cart
        self._lookup_generation = 0
        self.customer: CustomerDto | None = None

        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText(self.tr("Phone (Enter to look up)"))
        self.phone.setMaxLength(30)
        self.phone.setAccessibleName(self.tr("Phone"))
        show_keys(self.phone, "counter", "phone")
        self.phone.editingFinished.connect(self._on_phone_editing_finished)
        self.phone_error = error_label(self)
        self.customer_info = QLabel(self)
        self.customer_info.setWordWrap(True)
        self.repeat_button = QPushButton(self.tr("Repeat last order"), self)
        self.repeat_button.setVisible(False)
        self.repeat_button.clicked.connect(self._on_repeat_button_clicked)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("Customer name"))
        self.name.setMaxLength(80)
        self.name.setAccessibleName(self.tr("Customer name"))
        self.name_error = error_label(self)
        self.address = QLineEdit(self)
        self.address.setPlaceholderText(self.tr("Delivery address"))
        self.address.setMaxLength(200)
        self.address.setAccessibleName(self.tr("Delivery address"))
        self.address_error = error_label(self)
        self.type_group = QButtonGroup(self)
        self.type_buttons: dict[str, QPushButton] = {}
        types = QHBoxLayout()
        for value, label in ORDER_TYPES:
            button = QPushButton(self.tr(label), self)
            show_keys(button, "counter", value, mnemonic=True)
            button.setAccessibleName(self.tr("{type} order").format(type=self.tr(label)))
            button.setCheckable(True)
            self.type_group.addButton(button)
            self.type_buttons[value] = button
            types.addWidget(button)
        self.type_buttons["pickup"].setChecked(True)
        self.type_group.buttonToggled.connect(self._on_type_group_button_toggled)

        form = QGridLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(2)
        phone_box = QVBoxLayout()
        phone_box.addWidget(self.phone)
        phone_box.addWidget(self.phone_error)
        name_box = QVBoxLayout()
        name_box.addWidget(self.name)
        name_box.addWidget(self.name_error)
        form.addWidget(QLabel(self.tr("Phone"), self), 0, 0)
        form.addLayout(phone_box, 0, 1)
        form.addWidget(QLabel(self.tr("Name"), self), 0, 2)
        form.addLayout(name_box, 0, 3)
        info_row = QHBoxLayout()
        info_row.addWidget(self.customer_info, 1)
        info_row.addWidget(self.repeat_button)
        form.addLayout(info_row, 1, 1, 1, 3)
        address_box = QVBoxLayout()
        address_box.addWidget(self.address)
        address_box.addWidget(self.address_error)
        form.addLayout(types, 2, 0, 1, 2)
        form.addWidget(QLabel(self.tr("Address"), self), 2, 2)
        form.addLayout(address_box, 2, 3)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 2)
        self._show_address_for_order_type()

    @property
    def order_type(self) -> str:
        return next((value for value, button in self.type_buttons.items() if button.isChecked()), "pickup")

    def _on_type_group_button_toggled(self, *_: object) -> None:
        self._show_address_for_order_type()
        self.order_type_changed.emit()

    def _show_address_for_order_type(self) -> None:
        delivery = self.order_type == "delivery"
        self.address.setEnabled(delivery)
        if not delivery:
            set_error(self.address_error, None)

    def reset(self) -> None:
        """Nobody yet, for pickup: the next order."""
        self._lookup_generation += 1  # a lookup still on its way belongs to the order just finished
        for widget in (self.phone, self.name, self.address):
            widget.clear()
        self.customer = None
        self.customer_info.setText("")
        self.repeat_button.setVisible(False)
        self.type_buttons["pickup"].setChecked(True)

    def clear_errors(self) -> None:
        for label in (self.phone_error, self.name_error, self.address_error):
            set_error(label, None)

    def show_errors(self, errors: dict[str, list[str]]) -> bool:
        """Put the messages about the customer's fields under them (and focus the first); whether there were any."""
        fields = {
            "customer_phone": (self.phone, self.phone_error),
            "customer_name": (self.name, self.name_error),
            "customer_address": (self.address, self.address_error),
        }
        shown = [field for field in errors if field in fields]
        for field in shown:
            set_error(fields[field][1], " ".join(errors[field]))
        first = next((field for field in fields if field in errors), None)
        if first is not None:
            fields[first][0].setFocus()
        return bool(shown)

    # looking up the phone -------------------------------------------------------------------------------------------
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
            set_error(self.phone_error, first_error(result, "phone"))
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

    # repeating the last order ---------------------------------------------------------------------------------------
    @async_slot()
    async def _on_repeat_button_clicked(self) -> None:
        if self.customer is None or self.customer.last_order_id is None:
            return
        result = await self._mediator.execute_async(GetOrderByIdQuery(order_id=self.customer.last_order_id))
        if not result.is_success or result.data is None:
            self.cart_message_changed.emit(result.error_message or "")
            return
        order = result.data
        lines = []
        missing = []
        for item in order.items:
            menu_item = self._menu.item(item.pizza_id)
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
                    quantity=item.quantity,
                )
            )
        self._cart.set_lines(lines)
        self.type_buttons[order.order_type].setChecked(True)
        if order.customer_address and not self.address.text().strip():
            self.address.setText(order.customer_address)
        self.cart_message_changed.emit(self.tr("Not available today: ") + ", ".join(missing) if missing else "")
