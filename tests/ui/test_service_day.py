"""A service on the real main window and a real store file, the counter from the keyboard alone: a delivery and a
dine-in order taken; the dine-in order changed before cooking (one more item, two of one line); the kitchen, on
another terminal of the same store, starts cooking the delivery order, which the counter then changes (a topping);
a discount above the store's limit with a manager's approval typed on the till. Every key goes to the widget that
has the focus; the store is then asked, through the mediator, for what it holds, the money worked out here from the
menu's prices."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_app.bootstrap import App, create_app
from pos_app.domain.money import round_half_up
from pos_app.messages.commands import AcknowledgeKitchenNoticeCommand, StartCookingCommand
from pos_app.messages.dtos import MenuItemDto, OrderDto, OrderPlacedDto
from pos_app.messages.queries import GetKitchenQueueQuery, GetMenuQuery, GetOrderByIdQuery
from pos_app.ui.bridge import UiBridge
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ui_mediator import UiMediator
from tests.conftest import drain_tasks, wait_until
from tests.support import login
from tests.ui.test_counter_keyboard import (
    ALT,
    CTRL,
    focused,
    key,
    log_in_with_keys,
    move_to_topping,
    take_dine_in_with_keys,
    type_in,
)

SHIFT = Qt.KeyboardModifier.ShiftModifier
SIZES = {"small": Fraction(4, 5), "medium": Fraction(1), "large": Fraction(13, 10)}
DELIVERY_FEE_CENTS = 300  # the store's settings: 3.00 for delivery, 10% tax included in the prices
TAX = Fraction(1000, 10_000)


@pytest.fixture
async def store(tmp_path: Path, qtbot: QtBot) -> AsyncIterator[tuple[App, App, MainWindow]]:
    """The counter's terminal (app and window) and the kitchen's, a second app on the same store file."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    async with create_app(url) as app, create_app(url) as kitchen:
        bridge = UiBridge()
        app.changes.subscribe(bridge.notify)
        window = MainWindow(UiMediator(app.mediator), bridge, app.settings.store_name, str(tmp_path))
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.activateWindow()
        window.show_login()
        await window.wait_idle()
        yield app, kitchen, window
        await window.wait_idle()
    await drain_tasks()


def line_cents(menu: dict[str, MenuItemDto], pizza_id: str, size: str, toppings: list[str], quantity: int) -> int:
    """A line's price from the menu: (base + toppings) × the size's factor, rounded half-up, × quantity."""
    item = menu[pizza_id]
    topping_prices = {t.id: t.price for t in item.available_toppings}
    unit = Fraction(item.base_price) * 100 + sum(Fraction(topping_prices[t]) * 100 for t in toppings)
    return round_half_up(unit * SIZES[size]) * quantity


def tax_included(cents: int) -> int:
    return round_half_up(Fraction(cents) * TAX / (1 + TAX))


def money(cents: int) -> Decimal:
    return Decimal(cents) / 100


def press_until(
    qtbot: QtBot,
    name: Qt.Key,
    reached: Callable[[], bool],
    limit: int = 40,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press `name` (Tab, an arrow) until `reached()`, as a user moves on until the control they want."""
    for _ in range(limit):
        if reached():
            return
        key(qtbot, name, modifier)
    assert reached(), f"{name} never reached it; the focus is on {focused()!r} {focused().accessibleName()!r}"


async def detail(app: App, order_id: UUID) -> OrderDto:
    result = await app.mediator.execute_async(GetOrderByIdQuery(order_id=order_id))
    assert result.is_success, result
    assert result.data is not None
    return result.data


async def to_screen(qtbot: QtBot, window: MainWindow, screen: QWidget) -> None:
    for _ in range(window.tabs.count()):
        if window.tabs.currentWidget() is screen:
            break
        key(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert window.tabs.currentWidget() is screen
    await wait_until(lambda: screen.isAncestorOf(QApplication.focusWidget()))
    await window.wait_idle()


def is_selected(order: Any, number: int) -> bool:
    return order is not None and order.order_number == number


async def select_order(qtbot: QtBot, window: MainWindow, number: int) -> None:
    """On the Orders screen: the arrows to the order's row, Enter to its detail and actions."""
    orders = window.orders
    await to_screen(qtbot, window, orders)
    await wait_until(lambda: any(row.order_number == number for row in orders.model.orders))
    press_until(qtbot, Qt.Key.Key_Tab, lambda: focused() is orders.table, modifier=SHIFT)  # back to the list
    key(qtbot, Qt.Key.Key_Home, CTRL)  # the newest order
    press_until(
        qtbot,
        Qt.Key.Key_Down,
        lambda: is_selected(orders.selected_order(), number),
        limit=orders.proxy.rowCount() + 1,
    )
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: f"#{number}" in orders.detail_title.text())
    await window.wait_idle()


