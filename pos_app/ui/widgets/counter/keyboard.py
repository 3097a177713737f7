"""The counter's Tab order: menu, item, cart, customer, payment, place, the order an order is taken in.

Groups of choices (categories, sizes, order types, payment methods) are one Tab stop each, at the chosen button, with
the arrows inside (Qt does so for the buttons of an exclusive group); the cart table is one stop too."""

from __future__ import annotations

import itertools

from PySide6.QtWidgets import QWidget

from pos_app.ui.widgets.counter.cart_panel import CartPanel
from pos_app.ui.widgets.counter.customer_panel import CustomerPanel
from pos_app.ui.widgets.counter.edit_banner import EditBanner
from pos_app.ui.widgets.counter.item_panel import ItemPanel
from pos_app.ui.widgets.counter.menu_panel import CategoryBar, MenuGrid, MenuSearch
from pos_app.ui.widgets.counter.payment_panel import PaymentPanel
from pos_app.ui.widgets.counter.place_panel import PlacePanel
from pos_app.ui.widgets.counter.table_panel import TablePanel


def set_tab_order(
    search: MenuSearch,
    categories: CategoryBar,
    grid: MenuGrid,
    item: ItemPanel,
    cart: CartPanel,
    customer: CustomerPanel,
    payment: PaymentPanel,
    place: PlacePanel,
    table: TablePanel,
    edit: EditBanner,
) -> None:
    """Chain the panels' controls (call again when the menu's categories, and so their buttons, change)."""
    chain: list[QWidget] = [
        search,
        *categories.buttons.values(),
        grid,
        *item.size_buttons.values(),
        item.toppings_view,
        item.notes,
        item.allergies,
        item.quantity,
        item.cancel_edit_button,
        item.add_button,
        edit.stop_button,
        cart.cart_view,
        cart.edit_button,
        cart.remove_button,
        cart.clear_button,
        customer.phone,
        customer.name,
        customer.repeat_button,
        *customer.type_buttons.values(),  # the type comes before the address it enables
        customer.address,
        table.table,
        table.covers,
        payment.cash_button,
        payment.card_button,
        payment.later_button,
        payment.tendered,
        payment.exact_button,
        place.add_and_place_button,
        place.place_without_button,
        place.accept_wait_button,
        place.decline_wait_button,
        place.place_button,
    ]
    for first, second in itertools.pairwise(chain):
        QWidget.setTabOrder(first, second)