def orders_button_keys(window: MainWindow) -> dict[str, str]:
    """The Orders actions' texts, with the Alt key their underlined letter makes."""
    bar = window.orders.actions_box
    buttons = (bar.payment_button, bar.cancel_button, bar.edit_button, bar.discount_button)
    return {b.text(): "Alt+" + b.text()[b.text().index("&") + 1].upper() for b in buttons}


async def saved_edit(window: MainWindow) -> None:
    counter = window.counter
    await wait_until(lambda: counter.editing is None and counter.banner.isVisible())
    await window.wait_idle()


@pytest.mark.asyncio
async def test_a_service_from_the_keyboard_takes_changes_and_discounts_orders_and_the_store_holds_them_to_the_cent(
    qtbot: QtBot, store: tuple[App, App, MainWindow]
) -> None:
    app, kitchen, window = store
    counter = window.counter
    placed: list[OrderPlacedDto] = []
    counter.order_placed.connect(placed.append)
    await log_in_with_keys(qtbot, window, "luigi", "2000")
    await wait_until(lambda: counter.menu_model.item("margherita") is not None)
    menu_answer = await app.mediator.execute_async(GetMenuQuery())
    menu: dict[str, MenuItemDto] = {item.id: item for item in menu_answer.data}

    # 1. delivery: a Margherita and a Cola, cash, 40 tendered
    assert focused() is counter.menu_search
    type_in(qtbot, "marg")
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: counter.cart.rowCount() == 1)
    type_in(qtbot, "cola")
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: counter.cart.rowCount() == 2)
    key(qtbot, Qt.Key.Key_P, CTRL)
    type_in(qtbot, "555 010 7788")
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is counter.name
    type_in(qtbot, "Anna Conti")
    key(qtbot, Qt.Key.Key_D, ALT)
    await wait_until(lambda: counter.customer_panel.order_type == "delivery")
    press_until(qtbot, Qt.Key.Key_Tab, lambda: focused() is counter.address)
    type_in(qtbot, "Via Roma 12")
    key(qtbot, Qt.Key.Key_C, ALT)
    key(qtbot, Qt.Key.Key_T, CTRL)
    assert focused() is counter.tendered
    type_in(qtbot, "40")
    await counter.wait_idle()
    key(qtbot, Qt.Key.Key_Return, CTRL)
    await wait_until(lambda: len(placed) == 1)
    await window.wait_idle()
    delivery = placed[0]

    # 2. dine-in at table 7 for 4: a Pepperoni and a Tiramisù, by card
    await take_dine_in_with_keys(qtbot, counter, ("pepp", "tira"), "555 010 9900", "Bruno Neri", table=7, covers=4)
    await wait_until(lambda: len(placed) == 2)
    await window.wait_idle()
    dine_in = placed[1]

    # 3. the dine-in order changes before cooking: a Cola more, two Pepperoni
    await select_order(qtbot, window, dine_in.order_number)
    key(qtbot, Qt.Key.Key_F1)  # the Orders screen's keys: Edit order… and Discount… among them
    await wait_until(lambda: window.help_overlay is not None and window.help_overlay.isActiveWindow())
    overlay = window.help_overlay
    assert overlay is not None
    listed = {
        overlay.model.item(row, 0).text(): overlay.model.item(row, 1).text() for row in range(overlay.model.rowCount())
    }
    key(qtbot, Qt.Key.Key_Escape)
    await wait_until(lambda: window.help_overlay is None)
    await wait_until(lambda: window.orders.isAncestorOf(QApplication.focusWidget()))
    assert listed["Alt+E"] == "Edit the selected order at the counter"
    assert listed["Alt+D"] == "Give a discount on the selected order"
    assert orders_button_keys(window) == {
        "Take &payment…": "Alt+P",
        "&Cancel order…": "Alt+C",
        "&Edit order…": "Alt+E",
        "&Discount…": "Alt+D",
    }
    key(qtbot, Qt.Key.Key_E, ALT)  # Edit order…
    await wait_until(lambda: counter.editing is not None and window.tabs.currentWidget() is counter)
    await counter.wait_idle()
    key(qtbot, Qt.Key.Key_F, CTRL)
    type_in(qtbot, "cola")
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: counter.cart.rowCount() == 3)
    press_until(qtbot, Qt.Key.Key_Tab, lambda: focused() is counter.cart_view)
    press_until(qtbot, Qt.Key.Key_Up, lambda: counter.cart_view.currentIndex().row() == 0)
    assert counter.cart.lines[0].pizza_id == "pepperoni"
    key(qtbot, Qt.Key.Key_E, CTRL)  # edit the line (the button's shortcut clicks it a moment later)
    await wait_until(lambda: counter.item_panel.editing_row == 0 and counter.item_panel.isAncestorOf(focused()))
    key(qtbot, Qt.Key.Key_Q, ALT)
    assert focused() is counter.item_panel.quantity
    key(qtbot, Qt.Key.Key_Up)
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: counter.cart.lines[0].quantity == 2)
    await counter.wait_idle()
    key(qtbot, Qt.Key.Key_Return, CTRL)  # Save changes
    await saved_edit(window)

    # 4. the kitchen, on its own terminal, starts cooking the delivery order
    await login(kitchen.mediator, "rosa")
    started = await kitchen.mediator.execute_async(StartCookingCommand(order_id=delivery.order_id))
    assert started.is_success, started

    # 5. the counter changes it while it cooks: olives on the Margherita
    await select_order(qtbot, window, delivery.order_number)
    await wait_until(lambda: "cooking" in window.orders.detail_status.text().lower())
    key(qtbot, Qt.Key.Key_E, ALT)
    await wait_until(lambda: counter.editing is not None and window.tabs.currentWidget() is counter)
    await counter.wait_idle()
    press_until(qtbot, Qt.Key.Key_Tab, lambda: focused() is counter.cart_view)
    press_until(qtbot, Qt.Key.Key_Up, lambda: counter.cart_view.currentIndex().row() == 0)
    assert counter.cart.lines[0].pizza_id == "margherita"
    key(qtbot, Qt.Key.Key_E, CTRL)
    await wait_until(lambda: counter.item_panel.editing_row == 0 and counter.item_panel.isAncestorOf(focused()))
    press_until(qtbot, Qt.Key.Key_Tab, lambda: focused() is counter.toppings_view)
    move_to_topping(qtbot, window, "olives")
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is counter.notes
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: counter.cart.lines[0].toppings == ("olives",))
    await counter.wait_idle()
    key(qtbot, Qt.Key.Key_F12)
    await saved_edit(window)

    # 6. 20% off the dine-in order (the limit is 10%): Mario approves on this till
    await select_order(qtbot, window, dine_in.order_number)
    orders = window.orders
    key(qtbot, Qt.Key.Key_D, ALT)  # Discount…
    await wait_until(lambda: orders.discount_dialog is not None and orders.discount_dialog.isVisible())
    dialog = orders.discount_dialog
    assert dialog is not None
    await wait_until(lambda: QApplication.focusWidget() is dialog.value)
    type_in(qtbot, "20")
    press_until(qtbot, Qt.Key.Key_Tab, lambda: focused() is dialog.reason)
    type_in(qtbot, "birthday of a regular")
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: orders.discount_approval is not None and orders.discount_approval.isVisible())
    approval = orders.discount_approval
    assert approval is not None
    await wait_until(lambda: approval.isAncestorOf(QApplication.focusWidget()))
    assert approval.manager.currentData() == "mario"
    press_until(qtbot, Qt.Key.Key_Tab, lambda: focused() is approval.pin)
    type_in(qtbot, "1000")
    key(qtbot, Qt.Key.Key_Return)
    await wait_until(lambda: not approval.isVisible())
    await window.wait_idle()

    # the store, asked through the mediator --------------------------------------------------------------------------
    first, second = await detail(app, delivery.order_id), await detail(app, dine_in.order_id)
    margherita = line_cents(menu, "margherita", "medium", ["olives"], 1)
    cola = line_cents(menu, "cola", "medium", [], 1)
    placed_delivery = line_cents(menu, "margherita", "medium", [], 1) + cola + DELIVERY_FEE_CENTS
    delivery_total = margherita + cola + DELIVERY_FEE_CENTS
    assert [(i.pizza_id, i.size, i.toppings, i.quantity) for i in first.items] == [
        ("margherita", "medium", ["olives"], 1),
        ("cola", "medium", [], 1),
    ]
    assert (first.order_type, first.customer_address, first.status) == ("delivery", "Via Roma 12", "cooking")
    assert first.total_amount == money(delivery_total)
    assert first.tax == money(tax_included(delivery_total))
    assert first.amount_paid == money(placed_delivery)  # paid when placed, in cash
    assert first.balance_due == money(delivery_total - placed_delivery)
    assert first.balance_due > 0

    pepperoni = line_cents(menu, "pepperoni", "medium", [], 2)
    tiramisu = line_cents(menu, "tiramisu", "medium", [], 1)
    subtotal = pepperoni + tiramisu + cola
    placed_dine_in = line_cents(menu, "pepperoni", "medium", [], 1) + tiramisu
    off = round_half_up(Fraction(subtotal) * Fraction(20, 100))
    dine_in_total = subtotal - off
    assert [(i.pizza_id, i.quantity, i.price) for i in second.items] == [
        ("pepperoni", 2, money(pepperoni)),
        ("tiramisu", 1, money(tiramisu)),
        ("cola", 1, money(cola)),
    ]
    assert (second.order_type, second.table_number, second.covers) == ("dine_in", 7, 4)
    assert (second.subtotal, second.discount, second.total_amount) == (
        money(subtotal),
        money(off),
        money(dine_in_total),
    )
    assert second.tax == money(tax_included(dine_in_total))
    assert second.amount_paid == money(placed_dine_in)  # by card when placed
    assert (second.balance_due, second.paid) == (money(dine_in_total - placed_dine_in), False)  # more to pay
    assert second.balance_due > 0
    assert second.discount_reason == "birthday of a regular"
    timeline = [entry.description for entry in second.timeline]
    assert any(
        text.startswith(f"Discount {money(off)} on the order (birthday of a regular), approved by Mario")
        for text in timeline
    ), timeline
    assert any(text.startswith("Changed: ") for text in timeline), timeline

    tickets: list[Any] = list((await kitchen.mediator.execute_async(GetKitchenQueueQuery())).data)
    [ticket] = [t for t in tickets if t.order_id == delivery.order_id]
    assert ticket.notice is not None
    assert ticket.notice.kind == "changed"
    assert ticket.notice.details == ["Margherita: + olives"]
    [untouched] = [t for t in tickets if t.order_id == dine_in.order_id]
    assert untouched.notice is None  # changed before cooking: the new lines were enough

    acknowledged = await kitchen.mediator.execute_async(AcknowledgeKitchenNoticeCommand(order_id=delivery.order_id))
    assert acknowledged.is_success, acknowledged
    tickets = list((await kitchen.mediator.execute_async(GetKitchenQueueQuery())).data)
    [ticket] = [t for t in tickets if t.order_id == delivery.order_id]
    assert ticket.notice is None
    assert [(i.name, i.toppings) for i in ticket.items] == [("Margherita", ["Olives"]), ("Cola", [])]
